#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole input file read into memory with `read(2)`, opened read-only.
///
/// `read(2)` into one malloc'd buffer measured 4x faster than Foundation's
/// `FileManager.contents(atPath:)` plus a copy to `[UInt8]` on 200 MB, and the buffer
/// becomes the `ByteArena` of the loaded table, so the file's bytes are held once.
/// The file is never written; its size is checked again after reading so a file that
/// changed while it was read is an error, not a silently short load. It is read, never
/// mapped: a mapped file that another process shortens kills the reader with SIGBUS,
/// while `read(2)` just returns less. Whatever a loader parses and hashes is this one
/// buffer, so the SHA-256 it records is always of the bytes it parsed.
public struct FileBytes: Sendable {
    public let path: String
    /// The file's bytes; the loader may rewrite them in place before sharing the arena.
    public let arena: ByteArena
    public let modified: Double

    public init(path: String, limit: Int = ByteArena.maximumSize) throws(Diagnostic) {
        self.path = path
        // Without blocking: opening a fifo (named pipe) for reading otherwise waits, for
        // ever, for a writer. It is then refused as not a regular file; a regular file
        // reads the same with the flag.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw FileBytes.openError(path: path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileBytes.openError(path: path, errno: errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw Diagnostic("'\(path)' is a directory", in: FileLocation(path: path),
                             notes: ["to load a directory tree as a manifest, use: load \(path) with format=dir"])
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw Diagnostic("'\(path)' is a \(TreeWalker.kind(info.st_mode)), not a regular file", in: FileLocation(path: path),
                             notes: ["nothing was read: kensho loads files whose size is known, and never waits on a pipe"])
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw Diagnostic("'\(path)' is \(size) bytes; one file may hold at most \(limit) bytes",
                             in: FileLocation(path: path),
                             notes: ["split the file, or push it to a warehouse"])
        }
        #if canImport(Glibc)
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #else
        let modified = Double(info.st_mtimespec.tv_sec)
        #endif
        // One spare byte past the end so scanners may read a sentinel.
        let allocated = size + 8
        try MemoryBudget.check(allocated, for: "the file", path: path)
        guard let memory = LargeAllocation.allocateIfPossible(bytes: allocated) else {
            throw Diagnostic("not enough memory to read '\(path)' (\(TableRenderer.grouped(size)) bytes)",
                             in: FileLocation(path: path), notes: ["nothing was loaded"])
        }
        let buffer = memory.assumingMemoryBound(to: UInt8.self)
        let (done, failure) = FileBytes.readWhole(fd, into: buffer, count: size)
        if let failure {
            LargeAllocation.deallocate(UnsafeMutableRawPointer(buffer), bytes: allocated)
            throw FileBytes.openError(path: path, errno: failure)
        }
        // A file that grew while we read it: its extra bytes would be silently ignored.
        var probe: UInt8 = 0
        let extra = pread(fd, &probe, 1, off_t(size))
        guard done == size, extra == 0 else {
            LargeAllocation.deallocate(UnsafeMutableRawPointer(buffer), bytes: allocated)
            let read = done < size ? TableRenderer.grouped(done) : "more"
            throw Diagnostic("'\(path)' changed size while it was being read: \(TableRenderer.grouped(size)) bytes when"
                             + " opened, \(read) read",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded; load it again once it is no longer being written"
                                     + " (or load a copy, and cite the copy's sha256)"])
        }
        (buffer + size).initialize(repeating: 0, count: 8)
        self.arena = ByteArena(takingLarge: buffer, count: size, allocated: allocated)
        self.modified = modified
    }

    /// Bytes that did not come from a file (a fuzzer's input), laid out as a read file's
    /// are, spare zero bytes included; `path` names them in errors.
    init(path: String, copying bytes: UnsafeRawBufferPointer, modified: Double = 0) {
        self.path = path
        let allocated = bytes.count + 8
        let buffer = LargeAllocation.allocate(bytes: allocated).assumingMemoryBound(to: UInt8.self)
        if let source = bytes.baseAddress { buffer.initialize(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        (buffer + bytes.count).initialize(repeating: 0, count: 8)
        self.arena = ByteArena(takingLarge: buffer, count: bytes.count, allocated: allocated)
        self.modified = modified
    }

    public var count: Int { arena.count }

    /// Files from this size on are read in two halves at once, one per core: the copy
    /// out of the page cache and the first touch of the fresh buffer's pages are then
    /// shared by both (on a 157 MB file 35 ms became about 20).
    static let parallelReadThreshold = 8 << 20

    /// Reads `count` bytes from the start of `fd` into `buffer`, with `pread` so the
    /// halves of a large file can be read at once. Returns how many bytes of the start
    /// were read (fewer if the file shrank) or the error of a failed read.
    private static func readWhole(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> (Int, Int32?) {
        func read(_ range: Range<Int>) -> (Int, Int32?) {
            var done = range.lowerBound
            while done < range.upperBound {
                let n = pread(fd, buffer + done, range.upperBound - done, off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    return (done, errno)
                }
                if n == 0 { break }
                done += n
            }
            return (done, nil)
        }
        guard count >= parallelReadThreshold else { return read(0..<count) }
        let middle = count / 2
        // Each half's result in its own slot (an array written from two threads would race).
        let halves = UnsafeMutableBufferPointer<(Int, Int32?)>.allocate(capacity: 2)
        halves.initialize(repeating: (0, nil))
        defer { halves.deallocate() }
        concurrentlyForEach(2) { half in
            halves[half] = read(half == 0 ? 0..<middle : middle..<count)
        }
        if let failure = halves[0].1 ?? halves[1].1 { return (0, failure) }
        // A short first half (the file shrank) ends what was read at its end.
        return (halves[0].0 < middle ? halves[0].0 : halves[1].0, nil)
    }

    /// Calls `body` with the file's bytes, keeping them alive for the call.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(arena) { try body(UnsafeBufferPointer(start: arena.base, count: arena.count)) }
    }

    /// The bytes, valid only while this value (or its arena) is alive: a loader that
    /// hands them to other threads keeps the file alive with `withExtendedLifetime`.
    public var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: arena.base, count: arena.count) }

    /// A copy of the bytes.
    public var bytes: [UInt8] { withBytes { Array($0) } }

    static func openError(path: String, errno code: Int32) -> Diagnostic {
        let reason: String
        switch code {
        case ENOENT: reason = "no such file"
        case EACCES, EPERM: reason = "permission denied"
        case EISDIR: reason = "is a directory"
        case ELOOP: reason = "too many levels of symbolic links"
        default: reason = String(cString: strerror(code))
        }
        return Diagnostic("cannot open '\(path)': \(reason)", in: FileLocation(path: path))
    }
}
