import Foundation
import Testing

/// Ctrl-C (SIGINT) in the middle of a load, a join or an export: the statement stops,
/// no output file is left (half-written or temporary), and the journal stays intact
/// with the statement recorded as cancelled.
@Suite("Ctrl-C in a running session", .serialized)
struct InterruptTests {
    /// `rows` lines of `id,k,name`; `k` repeats every `keys` rows so a self-join is large.
    static func table(rows: Int, keys: Int) -> String {
        var text = "id,k,name\n"
        text.reserveCapacity(rows * 24)
        for i in 0..<rows { text += "\(i),\(i % keys),name\(i)\n" }
        return text
    }

    static func annotations(_ journal: String) -> [String] {
        let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix("--= ") }.map(String.init)
    }

    /// Runs `script`, waits until its first `ready` statements are journaled, lets the
    /// next one start, sends SIGINT, and returns the exit status and standard error.
    static func interrupt(_ script: String, after ready: Int, in scratch: Scratch, journal: String) throws -> (Int32, String) {
        try scratch.file("script.kensho", script)
        let process = Process()
        process.executableURL = KenshoBinary.url
        process.arguments = ["run", "script.kensho", "--journal", journal]
        process.currentDirectoryURL = scratch.url
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while annotations(journal).count < ready, process.isRunning, Date() < deadline { usleep(10_000) }
        waitUntilUnderWay(process)
        #expect(process.isRunning, "the statement finished before it could be interrupted")
        kill(process.processIdentifier, SIGINT)
        let stopped = Date().addingTimeInterval(30)
        while process.isRunning, Date() < stopped { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stderr)
    }

    /// Waits until the statement after the journaled ones is doing its work: on Linux
    /// until the process holds 8 MB more than it did (a load has read its file, a join
    /// has begun its result), at most 10 s; elsewhere 300 ms. A fixed delay alone failed
    /// once loads got faster: the signal arrived after the load had finished.
    static func waitUntilUnderWay(_ process: Process) {
        let statm = "/proc/\(process.processIdentifier)/statm"
        func residentBytes() -> Int? {
            guard let text = try? String(contentsOfFile: statm, encoding: .utf8) else { return nil }
            let fields = text.split(separator: " ")
            guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
            return pages * Int(getpagesize())
        }
        guard let start = residentBytes() else {
            usleep(300_000)
            return
        }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline, let now = residentBytes(), now - start < 8 << 20 { usleep(2_000) }
    }

    /// The journal verifies and its last entry is the cancelled statement.
    static func expectCancelledEntry(_ journal: String, entries: Int, in scratch: Scratch) throws {
        let verify = try KenshoBinary.run(["verify", journal], in: scratch.url)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let annotations = annotations(journal)
        #expect(annotations.count == entries)
        #expect(annotations.last?.contains("status=cancelled") == true, "\(annotations.last ?? "none")")
    }

    @Test func duringALoad() throws {
        let scratch = try Scratch()
        try scratch.file("small.csv", "id\n1\n")
        try scratch.file("big.csv", InterruptTests.table(rows: 600_000, keys: 1000))
        let journal = scratch.path + "/j.kensho"
        let (status, stderr) = try InterruptTests.interrupt("load small.csv\nload big.csv\nbig | count\n",
                                                              after: 1, in: scratch, journal: journal)
        #expect(status == 1)
        #expect(stderr.contains("cancelled"))
        try InterruptTests.expectCancelledEntry(journal, entries: 2, in: scratch)
    }

    @Test func duringAJoin() throws {
        let scratch = try Scratch()
        try scratch.file("a.csv", InterruptTests.table(rows: 200_000, keys: 500))
        let journal = scratch.path + "/j.kensho"
        let (status, stderr) = try InterruptTests.interrupt("load a.csv\nx = a | join a on k\nx | count\n",
                                                               after: 1, in: scratch, journal: journal)
        #expect(status == 1)
        #expect(stderr.contains("cancelled"))
        try InterruptTests.expectCancelledEntry(journal, entries: 2, in: scratch)
    }

    @Test func duringAnExportNoFileIsLeft() throws {
        let scratch = try Scratch()
        try scratch.file("a.csv", InterruptTests.table(rows: 200_000, keys: 500))
        try FileManager.default.createDirectory(atPath: scratch.path + "/out", withIntermediateDirectories: true)
        let journal = scratch.path + "/j.kensho"
        let (status, _) = try InterruptTests.interrupt("load a.csv\nexport a | join a on k to out/joined.csv\n",
                                                          after: 1, in: scratch, journal: journal)
        #expect(status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/out") == [])
        try InterruptTests.expectCancelledEntry(journal, entries: 2, in: scratch)
    }
}
