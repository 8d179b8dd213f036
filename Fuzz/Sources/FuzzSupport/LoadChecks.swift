@testable import Kensho

/// What every loader promises, whatever the bytes: a table whose columns all have
/// `rowCount` rows and whose text cells are UTF-8; `_line` provenance that starts at 1
/// or later and never goes back; and, when the bytes cannot be loaded, a `Diagnostic`
/// naming the file and a place inside it, never a trap or another kind of error.
public enum LoadChecks {
    /// Checks a loaded dataset. `strictlyIncreasingLines`: one record per line at most.
    public static func check(_ dataset: Dataset, strictlyIncreasingLines: Bool) {
        let table = dataset.table
        invariant(table.fields.count == table.columns.count, "fields and columns differ in number")
        for (field, column) in zip(table.fields, table.columns) {
            invariant(column.count == table.rowCount, "column '\(field.name)' has \(column.count) rows, table \(table.rowCount)")
            guard case .text = column.storage else { continue }
            for row in 0..<column.count {
                if let bytes = column.textBytes(row) {
                    invariant(isUTF8(bytes), "column '\(field.name)' row \(row) is not UTF-8")
                }
            }
        }
        guard let lines = table.column(named: "_line") else {
            invariant(false, "no _line provenance")
            return
        }
        var previous: Int64 = 0
        for row in 0..<lines.count {
            guard case .integer(let line) = lines.value(at: row) else {
                invariant(false, "_line of row \(row) is not an integer")
                return
            }
            invariant(line >= 1, "_line \(line) of row \(row) is before the file")
            invariant(strictlyIncreasingLines ? line > previous : line >= previous,
                      "_line goes from \(previous) to \(line) at row \(row)")
            previous = line
        }
        var roles = dataset
        roles.assignRoles()
    }

    /// Checks that a failed load failed with a `Diagnostic` about `path` whose place lies
    /// inside the input (`count` bytes), and that it renders.
    public static func checkFailure(_ error: any Error, path: String, count: Int) {
        guard let diagnostic = error as? Diagnostic else {
            invariant(false, "a load failed with \(type(of: error)), not a Diagnostic: \(error)")
            return
        }
        checkPlace(diagnostic, path: path, count: count)
    }

    public static func checkPlace(_ diagnostic: Diagnostic, path: String, count: Int) {
        invariant(!diagnostic.message.isEmpty, "a diagnostic without a message")
        guard let place = diagnostic.fileLocation else {
            invariant(false, "'\(diagnostic.message)' does not name the file")
            return
        }
        invariant(place.path == path, "'\(diagnostic.message)' names '\(place.path)', not '\(path)'")
        if let line = place.line { invariant(line >= 1, "'\(diagnostic.message)' at line \(line)") }
        if let column = place.column { invariant(column >= 1, "'\(diagnostic.message)' at column \(column)") }
        if let offset = place.byteOffset {
            invariant(offset >= 0 && offset <= count, "'\(diagnostic.message)' at byte \(offset) of \(count)")
        }
        _ = DiagnosticFormatter().format(diagnostic, in: nil)
    }
}
