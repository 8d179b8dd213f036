import CSQLite

/// A connection to an evidence database that cannot change it, over the very bytes
/// kensho hashed.
///
/// The file is not opened by SQLite at all: its bytes, read once with `read(2)` and
/// hashed (`FileBytes`), are handed to an in-memory connection with
/// `sqlite3_deserialize(…, SQLITE_DESERIALIZE_READONLY)`, which reads them where they
/// lie (no copy). So the journaled SHA-256 is of exactly what was parsed — a file
/// replaced or rewritten between hashing and parsing cannot slip other rows in — and
/// SQLite takes no lock and creates no `-wal`, `-shm` or `-journal` file beside the
/// evidence. The connection is further set `query_only`, `trusted_schema=off` (the
/// schema of a foreign file cannot run functions of its choosing) and
/// `cell_size_check=on` (damage is detected early rather than read as data).
final class SQLiteDatabase {
    let handle: OpaquePointer
    /// The bytes SQLite reads; they must outlive the connection.
    private let bytes: ByteArena

    /// Opens `bytes` (a whole database file). An in-memory database cannot be in WAL
    /// mode, so the caller sets header bytes 18–19 to rollback mode in its copy first
    /// (`SQLiteHeader.clearWriteAheadLogMode`).
    init(reading bytes: ByteArena) throws(SQLiteFailure) {
        self.bytes = bytes
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(":memory:", &handle, SQLITE_OPEN_READWRITE, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw SQLiteFailure(code: code, message: message)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        let loaded = sqlite3_deserialize(handle, "main", bytes.base, sqlite3_int64(bytes.count), sqlite3_int64(bytes.count),
                                         UInt32(SQLITE_DESERIALIZE_READONLY))
        guard loaded == SQLITE_OK else { throw failure(loaded) }
        for pragma in ["PRAGMA query_only = ON", "PRAGMA trusted_schema = OFF", "PRAGMA cell_size_check = ON"] {
            try execute(pragma)
        }
    }

    deinit { sqlite3_close_v2(handle) }

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
