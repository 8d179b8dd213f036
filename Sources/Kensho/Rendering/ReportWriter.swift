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
        <title>\(HTMLPage.escape(report.title))</title>
        \(HTMLPage.style)
        </head><body>
        <h1>\(HTMLPage.escape(report.title))</h1>
        <div class="meta">
        <p>Generated \(HTMLPage.escape(report.generated)) by \(HTMLPage.escape(report.operatorName)) with \(HTMLPage.escape(report.tool)).</p>

        """
        if let journal = report.journal {
            out += "<p>Evidence log <code>\(HTMLPage.escape(journal.path))</code>: \(journal.entries) entries, head hash <code>\(journal.head)</code>. "
                + "Check it with <code>kensho verify \(HTMLPage.escape(journal.path))</code>; this report's own export is the next entry.</p>\n"
        }
        out += report.masked ? "<p>Personal values are masked.</p>\n" : "<p class=\"warning\">Personal values are NOT masked.</p>\n"
        out += "</div>\n<h2>Inputs</h2>\n"
        out += HTMLPage.table(Table.build([("dataset", .text), ("file", .text), ("format", .text), ("encoding", .text),
                                  ("rows", .integer), ("bytes", .integer), ("sha256", .text)],
                                 rows: report.inputs.map { [.text($0.dataset), .text($0.path), .text($0.format), .text($0.encoding),
                                                            .integer(Int64($0.rows)), .integer(Int64($0.bytes)), .text($0.sha256)] }),
                     masked: false)
        for section in report.sections {
            out += "<h2>\(HTMLPage.escape(section.title))</h2>\n"
            if let text = section.text {
                for line in text.split(separator: "\n") {
                    out += "<p>" + HTMLPage.escape(String(line)).replacingOccurrences(of: "**", with: "") + "</p>\n"
                }
            }
            if let table = section.table { out += HTMLPage.table(table, masked: report.masked) }
        }
        return out + "</body></html>\n"
    }
}

import Foundation
