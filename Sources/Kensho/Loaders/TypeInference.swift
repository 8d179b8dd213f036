/// Column types for loaded text, decided over every value, never a sample.
///
/// A column becomes `integer` or `float` only when every non-null value reads back byte
/// for byte from the number (`0012` and `1.50` stay text: the evidence is the text as
/// written). Columns whose header names a code — ids, card numbers, phone, postal
/// codes — stay text whatever their values, so 4440001 is not summed or reformatted.
public enum TypeInference {
    /// Header fragments that mark a code column.
    static let codeHeaderFragments = [
        "id", "no", "code", "zip", "postal", "tel", "phone", "fax", "card", "number", "num",
        "date", "dob", "birth", "birthday", "registered",
        "番号", "コード", "郵便", "〒", "電話", "携帯", "カード", "ｺｰﾄﾞ", "ｶｰﾄﾞ", "日付", "生年月日", "登録日", "年月日",
    ]

    /// The ASCII fragments with the spellings they are matched in, worked out once: this
    /// runs for every column of every load (16,384 columns at the most).
    private static let asciiFragments: [(fragment: String, upper: String, capitalized: String)] =
        codeHeaderFragments.filter { $0.unicodeScalars.allSatisfy(\.isASCII) }.map {
            ($0, $0.uppercased(), $0.prefix(1).uppercased() + $0.dropFirst())
        }
    private static let otherFragments = codeHeaderFragments.filter { !$0.unicodeScalars.allSatisfy(\.isASCII) }

    public static func isCodeHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        let words = lowered.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        for (fragment, upper, capitalized) in asciiFragments {
            // ASCII fragments match whole words or snake/camel parts: user_id, cardNo.
            if words.contains(fragment) || lowered.hasSuffix("_" + fragment) || lowered.hasPrefix(fragment + "_") {
                return true
            }
            if name.hasSuffix(upper) || name.hasSuffix(capitalized) {
                return name.count > fragment.count
            }
        }
        return otherFragments.contains { lowered.contains($0) }
    }

    /// Canonical decimal integer: `0`, `-12`, `345`; no leading zeros or plus sign.
    @inline(__always)
    static func canonicalInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let count = bytes.count
        guard count > 0, count <= 19 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
            guard count > 1 else { return nil }
        }
        if bytes[i] == UInt8(ascii: "0") { return count == i + 1 && !negative ? 0 : nil }
        var value: Int64 = 0
        while i < count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            // Nineteen digits can exceed Int64.max: such a value does not read back, so it is not an integer.
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflow, !carry else { return nil }
            value = sum
            i += 1
        }
        return negative ? -value : value
    }

    /// 18000101...21001231 with a real month and day.
    static func isCompactDate(_ value: Int64) -> Bool {
        guard value >= 1800_01_01, value <= 2100_12_31 else { return false }
        let month = (value / 100) % 100
        let day = value % 100
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// A decimal fraction that Swift prints back identically (`1.5`, `-0.25`).
    static func canonicalFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        // A double prints in at most 24 characters; a longer text cannot read back.
        guard bytes.count <= 32 else { return nil }
        var sawDot = false
        var sawDigit = false
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "-"), index == 0 { continue }
            if byte == UInt8(ascii: ".") {
                if sawDot { return nil }
                sawDot = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            sawDigit = true
        }
        guard sawDot, sawDigit else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let value = Double(text), "\(value)" == text else { return nil }
        return value
    }

    /// True for text that reads as a number (used by header sniffing).
    public static func isNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { canonicalInteger($0) != nil || canonicalFloat($0) != nil }
            || (Double(text) != nil && text.first.map { $0.isNumber || $0 == "-" || $0 == "." } == true)
    }

    /// Converts a text column to integer or float when every value allows it.
    static func infer(_ ranges: RangeArray, arena: ByteArena, header: String) -> Column {
        let textColumn = Column(.text(TextStorage(arena: arena, ranges: ranges)))
        if isCodeHeader(header) { return textColumn }
        // A first pass only looks (most columns are text and stop at their first value);
        // storage is allocated once a column is known to be numeric.
        var sawInteger = false
        var sawFraction = false
        for range in ranges where !range.isNull {
            let bytes = arena.buffer(range)
            if canonicalInteger(bytes) != nil {
                sawInteger = true
            } else if canonicalFloat(bytes) != nil {
                sawFraction = true
            } else {
                return textColumn
            }
        }
        guard sawInteger || sawFraction else { return textColumn }
        var valid = [Bool](repeating: true, count: ranges.count)
        var hasNull = false
        if !sawFraction {
            var integers = [Int64](repeating: 0, count: ranges.count)
            for (row, range) in ranges.enumerated() {
                if range.isNull { valid[row] = false; hasNull = true; continue }
                integers[row] = canonicalInteger(arena.buffer(range))!
            }
            // Eight-digit values that are all calendar dates (19750403) are dates, kept as text.
            if zip(integers, valid).allSatisfy({ value, isValid in !isValid || isCompactDate(value) }) { return textColumn }
            return Column(.integer(integers, valid: hasNull ? valid : []))
        }
        var floats = [Double](repeating: 0, count: ranges.count)
        for (row, range) in ranges.enumerated() {
            if range.isNull { valid[row] = false; hasNull = true; continue }
            let bytes = arena.buffer(range)
            floats[row] = canonicalInteger(bytes).map(Double.init) ?? canonicalFloat(bytes)!
        }
        return Column(.float(floats, valid: hasNull ? valid : []))
    }

}
