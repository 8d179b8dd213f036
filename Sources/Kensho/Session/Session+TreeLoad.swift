/// The status lines of a tree load: what was listed, the manifest digest, and the
/// problems by path. Warnings are named one by one (the first few), because an
/// unreadable file or directory is a gap in the evidence the investigator must see;
/// skipped links and special files are by design, so they are only counted.
extension Session {
    static let treeWarningsShown = 5

    /// A status line when the path loaded is a symbolic link (`Loader.symbolicLinkTarget`).
    static func linkNote(_ path: String) -> String {
        Loader.symbolicLinkTarget(path).map { "  note: '\(path)' is a symbolic link to '\($0)', which was read\n" } ?? ""
    }

    static func treeLoadSummary(_ dataset: Dataset, _ file: SourceFile) -> String {
        let rows = dataset.table.rowCount
        var text = "\(dataset.name): \(TableRenderer.grouped(rows)) file\(rows == 1 ? "" : "s"), "
        text += "\(TableRenderer.grouped(file.size)) bytes from \(file.path)\n"
        text += "  dir manifest (path, size, sha256, modified): \(file.layout)\n"
        text += "  sha256 \(file.sha256) (of the manifest)\n"
        text += linkNote(file.path)
        let warnings = dataset.loadIssues.filter { $0.severity == .warning }
        for issue in warnings.prefix(treeWarningsShown) {
            text += "  warning: '\(issue.path ?? "")': \(issue.reason)\n"
        }
        if warnings.count > treeWarningsShown {
            text += "  warning: \(warnings.count - treeWarningsShown) more; see: rejects \(dataset.name)\n"
        }
        let notes = dataset.loadIssues.count - warnings.count
        if notes > 0 {
            text += "  note: \(notes) path\(notes == 1 ? "" : "s") not listed (symbolic links, special files); "
                + "see: rejects \(dataset.name)\n"
        }
        return text
    }
}
