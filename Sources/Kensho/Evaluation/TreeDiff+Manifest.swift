/// The inputs of `diff A B`: tree manifests, checked before anything is compared.
extension TreeDiff {
    /// One side of a diff: a manifest's table and the columns the diff reads.
    struct Manifest {
        let name: String
        let table: Table
        let path: Column
        /// The identity of a path: its bytes in hex (`TreeManifest.pathHexColumn`).
        let pathHex: Column
        let sha256: Column
        let size: Column

        var count: Int { table.rowCount }

        /// The optional provenance column `name`, if the table carries it.
        func provenance(_ name: String) -> Column? {
            guard let index = table.fields.firstIndex(where: { $0.name == name && $0.isProvenance }) else { return nil }
            return table.columns[index]
        }
    }

    /// A dataset as a diff input: loaded with `format=dir`, or derived from one with its
    /// columns kept (`before | where path like 'news/%'` diffs a part of a tree). It must
    /// list every path once and have a SHA-256 for every file: the six classes are
    /// facts only when every content is known, so an unreadable file stops the diff
    /// rather than becoming a guessed deletion or addition.
    static func manifest(_ dataset: Dataset, at range: SourceRange) throws(Diagnostic) -> Manifest {
        let table = dataset.table
        func column(_ name: String, _ type: ColumnType) -> Column? {
            guard let index = table.fields.firstIndex(where: { $0.name == name }), table.fields[index].type == type
            else { return nil }
            return table.columns[index]
        }
        guard let path = column("path", .text), let pathHex = column(TreeManifest.pathHexColumn, .text),
              let sha256 = column("sha256", .text), let size = column("size", .integer)
        else {
            let isDerivedFromTree = table.fields.contains { $0.name == TreeManifest.pathHexColumn }
            let message = "'\(dataset.name)' is not a directory manifest; "
                + "diff A B by FP compares tables, which needs a fingerprint"
            throw Diagnostic(message, at: range, notes: isDerivedFromTree
                ? ["a manifest derived with a pipeline must keep the columns path, size and sha256"]
                : ["load a directory tree as a manifest with: load DIR (or load PATH with format=dir)"])
        }
        for row in 0..<table.rowCount where pathHex.isNull(row) {
            throw Diagnostic("row \(row + 1) of '\(dataset.name)' is not from a directory manifest "
                             + "(it has no \(TreeManifest.pathHexColumn))",
                             at: range, notes: ["a union of a manifest with other data cannot be diffed"])
        }
        let unreadable = (0..<table.rowCount).filter { sha256.isNull($0) }
        if let first = unreadable.first {
            let files = unreadable.count == 1 ? "1 file" : "\(unreadable.count) files"
            throw Diagnostic("'\(dataset.name)' has \(files) whose content could not be read "
                             + "(first '\(text(path, first))'), so they cannot be classified",
                             at: range,
                             notes: ["see: rejects \(dataset.name)",
                                     "make them readable and load the tree again; or leave them out of both sides "
                                         + "with | where sha256 is not null (they then show as deleted or new)"])
        }
        return Manifest(name: dataset.name, table: table, path: path, pathHex: pathHex, sha256: sha256, size: size)
    }

    /// Fails when a path occurs twice (a union of manifests, say): one row per path is
    /// what makes the classes well defined.
    static func checkUnique(_ manifest: Manifest, _ paths: GroupIndex, at range: SourceRange) throws(Diagnostic) {
        guard paths.groupCount < manifest.count,
              let group = paths.sizes.firstIndex(where: { $0 > 1 }) else { return }
        let row = Int(paths.firstRow[group])
        throw Diagnostic("'\(manifest.name)' lists the path '\(text(manifest.path, row))' \(paths.sizes[group]) times; "
                         + "a manifest has one row per path", at: range)
    }

    static func text(_ column: Column, _ row: Int) -> String {
        column.value(at: row).text ?? ""
    }
}
