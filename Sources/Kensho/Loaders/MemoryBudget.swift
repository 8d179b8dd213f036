#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory a load may still take, so that a file too large for the machine is
/// refused before it is read instead of taking the process (or, with the kernel's
/// overcommit, the machine) down.
///
/// The smallest of what is known: the address-space limit (`ulimit -v`) less what the
/// process has mapped, the data limit (`ulimit -d`) likewise, the container's memory
/// limit less its use (page cache that can be dropped excepted), and the memory the
/// kernel reports available. Only Linux reports these; elsewhere nothing is checked.
/// A load checks its file's size before reading it (`FileBytes`) and then what its
/// cells will take (`CSVLoader`, `JSONLoader`, `SQLiteLoader`); what memory a load
/// needs is measured in the reliability notes (docs/reliability.md).
public enum MemoryBudget {
    public struct Available: Sendable {
        public var bytes: Int
        /// What sets the bound, for the error message.
        public var limit: String
    }

    /// Bytes the process can still allocate, or nil when nothing bounds it that kensho can see.
    public static func available() -> Available? {
        var candidates: [Available] = []
        #if os(Linux)
        let status = procFields("/proc/self/status")
        if let limit = softLimit(RLIMIT_AS), let mapped = status["VmSize"] {
            candidates.append(Available(bytes: limit - mapped, limit: "the address-space limit (ulimit -v)"))
        }
        if let limit = softLimit(RLIMIT_DATA), let data = status["VmData"] {
            candidates.append(Available(bytes: limit - data, limit: "the data-size limit (ulimit -d)"))
        }
        if let container = containerHeadroom() {
            candidates.append(Available(bytes: container, limit: "the container's memory limit"))
        }
        if let free = procFields("/proc/meminfo")["MemAvailable"] {
            candidates.append(Available(bytes: free, limit: "the memory available on this machine"))
        }
        #endif
        return candidates.min { $0.bytes < $1.bytes }
    }

    /// Refuses a load that needs more than is available. `need` is an estimate of the
    /// bytes still to be allocated; `what` says what they are for ("the file").
    ///
    /// A need under `smallestChecked` is let through without looking: reading the limits
    /// (up to five files under /proc and /sys, parsed) costs more than loading a small
    /// file, and a process that cannot find a few hundred KiB more is already failing
    /// allocations elsewhere, so the check would save nothing.
    static func check(_ need: Int, for what: String, path: String) throws(Diagnostic) {
        guard need >= smallestChecked, let available = available(), need > available.bytes else { return }
        throw Diagnostic("not enough memory to load '\(path)': about \(TableRenderer.grouped(need)) bytes are needed for"
                         + " \(what), but \(available.limit) leaves \(TableRenderer.grouped(max(0, available.bytes)))",
                         in: FileLocation(path: path),
                         notes: ["nothing was loaded", advice])
    }

    /// The smallest need `check` compares with what is available: 1 MiB.
    static let smallestChecked = 1 << 20

    /// What a load needs, and what to do when it is not there.
    static let advice = "a load holds the file and about 16 bytes per cell and 32 per row; split the file"
        + " (or export fewer columns), or load it where more memory is available"

    /// Memory a delimited text's cells will take, from the delimiters and line feeds in
    /// its first 64 KiB (quotes ignored: an estimate): 16 bytes per cell — its range,
    /// and its number while a numeric column is converted — and 32 per row (line and
    /// provenance), and half as much again for buffers that grow by doubling and the
    /// allocator's per-thread arenas, which count against an address-space limit.
    static func cellEstimate(_ text: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Int {
        let sample = text.prefix(1 << 16)
        guard !sample.isEmpty else { return 0 }
        var rows = 0
        var cells = 0
        for byte in sample {
            if byte == UInt8(ascii: "\n") {
                rows += 1
                cells += 1
            } else if byte == delimiter {
                cells += 1
            }
        }
        let perSample = (16 * max(cells, 1) + 32 * max(rows, 1)) * 3 / 2
        return Int(Double(perSample) * Double(text.count) / Double(sample.count))
    }

    #if os(Linux)
    private static func softLimit(_ resource: __rlimit_resource) -> Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// `Key:   123 kB` lines of a /proc file, in bytes.
    private static func procFields(_ path: String) -> [String: Int] {
        var fields: [String: Int] = [:]
        for line in readSmallFile(path).split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let value = Int(parts[1]) else { continue }
            fields[String(parts[0])] = parts.count >= 3 && parts[2] == "kB" ? value * 1024 : value
        }
        return fields
    }

    /// The cgroup's limit less its use, not counting inactive file cache (which the
    /// kernel drops before it refuses memory); cgroup v2, then v1.
    private static func containerHeadroom() -> Int? {
        let layouts = [("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory.stat",
                        "inactive_file"),
                       ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes",
                        "/sys/fs/cgroup/memory/memory.stat", "total_inactive_file")]
        for (limitFile, usageFile, statFile, cacheKey) in layouts {
            let trimmed = { (path: String) in readSmallFile(path).split(separator: "\n").first.map(String.init) }
            guard let limit = trimmed(limitFile).flatMap({ Int($0) }), let usage = trimmed(usageFile).flatMap({ Int($0) })
            else { continue }
            // An unlimited v1 group reports a limit near Int64.max.
            guard limit < Int.max / 2 else { return nil }
            let cache = procFields(statFile)[cacheKey] ?? 0
            return limit - usage + cache
        }
        return nil
    }

    private static func readSmallFile(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 1 << 14)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: bytes[..<count], as: UTF8.self) : ""
    }
    #endif
}
