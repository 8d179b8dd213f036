#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Re-runs a journal and checks it (`kensho replay`): every input must still have its
/// recorded SHA-256 and every result its recorded digest.
///
/// A journal may come from someone else, so it is untrusted input. Replay verifies
/// the hash chain first and refuses a broken log; it runs only kensho statements, one
/// per entry; it skips statements that failed when they were recorded; and unless
/// told otherwise it sends `export` writes to a scratch folder rather than where the
/// log says, and connects to no warehouse the log attaches (a push would send data to it). With `dataDirectory`, inputs that are not where the log says are looked
/// for under that folder: by the path as written, by file name, then by content hash.
public struct Replayer {
    public struct Options: Sendable {
        public var dataDirectory: String?
        public var allowWrites = false
        public var scratchDirectory: String

        public init(dataDirectory: String? = nil, allowWrites: Bool = false, scratchDirectory: String) {
            self.dataDirectory = dataDirectory
            self.allowWrites = allowWrites
            self.scratchDirectory = scratchDirectory
        }
    }

    public struct Summary: Sendable {
        public var matched = 0
        public var diverged = 0
        public var skipped = 0
        public var brokenChain = false

        public var isClean: Bool { diverged == 0 && !brokenChain }
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Replays `text` (a journal's contents, named `name`), writing a per-statement report.
    public func replay(_ text: String, name: String, report: any OutputSink) -> Summary {
        var summary = Summary()
        let document: JournalDocument
        do { document = try JournalDocument.parse(text) } catch {
            report.write("\(name):\(error.line): error: \(error.message)\n")
            summary.brokenChain = true
            return summary
        }
        let verification = JournalVerifier.verify(document)
        if let broken = verification.broken {
            report.write("\(name):\(broken.line): error: \(broken.message)\nnot replayed: the journal was altered\n")
            summary.brokenChain = true
            return summary
        }

        let sink = BufferSink()
        let session = Session(output: sink, status: sink)
        session.computesDigests = true
        session.settings.format = .csv
        var expectedHashes: [String] = []
        session.inputResolver = { path throws(Diagnostic) in try resolve(path, expecting: expectedHashes) }
        session.allowsWarehouses = options.allowWrites
        if !options.allowWrites {
            let scratch = options.scratchDirectory
            session.exportRedirect = { path in
                JournalWriter.makeDirectory(scratch)
                return scratch + "/" + (path.split(separator: "/").last.map(String.init) ?? path)
            }
        }
        var last: StatementRecord?
        session.observer = { last = $0 }
        // Findings record who and when: on replay, the recorded operator and times.
        session.settings.operatorName = document.header.value("operator")

        for entry in document.entries {
            let statement = Replayer.firstLine(of: entry.statement)
            let place = "\(name):\(entry.statementLine)"
            guard entry.annotation.value("status") == "ok" else {
                summary.skipped += 1
                report.write("\(place)  skipped   \(statement)  (failed when recorded)\n")
                continue
            }
            let source = SourceText(name: name, text: entry.statement, firstLine: entry.line)
            let count = (try? Parser.parseAll(source).count) ?? 0
            guard count == 1 else {
                summary.diverged += 1
                report.write("\(place)  DIVERGED  \(statement)  (the entry holds \(count) statements, not one)\n")
                continue
            }
            expectedHashes = entry.annotation.values("sha256")
            session.clockOverride = entry.annotation.value("time")
            last = nil
            sink.clear()
            let ok = session.run(source, stopOnError: true)
            guard ok, let record = last else {
                summary.diverged += 1
                let why = sink.text.split(separator: "\n").first.map(String.init) ?? "it failed"
                report.write("\(place)  DIVERGED  \(statement)  (\(why))\n")
                continue
            }
            let differences = Replayer.compare(recorded: entry.annotation, replayed: record.annotation)
            if differences.isEmpty {
                summary.matched += 1
                report.write("\(place)  ok        \(statement)\(Replayer.detail(entry.annotation))\n")
            } else {
                summary.diverged += 1
                report.write("\(place)  DIVERGED  \(statement)\n")
                for difference in differences { report.write("      \(difference)\n") }
            }
        }
        if let tail = document.incompleteTail {
            report.write("\(name):\(tail.line)  incomplete last entry (the statement in flight when the session stopped) not replayed\n")
        }
        if let zeros = document.zeroFill {
            report.write("\(name):\(zeros.line)  \(JournalDocument.zeroFillNote(zeros.bytes))\n")
        }
        report.write("replayed \(document.entries.count) statements: \(summary.matched) matched, \(summary.diverged) diverged, \(summary.skipped) skipped\n")
        report.write("head \(verification.head)\n")
        return summary
    }

    /// What must be equal for a statement to replay the same: each input's hash, each
    /// result's rows and digest.
    static func compare(recorded: JournalAnnotation, replayed: JournalAnnotation) -> [String] {
        var differences: [String] = []
        let recordedInputs = recorded.values("input")
        let recordedHashes = recorded.values("sha256")
        let replayedHashes = replayed.values("sha256")
        if recorded.value("input") != nil {
            if recordedHashes.count != replayedHashes.count {
                differences.append("loaded \(replayedHashes.count) files, the log recorded \(recordedHashes.count)")
            }
            for (index, (was, now)) in zip(recordedHashes, replayedHashes).enumerated() where was != now {
                let path = index < recordedInputs.count ? recordedInputs[index] : "input \(index + 1)"
                differences.append("\(path): sha256 was \(was), now \(now)")
            }
        }
        for key in ["rows", "digest", "tagged"] {
            let was = recorded.values(key)
            let now = replayed.values(key)
            if was != now, !was.isEmpty {
                differences.append("\(key) was \(was.joined(separator: ", ")), now \(now.isEmpty ? "none" : now.joined(separator: ", "))")
            }
        }
        return differences
    }

    private static func detail(_ annotation: JournalAnnotation) -> String {
        if let rows = annotation.value("rows") {
            let inputs = annotation.values("input").count
            if inputs > 0 { return "  (\(inputs) input\(inputs == 1 ? "" : "s"), hashes match)" }
            return "  (\(rows) rows, digest matches)"
        }
        return ""
    }

    /// The statement's first line that is not a comment, shortened, for the report.
    static func firstLine(of statement: String) -> String {
        let line = statement.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .map { String($0) } ?? statement
        return line.count > 70 ? String(line.prefix(69)) + "…" : line
    }

    // MARK: - Finding inputs

    /// The file to read for `path`. Without a data directory: nil, the path as written.
    /// With one, replay reads only from inside it (after resolving symbolic links): the
    /// path as written if it lies inside, else the path under the data directory, the
    /// file name there, or a file there with a recorded hash; anything else is refused,
    /// so a journal cannot make replay read `../../` or an absolute path elsewhere.
    func resolve(_ path: String, expecting hashes: [String]) throws(Diagnostic) -> String? {
        guard let data = options.dataDirectory else { return nil }
        guard let root = Replayer.realPath(data) else {
            throw Diagnostic("--data '\(data)': no such directory")
        }
        var candidates = [path]
        if !path.hasPrefix("/") { candidates.append(data + "/" + path) }
        if let name = path.split(separator: "/").last { candidates.append(data + "/" + name) }
        for candidate in candidates {
            if let real = Replayer.realPath(candidate), real == root || real.hasPrefix(root == "/" ? "/" : root + "/") {
                return candidate
            }
        }
        if !hashes.isEmpty, let found = findByHash(in: data, hashes: Set(hashes)) { return found }
        throw Diagnostic("'\(path)' is not under --data '\(data)', and no file there has its recorded hash",
                         hint: "replay with --data reads inputs only from inside that folder")
    }

    /// The absolute path with every symbolic link resolved, or nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func findByHash(in directory: String, hashes: Set<String>) -> String? {
        var stack = [directory]
        var visited = 0
        while let current = stack.popLast(), visited < 100_000 {
            guard let handle = opendir(current) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let full = current + "/" + name
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                visited += 1
                if (info.st_mode & S_IFMT) == S_IFDIR { stack.append(full); continue }
                guard (info.st_mode & S_IFMT) == S_IFREG, let file = try? FileBytes(path: full) else { continue }
                if hashes.contains(file.withBytes { SHA256Digest.hex(of: $0) }) { return full }
            }
        }
        return nil
    }
}

import Foundation
