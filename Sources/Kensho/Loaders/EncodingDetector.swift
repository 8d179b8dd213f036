/// Tells UTF-8, CP932 (Shift_JIS) and EUC-JP apart from a file's bytes.
///
/// Valid UTF-8 with multibyte sequences is UTF-8: a Japanese CP932 or EUC-JP file of
/// any length practically never validates as UTF-8. Otherwise each Japanese candidate
/// is checked for structural validity over a sample, and scored by how much of what it
/// decodes to is ordinary Japanese text: full-width kana, kanji and punctuation score,
/// half-width katakana (what EUC-JP bytes look like when misread as CP932) scores
/// little. The confidence is the winner's share of the two scores, damped for small
/// samples, so a decision on three characters says so.
public enum EncodingDetector {
    public struct Detection: Sendable {
        public var encoding: String
        public var confidence: Double
        /// True when the whole input was checked and is valid UTF-8 (no need to check again).
        public var isValidUTF8 = false
    }

    static let sampleLimit = 1 << 20

    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> Detection {
        let sample = UnsafeBufferPointer(rebasing: bytes[..<min(bytes.count, sampleLimit)])
        let bad = UTF8Validation.firstInvalidOffset(in: sample)
        // A sequence cut by the sample's end is not evidence against UTF-8; nor is one cut
        // by the end of a file that is UTF-8 up to there, with characters beyond ASCII (a
        // truncated export, which decoding then reports at its place).
        let cutAtEnd = bad.map { bad in
            sample.count == bytes.count && UTF8Validation.isCutSequence(bytes, at: bad)
                && bytes[..<bad].contains { $0 >= 0x80 }
        } ?? false
        let sampleIsUTF8 = bad == nil || (sample.count < bytes.count && bad! >= sample.count - 4) || cutAtEnd
        guard sampleIsUTF8 else { return detectJapanese(sample) }
        // Valid over the whole length: certain. Valid over the sample only: UTF-8 with a
        // damaged byte later, which decoding then reports with its place.
        let whole = sample.count == bytes.count ? bad == nil : UTF8Validation.firstInvalidOffset(in: bytes) == nil
        return Detection(encoding: "utf-8", confidence: whole ? 1 : 0.9, isValidUTF8: whole)
    }

    static func detectJapanese(_ sample: UnsafeBufferPointer<UInt8>) -> Detection {
        let cp932 = scoreCP932(sample)
        let euc = scoreEUC(sample)
        switch (cp932.valid, euc.valid) {
        case (true, false): return Detection(encoding: "cp932", confidence: exclusive(cp932))
        case (false, true): return Detection(encoding: "euc-jp", confidence: exclusive(euc))
        case (true, true):
            // Both readings are well-formed. EUC-JP's two-byte characters read as CP932 are
            // pairs of half-width katakana: when the CP932 reading is nothing but those
            // and the EUC-JP reading is full-width text, EUC-JP it is.
            // Runs that mix the two (ｶ橋ｶ for 高橋) are the same misreading: real CP932
            // text keeps half-width katakana and full-width characters in separate runs.
            if euc.doubleByte > 0, euc.halfWidth == 0, cp932.doubleByte == 0 || cp932.mixedRuns > 0 {
                return Detection(encoding: "euc-jp", confidence: euc.doubleByte >= 4 ? 0.95 : 0.85)
            }
            // Otherwise the reading that looks more like ordinary Japanese wins.
            let total = cp932.score + euc.score
            if total == 0 { return Detection(encoding: "cp932", confidence: 0.5) }
            if cp932.score >= euc.score {
                return Detection(encoding: "cp932", confidence: damped(cp932.score / total, characters: cp932.characters)
                                     * plausibility(cp932))
            }
            return Detection(encoding: "euc-jp", confidence: damped(euc.score / total, characters: euc.characters)
                                 * plausibility(euc))
        case (false, false):
            // Neither reads cleanly (another encoding, or damage): say so with a low confidence.
            return Detection(encoding: cp932.score >= euc.score ? "cp932" : "euc-jp", confidence: 0.5)
        }
    }

    /// Only one candidate is well-formed. That settles it for real Japanese text; but
    /// bytes of another 8-bit encoding (Latin-1's é between ASCII letters) can also be
    /// well-formed CP932, so the confidence falls with the share of double-byte
    /// characters that stand alone between ASCII letters, as accented letters do.
    static func exclusive(_ score: Score) -> Double {
        guard score.characters > 0 else { return 0.5 }
        let base = score.characters >= 4 ? 0.99 : 0.9
        return (base * plausibility(score)).clamped(to: 0.5...0.99)
    }

