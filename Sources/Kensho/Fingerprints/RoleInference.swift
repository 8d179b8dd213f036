/// Guesses column roles from headers, then from values (DESIGN §4).
///
/// A header synonym decides at once. Otherwise the column's values are examined: when
/// at least 90% of the non-empty values (of up to 2,000 sampled in order) have the shape
/// of a phone number, a date, a postal code or an e-mail address, the column gets that
/// role and the share is the evidence. Names, readings and addresses are only
/// recognised by header: their values have no reliable shape.
public enum RoleInference {
    static let sampleSize = 2_000
    static let threshold = 0.9

    public static func infer(_ table: Table) -> [String: RoleAssignment] {
        var result: [String: RoleAssignment] = [:]
        var taken: Set<Role> = []
        for field in table.fields where !field.isProvenance {
            if let role = Role.forHeader(field.name), !taken.contains(role) {
                result[field.name] = RoleAssignment(role: role, evidence: "header '\(field.name)'")
                taken.insert(role)
            }
        }
        for (index, field) in table.fields.enumerated() where !field.isProvenance && result[field.name] == nil {
            guard field.type == .text, let (role, share, matched, seen) = shape(of: table.columns[index], rows: table.rowCount),
                  !taken.contains(role)
            else { continue }
            let percent = Int((share * 100).rounded(.down))
            result[field.name] = RoleAssignment(role: role, evidence: "values: \(percent)% \(role.rawValue)-shaped (\(matched) of \(seen))")
            taken.insert(role)
        }
        return result
    }

    /// The shape most values of a text column have, with its share.
    static func shape(of column: Column, rows: Int) -> (Role, Double, Int, Int)? {
        var counts: [Role: Int] = [:]
        var seen = 0
        var row = 0
        while row < rows, seen < sampleSize {
            defer { row += 1 }
            guard let bytes = column.textBytes(row), !bytes.isEmpty else { continue }
            seen += 1
            if let role = ValueShape.classify(bytes) { counts[role, default: 0] += 1 }
        }
        guard seen >= 3, let (role, count) = counts.max(by: { $0.value < $1.value }) else { return nil }
        let share = Double(count) / Double(seen)
        return share >= threshold ? (role, share, count, seen) : nil
    }
}

/// Recognises value shapes on bytes, ASCII and full-width digits alike.
enum ValueShape {
    /// No value with a shape is longer than this (an e-mail address is at most 254
    /// bytes); longer values are not examined, so a 100 MB cell costs nothing here.
    static let longestShaped = 256

    static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> Role? {
        guard bytes.count <= longestShaped else { return nil }
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars.map { folded($0) }
        var digits = 0
        var other = 0
        var separators = 0
        var at = 0
        var dot = 0
        var letters = 0
        var era = false
        for scalar in scalars {
            switch scalar {
            case "0"..."9": digits += 1
            case "-", "/", ".", "(", ")", " ", "+", "ー", "〒": separators += 1
            case "@": at += 1
            case "年", "月", "日": separators += 1; era = true
            case "明", "治", "大", "正", "昭", "和", "平", "成", "令", "元": era = true
            default:
                if scalar.properties.isAlphabetic { letters += 1 } else { other += 1 }
            }
            if scalar == "." { dot += 1 }
        }
        if at == 1, dot >= 1, letters > 0, !scalars.contains(" ") { return .email }
        guard letters <= 1, other == 0 else { return nil }
        let text = String(String.UnicodeScalarView(scalars))
        if era || isDate(text) { return .birthdate }
        if digits == 7, scalars.count <= 9, !text.contains("/") { return .postal }
        if digits >= 10, digits <= 13, letters == 0 { return .phone }
        return nil
    }

    /// yyyy-mm-dd, yyyy/m/d, yyyy.m.d, yyyymmdd, or an era letter form (S50.4.3).
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        if parts.count == 3 {
            let first = parts[0]
            if first.count == 4, first.allSatisfy(\.isNumber), parts[1].count <= 2, parts[2].count <= 2 { return true }
            if let letter = first.first, "MTSHRmtshr".contains(letter), first.dropFirst().allSatisfy(\.isNumber),
               parts[1].count <= 2, parts[2].count <= 2 { return true }
        }
        if text.count == 8, text.allSatisfy(\.isNumber), let value = Int64(text) {
            return TypeInference.isCompactDate(value)
        }
        return false
    }

    /// Full-width digits and ASCII forms folded to ASCII, so shapes ignore width.
    static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value >= 0xFF01, scalar.value <= 0xFF5E { return Unicode.Scalar(scalar.value - 0xFEE0)! }
        if scalar.value == 0x3000 { return " " }
        if scalar.value == 0x2212 || scalar.value == 0x2010 || scalar.value == 0x2015 { return "-" }
        return scalar
    }
}
