/// Which scalars the byte-level fast path may fold by itself, and how.
///
/// Everything classified here is either left unchanged by NFKC and by lower-casing in
/// any context the fast path lets through, or has a known short mapping. A scalar that
/// composes with its neighbours (combining marks, Hangul jamo, Indic vowel signs) is
/// never listed, so one scalar's fold never depends on the next. The test suite checks
/// every classified code point against Foundation's NFKC + NFC.
enum FastScalar {
    /// NFKC- and case-stable: copied as it is.
    case stable
    /// U+00A0, U+3000: NFKC gives an ASCII space.
    case space
    /// Latin-1 capital letters À–Þ (not ×): NFKC-stable, lower-case is `scalar + 0x20`.
    case latinCapital
    /// U+FF01–U+FF5E: NFKC gives ASCII `scalar - 0xFEE0`.
    case fullwidthASCII
    /// U+FF61–U+FF9F: see `HalfwidthKana`.
    case halfwidthKana
    /// Anything else: the whole string takes the slow path.
    case other
}

extension FastScalar {
    /// The class of a non-ASCII scalar. The cases are ordered by how often they occur in
    /// Japanese personal data: ideographs, kana, full-width forms, punctuation.
    @inline(__always)
    static func of(_ scalar: UInt32) -> FastScalar {
        // Kana first, tested with one comparison: hiragana and katakana with ・ ー ヽ ヾ,
        // but not the combining marks U+3099–309A, ゛゜ (which NFKC spaces), ゟ or ヿ.
        if scalar &- 0x3041 < 0xBE {
            return scalar &- 0x3097 < 6 || scalar == 0x309F ? .other : .stable
        }
        switch scalar {
        case 0x3400...0x9FFF:  // CJK unified ideographs, extension A, Yijing hexagrams
            return .stable
        case 0x3000, 0x00A0:
            return .space
        case 0xFF01...0xFF5E:
            return .fullwidthASCII
        case 0xFF61...0xFF9F:
            return .halfwidthKana
        case 0x3001...0x3029, 0x3030...0x3035, 0x3037, 0x303B...0x303F:
            // CJK punctuation: 、。々〆〇「」【】〒〜 and friends (not the combining tone
            // marks U+302A–302F, not 〶 or the Hangzhou numerals U+3038–303A)
            return .stable
        case 0x00C0...0x00DE where scalar != 0x00D7:
            return .latinCapital
        case 0x00DF...0x00FF, 0x00D7,  // Latin-1 small letters, ×, ÷
            0x00A1...0x00A7, 0x00A9, 0x00AB...0x00AE, 0x00B0...0x00B1, 0x00B6...0x00B7,
            0x00BB, 0x00BF,  // Latin-1 punctuation without compatibility mappings
            0x2010, 0x2012...0x2016, 0x2018...0x2023, 0x2027, 0x2030...0x2032, 0x2035,
            0x2038...0x203B, 0x203D, 0x2043,  // dashes, quotes, †‡•, ‰, ′, ※
            0x2190...0x2199, 0x2212, 0x2500...0x257F, 0x25A0...0x25FF,  // ←, −, box, ■□○◎
            0x2600...0x26FF,  // ★☆ and other symbols
            0xFE00...0xFE0F, 0xE0100...0xE01EF,  // variation selectors (IVS on kanji)
            0x20000...0x2F7FF, 0x2FA20...0x3FFFF:  // CJK extensions B–H (not the
            // compatibility ideographs U+2F800–2FA1F)
            return .stable
        default:
            return .other
        }
    }
}
