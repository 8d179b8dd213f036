/// NFKC of the half-width katakana block (U+FF61–U+FF9F) as a table, with the
/// composition of a following ﾞ/ﾟ, so `ｻｻｷ` and `ｶﾞ` never need the slow path.
///
/// Foundation on Linux decomposes `ｶﾞ` to カ U+3099 and stops there; correct NFKC
/// composes it to ガ. This table gives the composed form directly. The test suite checks
/// every entry, and every kana followed by ﾞ or ﾟ, against Foundation's NFKC + NFC.
enum HalfwidthKana {
    /// U+FF61 + i maps to `fullwidth[i]` (NFKC decomposition `<narrow>`).
    static let fullwidth: [UInt16] = [
        0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3,  // FF61 ｡｢｣､･ｦｧｨ
        0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC,  // FF69 ｩｪｫｬｭｮｯｰ
        0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF,  // FF71 ｱｲｳｴｵｶｷｸ
        0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF,  // FF79 ｹｺｻｼｽｾｿﾀ
        0x30C1, 0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD,  // FF81 ﾁﾂﾃﾄﾅﾆﾇﾈ
        0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, 0x30DB, 0x30DE, 0x30DF,  // FF89 ﾉﾊﾋﾌﾍﾎﾏﾐ
        0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, 0x30EA,  // FF91 ﾑﾒﾓﾔﾕﾖﾗﾘ
        0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x3099, 0x309A,  // FF99 ﾙﾚﾛﾜﾝﾞﾟ
    ]

    /// The full-width form of half-width `scalar` (U+FF61–U+FF9F).
    @inline(__always)
    static func fullwidth(of scalar: UInt32) -> UInt32 {
        UInt32(fullwidth[Int(scalar &- 0xFF61)])
    }

    /// The canonical composition of `base` with U+3099 (voiced mark, `mark` 0x3099) or
    /// U+309A (semi-voiced, 0x309A), or nil when the pair does not compose.
    ///
    /// Hiragana (U+3040 block) and katakana (U+30A0 block) share one layout, so the rule
    /// is written once on the offset within the block; ワヰヱヲ compose only as katakana.
    @inline(__always)
    static func composition(of base: UInt32, with mark: UInt32) -> UInt32? {
        let blockStart: UInt32
        switch base {
        case 0x3041...0x309F: blockStart = 0x3040
        case 0x30A1...0x30FF: blockStart = 0x30A0
        default: return nil
        }
        let offset = base - blockStart
        if mark == 0x3099 {
            switch offset {
            case 0x0B...0x22 where offset & 1 == 1:  // か..ち (カ..チ)
                return base + 1
            case 0x24, 0x26, 0x28:  // つ て と
                return base + 1
            case 0x2F, 0x32, 0x35, 0x38, 0x3B:  // は ひ ふ へ ほ
                return base + 1
            case 0x06:  // う → ゔ, ウ → ヴ
                return blockStart + 0x54
            case 0x5D:  // ゝ → ゞ, ヽ → ヾ
                return base + 1
            case 0x4F...0x52 where blockStart == 0x30A0:  // ワ ヰ ヱ ヲ → ヷ ヸ ヹ ヺ
                return base + 8
            default:
                return nil
            }
        }
        if mark == 0x309A {
            switch offset {
            case 0x2F, 0x32, 0x35, 0x38, 0x3B:  // は ひ ふ へ ほ → ぱ ぴ ぷ ぺ ぽ
                return base + 2
            default:
                return nil
            }
        }
        return nil
    }
}
