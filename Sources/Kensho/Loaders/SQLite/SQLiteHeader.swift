/// What the first 100 bytes of a database file say (sqlite.org/fileformat.html §1.3),
/// read from the bytes kensho hashed: whether the file is an SQLite database at all
/// (to explain SQLite's errors), whether its size makes a whole database (checked
/// before SQLite reads it), and whether it is in WAL mode.
struct SQLiteHeader {
    static let magic = Array("SQLite format 3\0".utf8)

    /// The file starts with `SQLite format 3\0`.
    var hasMagic = false
    /// The header's read and write versions (bytes 18–19) say WAL mode.
    var isWriteAheadLog = false
    var pageSize = 0
    /// The page count in the header, when the header vouches for it (its "version valid
    /// for" number equals its change counter).
    var pageCount: Int?
    var fileSize: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        fileSize = bytes.count
        hasMagic = bytes.count >= 16 && Array(bytes[0..<16]) == SQLiteHeader.magic
        guard hasMagic, bytes.count >= 100 else { return }
        isWriteAheadLog = bytes[18] == 2 || bytes[19] == 2
        func bigEndian(_ offset: Int, _ count: Int) -> Int {
            (offset..<(offset + count)).reduce(0) { $0 << 8 | Int(bytes[$1]) }
        }
        let size = bigEndian(16, 2)
        pageSize = size == 1 ? 65536 : size
        let pages = bigEndian(28, 4)
        if pages > 0, bigEndian(24, 4) == bigEndian(92, 4) { pageCount = pages }
    }

    /// Sets a copy's header to rollback mode: an in-memory database cannot be in WAL
    /// mode (SQLite would not open it), and a file read whole, with no log beside it
    /// (`SQLiteLoader` refuses one that has), reads the same either way.
    static func clearWriteAheadLogMode(in bytes: UnsafeMutablePointer<UInt8>) {
        bytes[18] = 1
        bytes[19] = 1
    }

    /// Why the file cannot be a whole database, judged from its size: shorter than the
    /// 100-byte header it begins like, shorter than the page count its header vouches
    /// for, or ending inside a page. Nil when the size is consistent (or the file does
    /// not look like a database at all, which SQLite then says).
    var sizeProblem: String? {
        let size = TableRenderer.grouped(fileSize)
        guard hasMagic else { return nil }
        guard fileSize >= 100 else { return "it is \(size) bytes, less than SQLite's 100-byte header" }
        guard [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].contains(pageSize) else { return nil }
        if let pageCount, pageCount * pageSize > fileSize {
            return "its header counts \(TableRenderer.grouped(pageCount)) pages of \(TableRenderer.grouped(pageSize)) bytes"
                + " (\(TableRenderer.grouped(pageCount * pageSize)) bytes), but the file holds \(size)"
        }
        if fileSize % pageSize != 0 {
            return "it ends inside a page: \(size) bytes is not a whole number of \(TableRenderer.grouped(pageSize))-byte pages"
        }
        return nil
    }
}
