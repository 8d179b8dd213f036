/// The result table of `diff A B` (columns as described on `TreeDiff`).
extension TreeDiff {
    func table(_ entries: [Entry]) -> Table {
        let count = entries.count
        var change = ColumnBuilder(type: .text, capacity: count)
        var path = ColumnBuilder(type: .text, capacity: count)
        var oldPath = ColumnBuilder(type: .text, capacity: count)
        var sha256 = ColumnBuilder(type: .text, capacity: count)
        var oldSHA256 = ColumnBuilder(type: .text, capacity: count)
        var size = ColumnBuilder(type: .integer, capacity: count)
        var dataset = ColumnBuilder(type: .text, capacity: count)
        var source = ColumnBuilder(type: .text, capacity: count)
        var line = ColumnBuilder(type: .integer, capacity: count)
        var pathHex = ColumnBuilder(type: .text, capacity: count)
        var oldPathHex = ColumnBuilder(type: .text, capacity: count)
        let afterProvenance = ProvenanceColumns(after), beforeProvenance = ProvenanceColumns(before)

        for entry in entries {
            change.appendText(entry.change.rawValue)
            // The side `path` is in: B, except for a deletion.
            let (side, row, sideProvenance) = entry.after >= 0
                ? (after, entry.after, afterProvenance) : (before, entry.before, beforeProvenance)
            path.append(from: side.path, row: row)
            size.append(from: side.size, row: row)
            pathHex.append(from: side.pathHex, row: row)
            TreeDiff.copy(sideProvenance.dataset, row, into: &dataset)
            TreeDiff.copy(sideProvenance.source, row, into: &source)
            TreeDiff.copy(sideProvenance.line, row, into: &line)
            if entry.after >= 0 { sha256.append(from: after.sha256, row: entry.after) } else { sha256.appendNull() }
            if entry.before >= 0 {
                oldPath.append(from: before.path, row: entry.before)
                oldSHA256.append(from: before.sha256, row: entry.before)
                oldPathHex.append(from: before.pathHex, row: entry.before)
            } else {
                oldPath.appendNull()
                oldSHA256.appendNull()
                oldPathHex.appendNull()
            }
        }

        let fields = [Field(name: "class", type: .text), Field(name: "path", type: .text),
                      Field(name: "old_path", type: .text), Field(name: "sha256", type: .text),
                      Field(name: "old_sha256", type: .text), Field(name: "size", type: .integer),
                      Field(name: "_dataset", type: .text, isProvenance: true),
                      Field(name: "_source", type: .text, isProvenance: true),
                      Field(name: "_line", type: .integer, isProvenance: true),
                      Field(name: TreeManifest.pathHexColumn, type: .text, isProvenance: true),
                      Field(name: "_old_path_hex", type: .text, isProvenance: true)]
        let columns = [change.finish(), path.finish(), oldPath.finish(), sha256.finish(), oldSHA256.finish(),
                       size.finish(), dataset.finish(), source.finish(), line.finish(), pathHex.finish(),
                       oldPathHex.finish()]
        return Table(fields: fields, columns: columns, rowCount: count)
    }

    /// A manifest's provenance columns, when it still has them with their types.
    private struct ProvenanceColumns {
        let dataset: Column?
        let source: Column?
        let line: Column?

        init(_ manifest: Manifest) {
            dataset = manifest.provenance("_dataset").flatMap { $0.type == .text ? $0 : nil }
            source = manifest.provenance("_source").flatMap { $0.type == .text ? $0 : nil }
            line = manifest.provenance("_line").flatMap { $0.type == .integer ? $0 : nil }
        }
    }

    private static func copy(_ column: Column?, _ row: Int, into builder: inout ColumnBuilder) {
        if let column { builder.append(from: column, row: row) } else { builder.appendNull() }
    }
}
