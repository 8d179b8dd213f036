import CSQLite

/// A connection to an evidence database that cannot change it.
///
/// The file is opened through a URI with `mode=ro&immutable=1` and the flags
/// `SQLITE_OPEN_READONLY | SQLITE_OPEN_URI`: read-only means SQLite never writes, and
/// immutable means it takes no locks and creates no `-wal`, `-shm` or `-journal` file
/// next to the evidence (it also ignores any that exist, which is why the loader
/// refuses a database that has a write-ahead log or a hot journal beside it). The
/// connection is further set `query_only`, `trusted_schema=off` (the schema of a
/// foreign file cannot run functions of its choosing) and `cell_size_check=on`
/// (damage is detected early rather than read as data).
final class SQLiteDatabase {
    let handle: OpaquePointer

    init(readingImmutable path: String) throws(SQLiteFailure) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
        let code = sqlite3_open_v2(SQLiteDatabase.immutableURI(path), &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw SQLiteFailure(code: code, message: message)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        for pragma in ["PRAGMA query_only = ON", "PRAGMA trusted_schema = OFF", "PRAGMA cell_size_check = ON"] {
            try execute(pragma)
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// `file:` URI for `path`: every byte outside a small safe set is percent-encoded,
    /// so `?`, `#` and `%` in a file name stay part of the name.
    static func immutableURI(_ path: String) -> String {
        var uri = "file:"
        for byte in path.utf8 {
            let isSafe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || [UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "~")].contains(byte)
            if isSafe {
                uri.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                uri += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return uri + "?mode=ro&immutable=1"
    }

    func prepare(_ sql: String) throws(SQLiteFailure) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code) }
        return SQLiteStatement(statement, database: self)
    }

    func execute(_ sql: String) throws(SQLiteFailure) {
        let statement = try prepare(sql)
        while try statement.step() {}
    }

    /// The connection's last error as a failure.
    func failure(_ code: Int32) -> SQLiteFailure {
        SQLiteFailure(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// One prepared statement; finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    private let database: SQLiteDatabase

    init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Advances to the next row; false when there are no more.
    func step() throws(SQLiteFailure) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw database.failure(code)
    }

    var columnCount: Int { Int(sqlite3_column_count(handle)) }

    func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column_\(index + 1)"
    }

    func text(_ index: Int) -> String? {
        sqlite3_column_text(handle, Int32(index)).map { String(cString: $0) }
    }

    func integer(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }
}

/// An error reported by SQLite: its result code and message.
struct SQLiteFailure: Error {
    var code: Int32
    var message: String

    /// The primary result code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, ...).
    var primaryCode: Int32 { code & 0xFF }
}
