/// Bounds a load enforces so that a hostile or broken file fails with a clear error
/// instead of exhausting time, memory or stack.
///
/// Each bound is far above what a real export reaches, and a file that crosses one is
/// refused whole (nothing is loaded), naming the place where it crossed.
public enum LoadLimits {
    /// Columns in one table: Excel's limit, so whatever went through a spreadsheet
    /// fits. A record with more fields than this — a header of a million names, or a
    /// line of binary junk full of delimiters — fails the load at the field that
    /// crossed it; every column costs work in every later statement.
    public static let maximumColumns = 16_384

    /// Cells (columns × rows) a loaded table may have per byte of its file. Every cell
    /// costs 8 bytes or more, but a CSV cell takes at least one byte of the file, and a
    /// JSON one about four; only empty cells padded in can outnumber the bytes — one
    /// ragged line of 16,000 fields in a million-row file, or JSON records that each
    /// bring a new key. Past this ratio the padding would cost more than a hundred times
    /// the file's size in memory, so the load is refused instead.
    public static let cellsPerInputByte = 16

    /// The most cells a table loaded from `bytes` bytes may have (small files get at
    /// least a million).
    static func maximumCells(forInputBytes bytes: Int) -> Int {
        cellsPerInputByte * bytes + (1 << 20)
    }

    /// Why a table is refused for its cells, as the load's error message.
    static func tooManyCells(columns: Int, rows: Int, inputBytes: Int) -> String {
        "the table would have \(TableRenderer.grouped(columns)) columns × \(TableRenderer.grouped(rows)) rows"
            + " (\(TableRenderer.grouped(columns * rows)) cells, almost all empty) from \(TableRenderer.grouped(inputBytes)) bytes"
    }

    /// The note that explains `tooManyCells`.
    static let cellsNote = "kensho refuses a table with more than \(cellsPerInputByte) cells per byte of its file:"
        + " the empty cells would take far more memory than the file"
}

/// A record with more fields than `LoadLimits.maximumColumns`.
struct TooManyFields: Error {
    /// Where the first field too many starts.
    var byteOffset: Int
}

/// A table that would hold more cells than `LoadLimits.maximumCells`.
struct TooManyCells: Error {
    var columns: Int
    var rows: Int
    /// Where the record that crossed the limit starts.
    var byteOffset: Int
}

/// The system refused memory a load asked for; the load fails (`Loader` says so).
struct OutOfMemory: Error {
    var bytes: Int
}
