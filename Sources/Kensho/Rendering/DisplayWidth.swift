/// How many terminal cells text occupies, for lining up table columns.
///
/// The model is per Unicode scalar, after UAX #11 (East Asian Width) and the
/// usual `wcwidth` conventions:
///
/// - **0** for C0 and C1 controls and DEL (callers escape these before
///   display anyway), and for scalars whose general category is
///   `nonspacingMark` (Mn), `enclosingMark` (Me) or `format` (Cf), such as
///   U+3099 COMBINING KATAKANA-HIRAGANA VOICED SOUND MARK, U+200B ZERO WIDTH
///   SPACE, U+200D ZERO WIDTH JOINER and U+FEFF.
/// - **2** for East_Asian_Width W (wide) and F (fullwidth): kanji, kana,
///   fullwidth forms such as U+FF21 "Ａ", most emoji.
/// - **1** for everything else, including halfwidth forms (U+FF71 "ｱ"),
///   narrow, neutral and **ambiguous** (A) characters.
///
/// Ambiguous characters (Greek and Cyrillic letters, "○", "※", box drawing,
/// ...) are counted as 1. A terminal running in a Japanese locale, or with an
/// "ambiguous width = wide" setting, may draw them two cells wide, in which
/// case columns holding them drift; there is no portable way to ask the
/// terminal, so we pick the default of most terminals.
///
/// A string's width is the sum of its scalars' widths. Sequences that
/// terminals are inconsistent about (emoji ZWJ sequences, U+FE0F emoji
/// presentation selectors, Hangul conjoining jamo) are not special-cased.
///
/// The W/F data is the generated table in `EastAsianWidth+Table.swift`
/// (see `EastAsianWidth.unicodeVersion`); general categories come from the
/// Swift runtime's Unicode data.
public enum DisplayWidth {
    /// The display width of one scalar: 0, 1 or 2, as described on
    /// ``DisplayWidth``. Printable ASCII answers 1 without any table lookup.
    @inline(__always)
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x80 { return asciiWidth(UInt8(truncatingIfNeeded: value)) }
        return nonASCIIWidth(scalar)
    }

    /// The display width of `string`: the sum of ``of(_:)-(Unicode.Scalar)``
    /// over its Unicode scalars. All-ASCII text is measured from its UTF-8
    /// bytes (byte count minus control characters) without decoding.
    public static func of(_ string: String) -> Int {
        if let width = string.utf8.withContiguousStorageIfAvailable({ of(utf8: $0) }) {
            return width
        }
        return sumOfScalars(string.unicodeScalars)
    }

    /// The display width of `string`; same contract as ``of(_:)-(String)``.
    public static func of(_ string: Substring) -> Int {
        if let width = string.utf8.withContiguousStorageIfAvailable({ of(utf8: $0) }) {
            return width
        }
        return sumOfScalars(string.unicodeScalars)
    }

    /// The display width of the text encoded in `bytes`, which must be valid
    /// UTF-8 (for example a byte range cut out of a `String`'s storage at
    /// scalar boundaries). The result equals ``of(_:)-(String)`` on the
    /// decoded text. ASCII bytes are counted without decoding; the result for
    /// invalid UTF-8 is unspecified but the call never reads outside `bytes`.
    public static func of(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var width = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                width &+= asciiWidth(lead)
                index &+= 1
                continue
            }
            // Decode one multi-byte sequence; stray continuation bytes and
            // truncated sequences are skipped rather than trapping.
            let length: Int
            var value: UInt32
            switch lead {
            case 0xC0...0xDF: length = 2; value = UInt32(lead & 0x1F)
            case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
            case 0xF0...0xF7: length = 4; value = UInt32(lead & 0x07)
            default: index &+= 1; continue
            }
            guard count - index >= length else { break }
            for offset in 1..<length {
                value = (value << 6) | UInt32(bytes[index &+ offset] & 0x3F)
            }
            index &+= length
            if let scalar = Unicode.Scalar(value) {
                width &+= nonASCIIWidth(scalar)
            }
        }
        return width
    }

    /// Shortens `string` so that its display width is at most `toWidth`.
    ///
    /// - If `string` already fits, it is returned unchanged with
    ///   `truncated == false`.
    /// - Otherwise the result is the longest prefix made of whole grapheme
    ///   clusters (so a base character keeps its combining marks and a wide
    ///   character is never split) whose width is at most `toWidth - 1`,
    ///   followed by "…" (width 1), and `truncated == true`. Its width may be
    ///   less than `toWidth` when a wide character would straddle the limit;
    ///   the result is never padded, callers pad.
    /// - When `toWidth` is 0 or negative and `string` has a non-zero width,
    ///   the result is "" with `truncated == true` (no room for the ellipsis).
    public static func truncate(_ string: String, toWidth: Int) -> (String, truncated: Bool) {
        let limit = max(toWidth, 0)
        if of(string) <= limit { return (string, false) }
        if limit == 0 { return ("", true) }

        let budget = limit - 1
        var used = 0
        var end = string.startIndex
        for character in string {
            let width = sumOfScalars(character.unicodeScalars)
            if used + width > budget { break }
            used += width
            end = string.index(after: end)
        }
        return (String(string[..<end]) + "…", true)
    }

    // MARK: - Private

    /// 1 for printable ASCII, 0 for C0 controls and DEL.
    @inline(__always)
    private static func asciiWidth(_ byte: UInt8) -> Int {
        (byte >= 0x20 && byte != 0x7F) ? 1 : 0
    }

    private static func nonASCIIWidth(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0xA0 { return 0 }  // C1 controls
        // CJK Unified Ideographs: all W, none a mark or format character.
        if value >= 0x4E00 && value <= 0x9FFF { return 2 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            return EastAsianWidth.isWide(value) ? 2 : 1
        }
    }

    private static func sumOfScalars<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> Int {
        var width = 0
        for scalar in scalars { width &+= of(scalar) }
        return width
    }
}

/// East_Asian_Width lookups backed by the generated range table
/// (`EastAsianWidth+Table.swift`, produced by
/// `.ci/generate-east-asian-width.py`).
enum EastAsianWidth {
    /// Whether `codePoint` has East_Asian_Width W or F in
    /// ``unicodeVersion``. Binary search over ``wideRanges``.
    static func isWide(_ codePoint: UInt32) -> Bool {
        let ranges = wideRanges
        guard let first = ranges.first, codePoint >= first.lowerBound,
              let last = ranges.last, codePoint <= last.upperBound
        else { return false }
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if codePoint < range.lowerBound {
                high = middle - 1
            } else if codePoint > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
