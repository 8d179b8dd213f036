/// The pieces every HTML file kensho writes shares: one inline style sheet, tables and
/// escaping. Pages load nothing from anywhere (no scripts, fonts or images), so they
/// read the same offline, in an archive, or printed.
enum HTMLPage {
    static let style = """
    <style>
    body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 2rem; color: #111; }
    h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
    h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #999; }
    .meta { color: #444; font-size: 0.9rem; }
    .meta code, td.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 0.8rem; word-break: break-all; }
    table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.85rem; }
    th, td { border: 1px solid #bbb; padding: 0.2rem 0.45rem; text-align: left; vertical-align: top; }
    th { background: #eee; }
    td.number { text-align: right; }
    .warning { color: #a00; font-weight: bold; }
    @media print { h2 { break-before: auto; } table { break-inside: auto; } tr { break-inside: avoid; } body { margin: 0; } }
    </style>
    """

    /// One table of `columns` (the visible ones by default). With `masked`, values of
    /// personal columns are masked as on screen.
    static func table(_ table: Table, columns: [Int]? = nil, masked: Bool) -> String {
        var out = "<table><thead><tr>"
        let columns = columns ?? table.visibleIndices
        for index in columns { out += "<th>\(escape(table.fields[index].name))</th>" }
        out += "</tr></thead><tbody>\n"
        for row in 0..<table.rowCount {
            out += "<tr>"
            for index in columns {
                let field = table.fields[index]
                var text = table.columns[index].value(at: row).text ?? ""
                if masked, let role = field.role, role.isPersonal, !text.isEmpty { text = Masking.mask(text, as: role) }
                let kind = field.type.isNumeric ? " class=\"number\"" : (field.name.contains("sha256") ? " class=\"hash\"" : "")
                out += "<td\(kind)>\(escape(text))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// `export PIPELINE to x.html`: a page with the table and a line of where it came from.
    static func document(_ table: Table, columns: [Int], title: String, masked: Bool) -> String {
        var out = """
        <!doctype html>
        <html><head><meta charset="utf-8">
        <title>\(escape(title))</title>
        \(style)
        </head><body>
        <h1>\(escape(title))</h1>

        """
        out += "<p class=\"meta\">\(table.rowCount) rows; personal values \(masked ? "masked" : "<span class=\"warning\">NOT masked</span>").</p>\n"
        out += self.table(table, columns: columns, masked: false)
        return out + "</body></html>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
