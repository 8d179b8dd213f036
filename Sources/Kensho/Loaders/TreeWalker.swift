#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the regular files under a directory, recursively, by their raw path bytes.
///
/// Only the root is followed when it is a symbolic link (the user named it); below it
/// nothing is: every entry is examined with `lstat` semantics, a symbolic link is
/// noted with its target and skipped, so a link cycle cannot make the walk loop, and a
/// link cannot pull files from outside the tree into its manifest. Directories are
/// also remembered by device and inode, so a bind-mount loop is listed once. Fifos,
/// sockets and devices are noted and skipped without being opened (opening a fifo
/// would block). A directory that cannot be read, or an entry that cannot be
/// examined, is reported and the walk goes on; only an unreadable root fails.
///
/// One directory is open at a time (the walk keeps a stack of paths, not of
/// descriptors), so depth is bounded by `PATH_MAX`, not by the descriptor limit.
struct TreeWalker {
    struct File {
        /// Relative to the root, components joined by `/`.
        var path: [UInt8]
        var size: Int64
        /// Seconds since 1970 (UTC), from the listing.
        var modified: Int64
        var device: UInt64
        var inode: UInt64
    }

    /// A path left out of the manifest or only partly listed, and why.
    struct Skipped {
        enum Kind {
            /// A symbolic link: noted, by design never followed.
            case link
            /// A fifo, socket or device: noted, never opened.
            case special
            /// Something that should have been listed and could not be: a warning.
            case problem
        }

        var path: [UInt8]
        var reason: String
        var kind: Kind

        var severity: Diagnostic.Severity { kind == .problem ? .warning : .note }
    }

    struct Listing {
        /// Sorted by path bytes.
        var files: [File]
        /// Sorted by path bytes.
        var skipped: [Skipped]
        var directories: Int
        var rootModified: Double

        mutating func report(_ path: [UInt8], _ reason: String, kind: Skipped.Kind = .problem) {
            skipped.append(Skipped(path: path, reason: reason, kind: kind))
        }
    }

    let root: String
    let isCancelled: @Sendable () -> Bool

    func walk() throws -> Listing {
        var info = stat()
        guard stat(root, &info) == 0 else { throw FileBytes.openError(path: root, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Diagnostic("'\(root)' is not a directory", in: FileLocation(path: root),
                             notes: ["format=dir loads a directory tree; to load a file, leave it out"])
        }
        var listing = Listing(files: [], skipped: [], directories: 0, rootModified: TreeWalker.seconds(info))
        var visited: Set<DirectoryID> = []
        var pending: [[UInt8]] = [[]]
        while let relative = pending.popLast() {
            if isCancelled() { throw LoadCancelled() }
            try list(relative, into: &listing, pending: &pending, visited: &visited)
        }
        listing.files.sort { TreeWalker.precedes($0.path, $1.path) }
        listing.skipped.sort { TreeWalker.precedes($0.path, $1.path) }
        return listing
    }

    private struct DirectoryID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// Lists one directory: files go to the listing, subdirectories to `pending`.
    private func list(_ relative: [UInt8], into listing: inout Listing, pending: inout [[UInt8]],
                      visited: inout Set<DirectoryID>) throws {
        let isRoot = relative.isEmpty
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (isRoot ? 0 : O_NOFOLLOW)
        let descriptor = TreeWalker.withCPath(root, relative) { open($0, flags) }
        func unreadable(_ code: Int32) -> String {
            "cannot read this directory: \(TreeWalker.reason(code)); files under it are not listed"
        }
        guard descriptor >= 0 else {
            let code = errno
            if isRoot { throw FileBytes.openError(path: root, errno: code) }
            listing.report(relative, unreadable(code))
            return
        }
        var info = stat()
        if fstat(descriptor, &info) == 0 {
            guard visited.insert(DirectoryID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else {
                close(descriptor)
                listing.report(relative, "already listed under another path (a bind-mount loop?); not listed again")
                return
            }
        }
        guard let directory = fdopendir(descriptor) else {
            let code = errno
            close(descriptor)
            listing.report(relative, unreadable(code))
            return
        }
        defer { closedir(directory) }
        let directoryDescriptor = dirfd(directory)
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 {
                    listing.report(relative, "the listing stopped early: \(TreeWalker.reason(errno)); some files under it may be missing")
                }
                return
            }
            let name = (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self)
            let nameBytes = UnsafeRawBufferPointer(start: name, count: strlen(name)).bindMemory(to: UInt8.self)
            if nameBytes.elementsEqual([UInt8(ascii: ".")]) || nameBytes.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                continue
            }
            let path = isRoot ? Array(nameBytes) : relative + [UInt8(ascii: "/")] + nameBytes
            var entryInfo = stat()
            guard fstatat(directoryDescriptor, name, &entryInfo, AT_SYMLINK_NOFOLLOW) == 0 else {
                listing.report(path, "cannot examine: \(TreeWalker.reason(errno))")
                continue
            }
            switch entryInfo.st_mode & S_IFMT {
            case S_IFREG:
                listing.files.append(File(path: path, size: Int64(entryInfo.st_size),
                                          modified: TreeWalker.wholeSeconds(entryInfo),
                                          device: UInt64(entryInfo.st_dev), inode: UInt64(entryInfo.st_ino)))
            case S_IFDIR:
                listing.directories += 1
                pending.append(path)
            case S_IFLNK:
                let target = TreeWalker.linkTarget(directoryDescriptor, name)
                listing.report(path, "symbolic link to '\(target)', not followed", kind: .link)
            default:
                listing.report(path, "\(TreeWalker.kind(entryInfo.st_mode)), skipped", kind: .special)
            }
        }
    }

    static func linkTarget(_ directory: Int32, _ name: UnsafePointer<CChar>) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBytes { readlinkat(directory, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
        guard count >= 0 else { return "?" }
        return FileNameDecoding.display(Array(buffer[..<count])).text
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "fifo (named pipe)"
        case S_IFSOCK: return "socket"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        default: return "special file"
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file (removed while the tree was read?)"
        case EACCES, EPERM: return "permission denied"
        case ELOOP: return "too many levels of symbolic links"
        case ENAMETOOLONG: return "path too long"
        default: return String(cString: strerror(code))
        }
    }

    static func wholeSeconds(_ info: stat) -> Int64 {
        #if canImport(Glibc)
        Int64(info.st_mtim.tv_sec)
        #else
        Int64(info.st_mtimespec.tv_sec)
        #endif
    }

    static func seconds(_ info: stat) -> Double {
        #if canImport(Glibc)
        Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #else
        Double(info.st_mtimespec.tv_sec)
        #endif
    }

    /// Byte order, a shorter path before its extensions: how manifests are sorted.
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in compare(x, y) < 0 } }
    }

    static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(x.count, y.count)
        if common > 0 {
            let order = memcmp(x.baseAddress!, y.baseAddress!, common)
            if order != 0 { return Int(order) }
        }
        return x.count - y.count
    }

    /// Calls `body` with the NUL-terminated path `root/relative`.
    static func withCPath<R>(_ root: String, _ relative: [UInt8], _ body: (UnsafePointer<CChar>) -> R) -> R {
        var bytes = Array(root.utf8)
        if !relative.isEmpty {
            if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
            bytes += relative
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
    }
}
