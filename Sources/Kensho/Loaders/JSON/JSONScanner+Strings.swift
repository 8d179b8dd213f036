/// Strings: found in one pass, decoded in a second pass only when they hold escapes.
///
/// Most strings in a dump have no backslash, so their content is used where it lies in
/// the file (a byte range, no copy); this is the fast path swift-foundation's JSON
/// scanner takes too. The text was already checked to be UTF-8 by `TextDecoding`, so
/// only JSON's own rules remain: no raw control characters, valid escapes, and `\u`
/// escapes that pair surrogates correctly (a lone surrogate is not a character and is
/// refused, not replaced).
extension JSONScanner {
    struct ScannedString {
        /// The bytes between the quotes, as written.
        var content: Range<Int>
        var hasEscapes: Bool
        /// The string with its quotes.
        var quoted: Range<Int> { (content.lowerBound - 1)..<(content.upperBound + 1) }
    }

    /// Scans the string whose opening quote is at the cursor and moves past its closing quote.
    mutating func scanString() throws(JSONSyntaxError) -> ScannedString {
        let open = position
        position += 1
        let start = position
        var hasEscapes = false
        let count = bytes.count
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        while position < count {
            // Eight bytes at a time while none is a quote, a backslash or a control
            // character (SWAR, as in the CSV scanner): most of a dump is plain text.
            while position + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                guard !JSONScanner.mayEndPlainRun(word) else { break }
                position += 8
            }
            guard position < count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let string = ScannedString(content: start..<position, hasEscapes: hasEscapes)
                position += 1
                return string
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                // The escaped byte is checked when the string is decoded; skipping it here
                // keeps an escaped quote from ending the string.
                position += 2
                continue
            }
            if byte < 0x20 {
                throw JSONSyntaxError("control character U+\(hex4(UInt32(byte))) inside a string; JSON requires it escaped"
                                      + (byte == 0x0A ? " as \\n (or the string's closing quote is missing)" : ""),
                                      at: position)
            }
            position += 1
        }
        throw JSONSyntaxError("unterminated string: the quote opened here is never closed", at: open)
    }

    /// Whether any of eight bytes is `"`, `\` or below 0x20. Exact: the borrow trick can
    /// only misfire above a byte that really matches.
    @inline(__always)
    static func mayEndPlainRun(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let control = (word &- ones &* 0x20) & ~word & highs
        return hasZero(quote) || hasZero(backslash) || control != 0
    }

    /// Appends the string's text, escapes decoded, as UTF-8 to `output`.
    func decode(_ string: ScannedString, into output: inout [UInt8]) throws(JSONSyntaxError) {
        var i = string.content.lowerBound
        let end = string.content.upperBound
        while i < end {
            var runEnd = i
            while runEnd < end, bytes[runEnd] != UInt8(ascii: "\\") { runEnd += 1 }
            if runEnd > i {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<runEnd]))
                i = runEnd
                continue
            }
            let escape = i
            guard i + 1 < end else {
                throw JSONSyntaxError("a backslash at the end of a string", at: escape)
            }
            let letter = bytes[i + 1]
            i += 2
            switch letter {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(letter)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try codeUnit(at: i, end: end, escape: escape)
                i += 4
                var scalar = unit
                if (0xD800...0xDBFF).contains(unit) {
                    guard i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                          let low = try? codeUnit(at: i + 2, end: end, escape: i), (0xDC00...0xDFFF).contains(low)
                    else {
                        throw JSONSyntaxError("lone surrogate \\u\(hex4(unit)): a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)",
                                              at: escape)
                    }
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw JSONSyntaxError("lone surrogate \\u\(hex4(unit)): a low surrogate without a high one before it",
                                          at: escape)
                }
                JSONScanner.appendUTF8(scalar, to: &output)
            default:
                let shown = letter >= 0x20 && letter < 0x7F
                    ? "'\\\(Character(Unicode.Scalar(letter)))'" : "'\\' followed by \(describe(at: escape + 1))"
                throw JSONSyntaxError("invalid escape \(shown) in a string",
                                      at: escape, notes: ["JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"])
            }
        }
    }

    /// The four hex digits of a `\u` escape starting at `offset`.
    private func codeUnit(at offset: Int, end: Int, escape: Int) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for index in offset..<(offset + 4) {
            guard index < end else {
                throw JSONSyntaxError("invalid \\u escape: expected four hex digits", at: escape)
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONSyntaxError("invalid \\u escape: expected four hex digits", at: escape)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Appends a Unicode scalar value (not a surrogate) as UTF-8.
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