    static func plausibility(_ score: Score) -> Double {
        guard score.characters > 0 else { return 1 }
        return 1 - Double(score.betweenLetters) / Double(score.characters)
    }

    /// Fewer than ~20 double-byte characters give weaker evidence.
    static func damped(_ confidence: Double, characters: Int) -> Double {
        let weight = min(1.0, Double(characters) / 20.0)
        return (0.5 + (confidence - 0.5) * weight * 0.98 + (weight == 1 ? 0.01 * confidence : 0))
            .clamped(to: 0.5...0.99)
    }

    struct Score {
        var valid = true
        var score = 0.0
        var characters = 0
        /// Double-byte characters with an ASCII letter on both sides (how accented Latin
        /// letters look when misread as Japanese).
        var betweenLetters = 0
        /// Two-byte characters and half-width katakana in this reading.
        var doubleByte = 0
        var halfWidth = 0
        /// Runs of non-ASCII characters holding both half-width katakana and two-byte
        /// characters (counted for the CP932 reading only).
        var mixedRuns = 0
    }

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func scoreCP932(_ bytes: UnsafeBufferPointer<UInt8>) -> Score {
        var result = Score()
        var i = 0
        var runHalf = false
        var runDouble = false
        func endRun() {
            if runHalf && runDouble { result.mixedRuns += 1 }
            runHalf = false
            runDouble = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { endRun(); i += 1; continue }
            if b >= 0xA1 && b <= 0xDF {  // half-width katakana
                result.score += 0.2
                result.characters += 1
                result.halfWidth += 1
                runHalf = true
                i += 1
                continue
            }
            let isLead = (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC)
            guard isLead, i + 1 < bytes.count else {
                if i + 1 >= bytes.count, isLead { break }  // cut by the sample
                result.valid = false
                i += 1
                continue
            }
            let t = bytes[i + 1]
            guard (t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFC) else {
                result.valid = false
                i += 1
                continue
            }
            result.characters += 1
            result.doubleByte += 1
            runDouble = true
            if i > 0, isASCIILetter(bytes[i - 1]), i + 2 < bytes.count, isASCIILetter(bytes[i + 2]) {
                result.betweenLetters += 1
            }
            switch b {
            case 0x82, 0x83: result.score += 1           // hiragana, katakana
            case 0x81: result.score += 0.8                // punctuation, full-width symbols
            case 0x88...0x9F, 0xE0...0xEA: result.score += 1  // JIS level 1 and 2 kanji
            case 0xED, 0xEE, 0xFA...0xFC: result.score += 0.7 // NEC/IBM extensions (髙)
            case 0x87: result.score += 0.7                // NEC specials (①)
            default: result.score += 0.3
            }
            i += 2
        }
        endRun()
        return result
    }

    static func scoreEUC(_ bytes: UnsafeBufferPointer<UInt8>) -> Score {
        var result = Score()
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            if b == 0x8E {  // half-width katakana
                if i + 1 < bytes.count, bytes[i + 1] >= 0xA1, bytes[i + 1] <= 0xDF {
                    result.score += 0.2
                    result.characters += 1
                    result.halfWidth += 1
                } else if i + 1 < bytes.count {
                    result.valid = false
                }
                i += 2
                continue
            }
            if b == 0x8F {  // JIS X 0212
                if i + 2 < bytes.count, (0xA1...0xFE).contains(bytes[i + 1]), (0xA1...0xFE).contains(bytes[i + 2]) {
                    result.score += 0.5
                    result.characters += 1
                } else if i + 2 < bytes.count {
                    result.valid = false
                }
                i += 3
                continue
            }
            guard b >= 0xA1, b <= 0xFE else {
                result.valid = false
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { break }
            let t = bytes[i + 1]
            guard t >= 0xA1, t <= 0xFE else {
                result.valid = false
                i += 1
                continue
            }
            result.characters += 1
            result.doubleByte += 1
            switch b {
            case 0xA4, 0xA5: result.score += 1            // hiragana, katakana
            case 0xA1: result.score += 0.8                // punctuation
            case 0xB0...0xF4: result.score += 1           // kanji
            case 0xAD: result.score += 0.7                // NEC specials
            default: result.score += 0.3
            }
            i += 2
        }
        return result
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
