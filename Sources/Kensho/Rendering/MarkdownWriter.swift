/// A Markdown table (GitHub style). Pipes and line breaks inside cells are escaped.
struct MarkdownWriter {
    func write(_ table: Table, columns: [Int], display: ((Int, Int) -> String?)? = nil, to sink: any OutputSink) {
        var out = ChunkedWriter(sink)
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: "<br>")
                .replacingOccurrences(of: "\n", with: "<br>")
        }
        out.append("| " + columns.map { cell(table.fields[$0].name) }.joined(separator: " | ") + " |\n")
        out.append("|" + columns.map { table.fields[$0].type.isNumeric ? " ---: |" : " --- |" }.joined() + "\n")
        for row in 0..<table.rowCount {
            let values = columns.map { index -> String in
                if let replaced = display?(index, row) { return cell(replaced) }
                let value = table.columns[index].value(at: row)
                return value.isNull ? "" : cell(value.text ?? "")
            }
            out.append("| " + values.joined(separator: " | ") + " |\n")
        }
        out.flush()
    }
}

import Foundation
