/// The rules `text`, `name` and `kana` apply to folded (NFKC, lower-cased) text.
///
/// `text`: every run of white space (Unicode White_Space: ASCII space and controls
/// U+0009–000D, U+0085, U+1680, U+2028, U+2029, and what NFKC has already turned into
/// a space: U+00A0, U+2000–200A, U+202F, U+205F, U+3000) becomes one ASCII space, and
/// none is kept at either end; the hyphen variants U+2010–2015, U+2043, U+2212, U+FE63
/// and U+FF0D become "-". The long-vowel mark ー (U+30FC; half-width ｰ is already ー)
/// is kept, except that a run of them with an ASCII letter or digit immediately on both
/// sides becomes as many "-": `1ー2ー3` is an address typed with the IME in kana mode,
/// while ー after kana or kanji, at either end or next to a space is a long vowel.
///
/// `name`: the `text` form without spaces and without the middle dots ・ (U+30FB, which
/// half-width ･ folds to) and · (U+00B7). 々 and ー are never removed.
///
/// `kana`: the `name` form with katakana U+30A1–30F6 and the iteration marks ヽヾ
/// turned into hiragana (U+3041–3096, ゝゞ). ヷヸヹヺ have no hiragana and stay.
enum TextRules {
    enum Profile {
        case text, name, kana
    }

    /// Receives folded scalars (NFKC, lower-cased) and writes the `profile` form into
    /// `output`, which has room for as many bytes as the folded text has (no rule makes
    /// text longer). It holds back a pending space (written only before something else,
    /// so runs collapse and ends are trimmed) and a pending run of ー (written once the
    /// scalar after it shows whether it stands between letters or digits). Call
    /// `finish()` at the end.
    struct Writer: FoldSink {
        let output: UnsafeMutablePointer<UInt8>
        let profile: Profile
        private(set) var count = 0
        /// The `text` form has a scalar before the pending space.
        private var wroteAny = false
        private var pendingSpace = false
        /// ー marks held back after an ASCII letter or digit.
        private var heldMarks = 0
        /// The last scalar of the `text` form was an ASCII letter or digit.
        private var afterAlphanumeric = false

        init(output: UnsafeMutablePointer<UInt8>, profile: Profile) {
            self.output = output
            self.profile = profile
        }

        @inline(__always)
        mutating func ascii(_ byte: UInt8) {
            if byte == 0x20 || byte &- 0x09 < 5 {
                space()
                return
            }
            before(alphanumeric: byte &- 0x30 < 10 || byte &- 0x61 < 26 || byte &- 0x41 < 26)
            output[count] = byte
            count += 1
        }

        @inline(__always)
        mutating func ideographs(_ bytes: UnsafePointer<UInt8>, count length: Int) {
            before(alphanumeric: false)
            (output + count).update(from: bytes, count: length)
            count += length
        }

        /// Any scalar but ASCII and ideographs. Not inlined: the fold calls it from four
        /// places, and one shared copy ran fewer instructions per value than four
        /// inlined ones (measured with `perf stat`).
        @inline(never)
        mutating func scalar(_ value: UInt32) {
            if value &- 0x3041 < 0xBE {  // U+3041–30FE, kana: the commonest after ideographs
                kana(value)
                return
            }
            switch value {
            case 0x2010...0x2015, 0x2043, 0x2212, 0xFE63, 0xFF0D:
                ascii(0x2D)
            case _ where WhiteSpace.contains(value):
                space()
            default:
                before(alphanumeric: false)
                if value == 0x00B7, profile != .text { return }
                put(value)
            }
        }

        /// A scalar of U+3041–30FE: hiragana, katakana, ・ and ー.
        @inline(__always)
        private mutating func kana(_ value: UInt32) {
            if value == 0x30FC {
                longVowelMark()
                return
            }
            before(alphanumeric: false)
            switch profile {
            case .text:
                put(value)
            case .name:
                if value != 0x30FB { put(value) }
            case .kana:
                switch value {
                case 0x30FB: break
                case 0x30A1...0x30F6, 0x30FD, 0x30FE: put(value - 0x60)
                default: put(value)
                }
            }
        }

        /// Writes what is still held back; the output is then `output[0..<count]`.
        mutating func finish() {
            releaseMarks(asHyphens: false)
        }

        @inline(__always)
        private mutating func space() {
            releaseMarks(asHyphens: false)
            pendingSpace = wroteAny
            afterAlphanumeric = false
        }

        @inline(__always)
        private mutating func longVowelMark() {
            if heldMarks > 0 || afterAlphanumeric {
                heldMarks += 1
            } else {
                before(alphanumeric: false)
                put(0x30FC)
            }
        }

        /// Settles what is pending before a non-space scalar of the `text` form.
        @inline(__always)
        private mutating func before(alphanumeric: Bool) {
            if heldMarks > 0 { releaseMarks(asHyphens: alphanumeric) }
            if pendingSpace {
                pendingSpace = false
                if profile == .text {
                    output[count] = 0x20
                    count += 1
                }
            }
            wroteAny = true
            afterAlphanumeric = alphanumeric
        }

        private mutating func releaseMarks(asHyphens: Bool) {
            for _ in 0..<heldMarks {
                if asHyphens {
                    output[count] = 0x2D
                    count += 1
                } else {
                    put(0x30FC)
                }
            }
            heldMarks = 0
        }

        @inline(__always)
        private mutating func put(_ value: UInt32) {
            count += UTF8Scalars.encode(value, to: output + count)
        }
    }
}
