import Foundation
@testable import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Building directory trees in the scratch directory: files by relative path, names
/// given as raw bytes (for Shift_JIS names), links, fifos and fixed times.
extension SessionHarness {
    /// Writes `files` (relative path → contents) under `root`; returns the root's path.
    @discardableResult
    func tree(_ root: String, _ files: [(String, String)]) throws -> String {
        try FileManager.default.createDirectory(atPath: path(root), withIntermediateDirectories: true)
        for (name, text) in files { try file("\(root)/\(name)", text) }
        return path(root)
    }

    /// Writes a file whose name (inside `directory`, relative to the scratch directory)
    /// is the raw bytes `name`, which need not be UTF-8.
    func file(in directory: String, rawName name: [UInt8], _ text: String) throws {
        let full = Array(path(directory).utf8) + [UInt8(ascii: "/")] + name + [0]
        let descriptor = full.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    }

    func symlink(_ name: String, to target: String) throws {
        guard Glibc.symlink(target, path(name)) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    func fifo(_ name: String) throws {
        guard mkfifo(path(name), 0o644) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// Sets a file's modification time (seconds since 1970, UTC).
    func setModified(_ name: String, _ seconds: Int) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        guard utimensat(AT_FDCWD, path(name), &times, 0) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }
}
