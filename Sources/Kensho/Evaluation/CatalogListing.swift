/// The `datasets` and `rejects` sources: the catalog and load issues as tables.
enum CatalogListing {
    static func datasets(_ catalog: Catalog) -> Table {
        let rows: [[Value]] = catalog.datasets.map { dataset in
            let file = dataset.sourceFile
            let visible = dataset.table.visibleIndices.count
            return [
                .text(dataset.name),
                .integer(Int64(dataset.table.rowCount)),
                .integer(Int64(visible)),
                file.map { .text($0.format) } ?? .text("derived"),
                file.map { .text($0.encoding.name) } ?? .null,
                .integer(Int64(dataset.loadIssues.count)),
                file.map { .text($0.path) } ?? {
                    if case .derived(let statement) = dataset.origin { return .text(statement) }
                    return .null
                }(),
                file.map { .text($0.sha256) } ?? .null,
            ]
        }
        return Table.build([("name", .text), ("rows", .integer), ("columns", .integer), ("format", .text),
                            ("encoding", .text), ("issues", .integer), ("source", .text), ("sha256", .text)],
                           rows: rows)
    }

    static func roles(_ dataset: Dataset) -> Table {
        let rows: [[Value]] = dataset.table.fields.filter { !$0.isProvenance }.map { field in
            let assignment = dataset.roles[field.name]
            return [.text(field.name), assignment.map { .text($0.role.rawValue) } ?? .null,
                    assignment.map { .text($0.role.defaultKeyer) } ?? .null,
                    assignment.map { .text($0.evidence) } ?? .null]
        }
        return Table.build([("column", .text), ("role", .text), ("keyer", .text), ("evidence", .text)], rows: rows)
    }

    /// A file's issues by line and byte offset; a tree's by path, with the row in the
    /// manifest (null when the path has no row) and whether it is a warning or a note.
    static func rejects(_ dataset: Dataset) -> Table {
        if dataset.sourceFile?.format == "dir" {
            let rows: [[Value]] = dataset.loadIssues.map { issue in
                [.text(dataset.name), issue.line > 0 ? .integer(Int64(issue.line)) : .null,
                 issue.path.map(Value.text) ?? .null, .text(issue.severity.rawValue), .text(issue.reason)]
            }
            return Table.build([("dataset", .text), ("line", .integer), ("path", .text), ("severity", .text),
                                ("reason", .text)], rows: rows)
        }
        let rows: [[Value]] = dataset.loadIssues.map { issue in
            [.text(dataset.name), .integer(Int64(issue.line)), .integer(Int64(issue.byteOffset)), .text(issue.reason)]
        }
        return Table.build([("dataset", .text), ("line", .integer), ("byte_offset", .integer), ("reason", .text)], rows: rows)
    }
}
