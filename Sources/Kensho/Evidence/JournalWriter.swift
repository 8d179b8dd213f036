import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends entries to a session journal as the session runs.
///
/// The file is created new (never over an existing file), owner-only (0600), and
/// locked with `flock` so a second kensho process cannot write to it. Each entry — the
/// statement and its `--=` line — goes out in one `write(2)`, so once a statement has
/// finished, killing kensho (even `kill -9`) cannot lose it, and a log is never left
/// unreadable (a write cut short is read as the statement in flight).
///
/// Each entry is then flushed to disk with `fdatasync` on a background thread, in
/// order, while the session goes on; the session waits for the last flush before it
/// ends, and a failed flush fails the next statement. A flush costs 0.15–0.35 ms here,
/// as much as a small statement: flushing in line made a 1,000-statement script half
/// again as slow. The price of not waiting is only for a power failure, which can lose
/// the entries of the last fraction of a millisecond as well as the statement running.
public final class JournalWriter {
    public let path: String
    private let descriptor: Int32
    public private(set) var head: String
    public private(set) var entryCount = 0
    public let header: JournalHeader

    public init(path: String, header: JournalHeader) throws(Diagnostic) {
        self.path = path
        self.header = header
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if !directory.isEmpty { JournalWriter.makeDirectory(directory) }
        // The header is written to a temporary file and linked into place, so the journal
        // appears with its header or not at all, even if the process is killed right here.
        let text = header.text
        try JournalWriter.createWithHeader(path: path, directory: directory, header: text)
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else {
            throw Diagnostic("cannot open journal '\(path)': \(String(cString: strerror(errno)))", in: FileLocation(path: path))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw Diagnostic("journal '\(path)' is being written by another kensho process", in: FileLocation(path: path))
        }
        descriptor = fd
        head = JournalChain.genesis(header: text)
    }

    private static func createWithHeader(path: String, directory: String, header: String) throws(Diagnostic) {
        var template = Array("\(directory)/.kensho-journal-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Diagnostic("cannot create journal '\(path)': \(String(cString: strerror(errno)))", in: FileLocation(path: path))
        }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(temporary) }
        fchmod(fd, 0o600)
        let bytes = Array(header.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fdatasync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else {
            throw Diagnostic("cannot write journal '\(path)': \(String(cString: strerror(errno)))", in: FileLocation(path: path))
        }
        guard link(temporary, path) == 0 else {
            let code = errno
            if code == EEXIST {
                throw Diagnostic("journal '\(path)' already exists", in: FileLocation(path: path),
                                 notes: ["a journal is never overwritten or continued by another session; choose a new path"])
            }
            throw Diagnostic("cannot create journal '\(path)': \(String(cString: strerror(code)))", in: FileLocation(path: path))
        }
    }

    /// The flush of the last entry, running while the next statement does.
    private let flusher = DispatchQueue(label: "kensho.journal.flush")
    private let flush = FlushState()

    /// The outcome of background flushes; read only after waiting on `group`.
    private final class FlushState: Sendable {
        let group = DispatchGroup()
        let error = Atomic<Int32>(0)
        /// Entries written, and entries known to be on disk: a flush that finds nothing
        /// new since the last one skips its `fdatasync` (fast scripts coalesce).
        let written = Atomic<Int>(0)
        let durable = Atomic<Int>(0)
        /// A flush is queued and has not started: later entries ride on it.
        let queued = Atomic<Bool>(false)
    }

    deinit {
        flush.group.wait()
        close(descriptor)
    }

    /// Waits until every entry written so far is on disk.
    public func waitUntilFlushed() throws(Diagnostic) {
        flush.group.wait()
        try reportFlushError()
    }

    /// Throws once for a background flush that failed.
    private func reportFlushError() throws(Diagnostic) {
        let code = flush.error.exchange(0, ordering: .relaxed)
        if code != 0 {
            throw Diagnostic("cannot flush journal '\(path)': \(String(cString: strerror(code)))", in: FileLocation(path: path))
        }
    }

    /// Journals one statement; returns the new head hash.
    @discardableResult
    public func append(statement: String, annotation: JournalAnnotation) throws(Diagnostic) -> String {
        let (text, chain) = JournalWriter.entry(statement: statement, annotation: annotation, previous: head)
        try write(text)
        head = chain
        entryCount += 1
        return chain
    }

    /// One entry as written after the chain hash `previous`: the statement (escaped), then
    /// its `--=` line ending in ` chain=HASH`, each with its line break; and that hash.
    static func entry(statement: String, annotation: JournalAnnotation, previous: String) -> (text: String, chain: String) {
        let statement = escaped(statement)
        let prefix = annotation.prefixLine
        let chain = JournalChain.next(previous: previous, statement: statement, annotationPrefix: prefix)
        return (statement + "\n" + prefix + " chain=" + chain + "\n", chain)
    }

    private func write(_ text: String) throws(Diagnostic) {
        try reportFlushError()
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Diagnostic("cannot write journal '\(path)': \(String(cString: strerror(errno)))", in: FileLocation(path: path))
            }
            written += n
        }
        let file = descriptor
        let state = flush
        state.written.add(1, ordering: .sequentiallyConsistent)
        // One queued flush at a time: it syncs everything written before it starts, so
        // a burst of fast statements costs one fdatasync, not one each.
        guard !state.queued.exchange(true, ordering: .sequentiallyConsistent) else { return }
        state.group.enter()
        flusher.async {
            state.queued.store(false, ordering: .sequentiallyConsistent)
            let target = state.written.load(ordering: .sequentiallyConsistent)
            if target > state.durable.load(ordering: .sequentiallyConsistent) {
                if fdatasync(file) != 0 { state.error.store(errno, ordering: .relaxed) }
                state.durable.store(target, ordering: .sequentiallyConsistent)
            }
            state.group.leave()
        }
    }

    /// A statement line that begins with `--=` would read as an annotation: it can only
    /// be a comment, so a space is put after the dashes.
    static func escaped(_ statement: String) -> String {
        guard statement.utf8.contains(UInt8(ascii: "=")),
              statement.utf8.withContiguousStorageIfAvailable({ JournalWriter.containsAnnotationMark($0) }) ?? true
        else { return statement }
        return statement.journalLines.map { line in
            let trimmed = line.utf8.drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            return trimmed.starts(with: "--=".utf8) ? line.replacingOccurrences(of: "--=", with: "-- =", options: .literal) : line
        }.joined(separator: "\n")
    }

    /// Whether `--=` occurs in the bytes.
    private static func containsAnnotationMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        for i in 0..<(bytes.count - 2) where bytes[i] == UInt8(ascii: "-") {
            if bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] == UInt8(ascii: "=") { return true }
        }
        return false
    }

    static func makeDirectory(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            mkdir(current, 0o700)
        }
    }

    /// The default journal path: `sessions/<UTC time>-<pid>.kensho` under the current directory.
    public static func defaultPath() -> String {
        "sessions/\(Clock.compactTimestamp())-\(getpid()).kensho"
    }
}

import Foundation
