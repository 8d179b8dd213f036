/// Renders a table for a person: box-drawn, columns aligned by display width (so
/// Japanese text lines up), numbers right-aligned, long cells cut with "…", and at
/// most `maxRows` rows with a footer saying how many were left out.
///
/// Cells are measured in terminal columns with the East Asian Width table; control
/// characters are shown escaped (`\n`) so a cell never breaks the grid.
public struct TableRenderer: Sendable {
    public var maxRows: Int
    public var maxColumnWidth: Int
    /// The terminal's width; columns are narrowed (then dropped) to fit.
    public var terminalWidth: Int

    public init(maxRows: Int = 40, maxColumnWidth: Int = 40, terminalWidth: Int = 160) {
        self.maxRows = maxRows
        self.maxColumnWidth = maxColumnWidth
        self.terminalWidth = terminalWidth
    }

    /// `display(column, row)` may replace a cell's text (masking); nil keeps it.
    public func render(_ table: Table, columns: [Int], display: ((Int, Int) -> String?)?) -> String {
        let shownRows = min(table.rowCount, max(0, maxRows))
        let headers = columns.map { TableRenderer.escaped(table.fields[$0].name) }
        var cells: [[String]] = columns.map { _ in [] }
        for (position, index) in columns.enumerated() {
            let column = table.columns[index]
            cells[position].reserveCapacity(shownRows)
            for row in 0..<shownRows {
                if let replaced = display?(index, row) {
                    cells[position].append(replaced)
                } else {
                    cells[position].append(TableRenderer.text(of: column.value(at: row)))
                }
            }
        }
        var widths = zip(headers, cells).map { header, values in
            min(maxColumnWidth, max(DisplayWidth.of(header), values.map { DisplayWidth.of($0) }.max() ?? 0, 1))
        }
        // Fit the terminal: narrow the widest columns, then drop columns from the right.
        var shown = columns.count
        func total() -> Int { widths.prefix(shown).reduce(0, +) + 3 * shown + 1 }
        while total() > terminalWidth, let widest = widths.prefix(shown).indices.max(by: { widths[$0] < widths[$1] }),
              widths[widest] > 8 {
            widths[widest] -= 1
        }
        while shown > 1, total() > terminalWidth { shown -= 1 }

        let numeric = columns.map { table.fields[$0].type.isNumeric }
        var out = ""
        func rule(_ left: String, _ middle: String, _ right: String) {
            out += left + (0..<shown).map { String(repeating: "─", count: widths[$0] + 2) }.joined(separator: middle) + right + "\n"
        }
        func line(_ values: [String], rightAlign: [Bool]) {
            out += "│"
            for position in 0..<shown {
                let (text, _) = DisplayWidth.truncate(values[position], toWidth: widths[position])
                let pad = String(repeating: " ", count: max(0, widths[position] - DisplayWidth.of(text)))
                out += " " + (rightAlign[position] ? pad + text : text + pad) + " │"
            }
            out += "\n"
        }
        rule("┌", "┬", "┐")
        line(headers, rightAlign: numeric)
        rule("├", "┼", "┤")
        for row in 0..<shownRows { line(cells.map { $0[row] }, rightAlign: numeric) }
        rule("└", "┴", "┘")
        var footer = table.rowCount == 1 ? "1 row" : "\(TableRenderer.grouped(table.rowCount)) rows"
        if shownRows < table.rowCount {
            footer += " (showing the first \(shownRows); set maxrows = N to see more, or export)"
        }
        if shown < columns.count {
            footer += "; \(columns.count - shown) more column\(columns.count - shown == 1 ? "" : "s") not shown: "
                + columns[shown...].map { table.fields[$0].name }.joined(separator: ", ")
        }
        out += footer + "\n"
        return out
    }

    static func text(of value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .text(let text): return escaped(text)
        default: return value.text ?? ""
        }
    }

    /// Control characters made visible so a cell stays on one line.
    static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// 1234567 → "1,234,567".
    public static func grouped(_ number: Int) -> String {
        let digits = String(abs(number))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return number < 0 ? "-" + out : out
    }
}
