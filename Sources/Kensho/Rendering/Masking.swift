/// How personal values look on a screen (DESIGN §6): enough to tell rows apart and
/// check a match, not enough to read the person back.
///
///     name      山田 太郎      → 山田 *        (佐々木太郎 → 佐*)
///     kana      ヤマダ タロウ  → ヤマダ *
///     phone     090-1234-5678  → ***-****-5678 (the last four digits kept)
///     email     taro@example.jp → ****@example.jp
///     birthdate 1975-04-03     → 1975-**-**    (the year kept)
///     postal    444-0001       → 444-****
///     address   湊北市宮前4丁目27-9 → 湊北市宮前*** (up to the first digit)
///     id        2100010000     → ******0000
public enum Masking {
    public static func mask(_ value: String, as role: Role) -> String {
        if value.isEmpty { return value }
        switch role {
        case .name, .kana:
            let separators: Set<Character> = [" ", "\u{3000}", "・", "･"]
            if let space = value.firstIndex(where: { separators.contains($0) }), space != value.startIndex {
                return String(value[..<space]) + " *"
            }
            return String(value.prefix(1)) + "*"
        case .phone:
            var digits = 0
            let total = value.filter { $0.isASCIIDigit || $0.isFullWidthDigit }.count
            return String(value.map { character -> Character in
                guard character.isASCIIDigit || character.isFullWidthDigit else { return character }
                digits += 1
                return digits > total - 4 ? character : "*"
            })
        case .email:
            guard let at = value.lastIndex(of: "@") else { return String(repeating: "*", count: min(8, value.count)) }
            return "****" + value[at...]
        case .birthdate:
            if let year = value.prefix(4).allSatisfy({ $0.isASCIIDigit || $0.isFullWidthDigit }) ? value.prefix(4) : nil {
                return year + "-**-**"
            }
            // Era forms and others: keep what precedes the first digit after the year part.
            return String(value.prefix(while: { !$0.isASCIIDigit && !$0.isFullWidthDigit })) + "**"
        case .postal:
            var shown = 0
            return String(value.map { character -> Character in
                guard character.isASCIIDigit || character.isFullWidthDigit else { return character }
                shown += 1
                return shown <= 3 ? character : "*"
            })
        case .address:
            let prefix = value.prefix(while: { !$0.isASCIIDigit && !$0.isFullWidthDigit && !"一二三四五六七八九十".contains($0) })
            return (prefix.count == value.count ? String(value.prefix(3)) : String(prefix)) + "***"
        case .id:
            let keep = min(4, max(0, value.count - 4))
            return String(repeating: "*", count: value.count - keep) + value.suffix(keep)
        case .registered:
            return value
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isFullWidthDigit: Bool { ("０"..."９").contains(self) }
}

extension Masking {
    /// The table with every column that has a role replaced by its masked text (for
    /// machine formats under `set mask = all` and for `export ... masked`).
    public static func apply(to table: Table) -> Table {
        var result = table
        for (index, field) in table.fields.enumerated() {
            guard let role = field.role, role.isPersonal else { continue }
            let column = table.columns[index]
            var builder = ColumnBuilder(type: .text, capacity: table.rowCount)
            for row in 0..<table.rowCount {
                if let text = column.value(at: row).text { builder.appendText(mask(text, as: role)) } else { builder.appendNull() }
            }
            result.columns[index] = builder.finish()
            result.fields[index].type = .text
        }
        return result
    }

    /// Whether a table has anything to mask.
    public static func applies(to table: Table) -> Bool {
        table.fields.contains { $0.role?.isPersonal == true }
    }
}
