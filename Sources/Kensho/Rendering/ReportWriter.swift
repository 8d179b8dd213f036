/// Writes a `Report` as Markdown or as one self-contained HTML file.
///
/// The HTML has its style inline and loads nothing (no scripts, fonts or images from
/// anywhere), so it reads the same offline, in an archive, or printed; page breaks fall
/// between sections when printed.
enum ReportWriter {
    static func markdown(_ report: Report) -> String {
        var out = "# \(report.title)\n\n"
        out += "- generated: \(report.generated) by \(report.operatorName) with \(report.tool)\n"
        if let journal = report.journal {
            out += "- evidence log: `\(journal.path)`, \(journal.entries) entries, head hash `\(journal.head)`\n"
            out += "  (check it with `kensho verify \(journal.path)`; this report's own export is the next entry)\n"
        }
        out += "- personal values: \(report.masked ? "masked" : "NOT masked")\n\n"
        out += "## Inputs\n\n"
        out += markdownTable(Table.build([("dataset", .text), ("file", .text), ("format", .text), ("encoding", .text),
                                  ("rows", .integer), ("bytes", .integer), ("sha256", .text)],
                                 rows: report.inputs.map { [.text($0.dataset), .text($0.path), .text($0.format), .text($0.encoding),
                                                            .integer(Int64($0.rows)), .integer(Int64($0.bytes)), .text($0.sha256)] }),
                     masked: false)
        for section in report.sections {
            out += "\n## \(section.title)\n\n"
            if let text = section.text { out += text + "\n\n" }
            if let table = section.table { out += markdownTable(table, masked: report.masked) }
        }
        return out
    }

    private static func markdownTable(_ table: Table, masked: Bool) -> String {
        let sink = BufferSink()
        let display: ((Int, Int) -> String?)? = masked ? { column, row in
            guard let role = table.fields[column].role, role.isPersonal else { return nil }
            return table.columns[column].value(at: row).text.map { Masking.mask($0, as: role) }
        } : nil
        MarkdownWriter().write(table, columns: table.visibleIndices, display: display, to: sink)
        return sink.text
    }

    static func html(_ report: Report) -> String {
        var out = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(escape(report.title))</title>
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
        </style></head><body>
        <h1>\(escape(report.title))</h1>
        <div class="meta">
        <p>Generated \(escape(report.generated)) by \(escape(report.operatorName)) with \(escape(report.tool)).</p>

        """
        if let journal = report.journal {
            out += "<p>Evidence log <code>\(escape(journal.path))</code>: \(journal.entries) entries, head hash <code>\(journal.head)</code>. "
                + "Check it with <code>kensho verify \(escape(journal.path))</code>; this report's own export is the next entry.</p>\n"
        }
        out += report.masked ? "<p>Personal values are masked.</p>\n" : "<p class=\"warning\">Personal values are NOT masked.</p>\n"
        out += "</div>\n<h2>Inputs</h2>\n"
        out += htmlTable(Table.build([("dataset", .text), ("file", .text), ("format", .text), ("encoding", .text),
                                  ("rows", .integer), ("bytes", .integer), ("sha256", .text)],
                                 rows: report.inputs.map { [.text($0.dataset), .text($0.path), .text($0.format), .text($0.encoding),
                                                            .integer(Int64($0.rows)), .integer(Int64($0.bytes)), .text($0.sha256)] }),
                     masked: false)
        for section in report.sections {
            out += "<h2>\(escape(section.title))</h2>\n"
            if let text = section.text {
                for line in text.split(separator: "\n") {
                    out += "<p>" + escape(String(line)).replacingOccurrences(of: "**", with: "") + "</p>\n"
                }
            }
            if let table = section.table { out += htmlTable(table, masked: report.masked) }
        }
        return out + "</body></html>\n"
    }

    private static func htmlTable(_ table: Table, masked: Bool) -> String {
        var out = "<table><thead><tr>"
        let columns = table.visibleIndices
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

import Foundation
