import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SHA-256 of one file, streamed: `read(2)` in 1 MiB chunks into a buffer the hasher
/// owns and reuses for every file it hashes, so memory stays flat however large the
/// files are. One hasher per worker thread.
///
/// The file is opened read-only, without following a symbolic link and without
/// blocking, and checked to be the very regular file the walk listed (same device and
/// inode): a path replaced by a link, a fifo or another file between listing and
/// hashing is reported, not read. The size recorded is the number of bytes hashed,
/// so a manifest's size and SHA-256 always agree; a file that changed size while it
/// was read is hashed as read and reported.
struct FileHasher: ~Copyable {
    static let chunkSize = 1 << 20

    struct Result: Sendable {
        /// Lower-case hex; nil when the file could not be read.
        var sha256: String?
        var bytes: Int64
        /// Why the file could not be read, or what was odd about reading it.
        var problem: String?
    }

    private let buffer: UnsafeMutableRawPointer

    init() {
        buffer = malloc(FileHasher.chunkSize)!
    }

    deinit { free(buffer) }

    /// Hashes `path` (NUL-terminated), which the walk listed as `file`. `afterChunk` gets
    /// the number of bytes of each chunk read; it returns false to stop (cancellation),
    /// which throws `LoadCancelled`.
    func hash(_ path: UnsafePointer<CChar>, listedAs file: TreeWalker.File,
              afterChunk: (Int) -> Bool) throws -> Result {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return Result(sha256: nil, bytes: file.size, problem: "cannot read: \(TreeWalker.reason(errno))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              UInt64(info.st_dev) == file.device, UInt64(info.st_ino) == file.inode
        else {
            return Result(sha256: nil, bytes: file.size, problem: "replaced while the tree was read; not hashed")
        }
        #if canImport(Glibc)
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let count = read(descriptor, buffer, FileHasher.chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                let reason = TreeWalker.reason(errno)
                return Result(sha256: nil, bytes: file.size, problem: "reading failed after \(total) bytes: \(reason)")
            }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: count))
            total += Int64(count)
            guard afterChunk(count) else { throw LoadCancelled() }
        }
        let listed = Int64(info.st_size)
        let problem = total == listed
            ? nil : "changed while it was read: \(listed) bytes when opened, \(total) read; hashed as read"
        return Result(sha256: SHA256Digest.hex(hasher.finalize()), bytes: total, problem: problem)
    }
}
