/// Folding is the first step of every text keyer: Unicode NFKC, then (for all but
/// `digits`, `phone` and `postal`, which need no case) the Unicode lower-case mapping.
///
/// ## The fast path
///
/// Foundation's NFKC is the only normalizer the platform offers, and it is slow: with
/// the NFC pass its Linux build needs (see `SlowFolding`) it folds a few hundred
/// thousand short strings a second, while a fingerprint over name + birthdate + phone
/// must key three values of each of a million rows in well under a second. Yet nearly
/// every value in a Japanese patron list is already in NFKC: ASCII, kana, kanji, a
/// little CJK punctuation. So folding reads the UTF-8 bytes one scalar at a time and
/// asks `FastScalar` what NFKC and lower-casing do to that scalar:
///
/// - stable scalars (ASCII but A–Z, hiragana, katakana, CJK ideographs, common
///   punctuation) pass unchanged; ideographs, the commonest, as bytes without decoding;
/// - A–Z and Latin-1 capitals are lower-cased arithmetically;
/// - U+3000 and U+00A0 become an ASCII space;
/// - full-width ASCII (U+FF01–FF5E) and half-width katakana (U+FF61–FF9F) are mapped
///   by table (`HalfwidthKana`): they are common (phones typed as `０９０（１２３４）`,
///   readings as `ｻｻｷ`) and cheap to map. A kana is held back one step, so that a
///   following ﾞ or ﾟ composes with it (`ｶﾞ` → ガ, which Foundation gets wrong);
/// - anything else (combining marks, compatibility characters such as ① or ㍻, Hangul,
///   Greek, …) abandons the fast path, and the whole value goes to `SlowFolding`.
///
/// No scalar the fast path passes takes part in canonical reordering or composition
/// with a neighbour except kana with ﾞ and ﾟ, which it composes itself, so looking
/// one scalar back is enough. The output goes to a `FoldSink`: the text keyers apply
/// their rules (`TextRules`) as it arrives, in the same pass, into a stack buffer the
/// size of the input (folding never makes text longer, on the fast path).
///
/// Measured with `Benchmarks/keyers` (CPU time of one thread on the shared 2-core VM,
/// so ranges): `name` keys 8–14 M realistic values a second, `date` 6–10 M, `phone`
/// 9–18 M, so name + date + phone cost 0.22–0.36 µs a row; values that need the slow
/// path key at 0.22–0.26 M a second. Applying the rules in the folding pass (rather
/// than folding into a buffer and reading it again) and copying runs of ideographs
/// whole cut the instructions per name by about 40% (`perf stat`).
///
/// Tests check the fast path against Foundation on every code point it claims, on the
/// half-width table with every dakuten combination, against the slow path on generated
/// mixed strings, and the whole against Unicode's NormalizationTest.txt.
enum Folding {
    enum FastOutcome {
        /// The sink has received the whole folded value.
        case folded
        /// A scalar the fast path does not know: fold the whole value slowly, into a
        /// fresh sink.
        case needsSlowPath
        /// The input is not well-formed UTF-8.
        case malformed
    }

    /// Folds `input` into `sink`, unless a scalar needs the slow path.
    @inline(__always)
    static func foldFast<Sink: FoldSink>(
        _ input: UnsafeBufferPointer<UInt8>, lowercase: Bool, into sink: inout Sink
    ) -> FastOutcome {
        let count = input.count
        var index = 0
        // A kana not yet passed on, because a ﾞ or ﾟ may follow and compose with it.
        var heldKana: UInt32 = 0
        while index < count {
            let byte = input[index]
            if byte < 0x80 {
                if heldKana != 0 {
                    sink.scalar(heldKana)
                    heldKana = 0
                }
                sink.ascii(lowercase && byte &- 0x41 < 26 ? byte | 0x20 : byte)
                index += 1
                continue
            }
            if UTF8Scalars.isIdeograph(input, at: index) {
                if heldKana != 0 {
                    sink.scalar(heldKana)
                    heldKana = 0
                }
                let start = index
                repeat { index += 3 } while index < count && UTF8Scalars.isIdeograph(input, at: index)
                sink.ideographs(input.baseAddress! + start, count: index - start)
                continue
            }
            guard let (scalar, length) = UTF8Scalars.decode(input, at: index) else { return .malformed }
            index += length
            var folded: UInt32
            switch FastScalar.of(scalar) {
            case .stable:
                folded = scalar
            case .space:
                folded = 0x20
            case .latinCapital:
                folded = lowercase ? scalar + 0x20 : scalar
            case .fullwidthASCII:
                folded = scalar - 0xFEE0
                if lowercase, folded &- 0x41 < 26 { folded |= 0x20 }
            case .halfwidthKana:
                folded = HalfwidthKana.fullwidth(of: scalar)
                if folded == 0x3099 || folded == 0x309A, heldKana != 0,
                    let composed = HalfwidthKana.composition(of: heldKana, with: folded)
                {
                    heldKana = composed
                    continue
                }
            case .other:
                return .needsSlowPath
            }
            if heldKana != 0 {
                sink.scalar(heldKana)
                heldKana = 0
            }
            if folded &- 0x3041 < 0xBE {  // U+3041–30FE: kana, which a ﾞ or ﾟ may follow
                heldKana = folded
            } else if folded < 0x80 {
                sink.ascii(UInt8(folded))
            } else {
                sink.scalar(folded)
            }
        }
        if heldKana != 0 { sink.scalar(heldKana) }
        return .folded
    }

    /// Calls `body` with the folded form of `input`; nil when `input` is not UTF-8.
    @inline(__always)
    static func withFolded<Result>(
        _ input: UnsafeBufferPointer<UInt8>, lowercase: Bool,
        _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(input.count, 1)) { buffer in
            var sink = ByteSink(output: buffer.baseAddress!)
            switch foldFast(input, lowercase: lowercase, into: &sink) {
            case .folded:
                return body(UnsafeBufferPointer(start: buffer.baseAddress!, count: sink.count))
            case .malformed:
                return nil
            case .needsSlowPath:
                guard let folded = SlowFolding.fold(input, lowercase: lowercase) else { return nil }
                return folded.withUnsafeBufferPointer(body)
            }
        }
    }
}
