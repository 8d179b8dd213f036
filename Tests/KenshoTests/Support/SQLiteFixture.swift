import CSQLite
import Foundation

/// A database written through SQLite's C API, the way a vendor's system would have
/// written it, for the loader's tests. Kept open until `close()` (or release), so a test
/// can hold a write-ahead log open beside the file.
final class SQLiteFixture {
    private var handle: OpaquePointer?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            throw Failure(description: "cannot create \(path)")
        }
    }

    /// Runs SQL statements separated by semicolons.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw Failure(description: text)
        }
    }

    func close() {
        sqlite3_close(handle)
        handle = nil
    }

    deinit { if handle != nil { sqlite3_close(handle) } }

    /// Creates a database at `path` from `sql` and closes it.
    static func create(at path: String, _ sql: String) throws {
        let fixture = try SQLiteFixture(path: path)
        try fixture.execute(sql)
        fixture.close()
    }
}

/// What a file looks like from outside: its bytes, size and modification time (to the
/// nanosecond), and the names in its folder.
struct FileSnapshot: Equatable {
    var bytes: [UInt8]
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var folder: [String]

    init(_ path: String) throws {
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var info = stat()
        guard stat(path, &info) == 0 else { throw SQLiteFixture.Failure(description: "cannot stat \(path)") }
        #if canImport(Glibc)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #else
        modifiedSeconds = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #endif
        let folderURL = URL(fileURLWithPath: path).deletingLastPathComponent()
        folder = try FileManager.default.contentsOfDirectory(atPath: folderURL.path).sorted()
    }
}
