/// Turns the rows passing a `tag` operator into tags on their identities.
enum Tagging {
    static func tags(for table: Table, label: String, note: String?, operatorName: String, time: String,
                     range: SourceRange) throws(Diagnostic) -> [FindingLog.Tag] {
        guard let datasetIndex = table.index(of: "_dataset"), let sourceIndex = table.index(of: "_source"),
              let lineIndex = table.index(of: "_line"), table.fields[lineIndex].type == .integer
        else {
            throw Diagnostic("these rows have no provenance to tag (no _dataset, _source and _line)", at: range,
                             hint: "tag rows before 'count', 'count by' or 'distinct COL' turns them into new rows")
        }
        let datasets = table.columns[datasetIndex]
        let sources = table.columns[sourceIndex]
        let lines = NumberReader(.column(table.columns[lineIndex]))
        var tags: [FindingLog.Tag] = []
        tags.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            guard let dataset = datasets.value(at: row).text, let source = sources.value(at: row).text,
                  let line = lines.integer(row) else { continue }
            tags.append(.init(label: label, note: note, dataset: dataset, source: source, line: line,
                              operatorName: operatorName, time: time))
        }
        return tags
    }
}
