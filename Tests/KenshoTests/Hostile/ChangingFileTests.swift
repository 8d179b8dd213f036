import Foundation
import Testing
@testable import Kensho

#if canImport(Glibc)
import Glibc
#endif

/// Files that change while they load — a log still being written, a copy in progress, a
/// database replaced. A loader reads its file once with `read(2)` (never mapped: a
/// mapped file that shrinks kills the reader with SIGBUS), parses and hashes that one
/// buffer, and refuses a file whose size changed during the read. So whatever loads,
/// its recorded SHA-256 is of exactly the bytes its rows came from.
@Suite("Hostile input: files that change while loading", .timeLimit(.minutes(1)))
struct ChangingFileTests {
    /// Kernel files report a size that is not what reading gives: the read and the size
    /// disagree, which a growing or shrinking file looks like, deterministically.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/status")))
    func aFileLongerThanItsSizeIsRefused() throws {
        let harness = try SessionHarness.journaled()
        try harness.expectRefused("load /proc/self/status with format=csv", """
        /proc/self/status: error: '/proc/self/status' changed size while it was being read: 0 bytes when opened, more read
        note: nothing was loaded; load it again once it is no longer being written (or load a copy, and cite the copy's sha256)

        """)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/devices/system/cpu/online")))
    func aFileShorterThanItsSizeIsRefused() throws {
        let harness = try SessionHarness.journaled()
        try harness.expectRefused("load /sys/devices/system/cpu/online with format=csv",
                                  "/sys/devices/system/cpu/online: error: '/sys/devices/system/cpu/online' changed size while it was being read: 4,096 bytes when opened, ")
    }

    /// A writer appends records while the file is loaded again and again: each load is
    /// refused, or holds exactly the records in the prefix its hash is of. At 200,000
    /// records (9 MB) the file is read in two halves at once.
    @Test(arguments: [10_000, 200_000])
    func aGrowingCSVLoadsAConsistentPrefixOrNothing(records initial: Int) throws {
        let harness = try SessionHarness()
        let path = harness.path("log.csv")
        let header = "seq,payload\n"
        try harness.file("log.csv", header + (1...initial).map { "\($0),\(String(repeating: "x", count: 40))\n" }.joined())
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect((size >= FileBytes.parallelReadThreshold) == (initial > 100_000))
        // Short bursts and long pauses: some loads overlap a burst, most fall between.
        let writer = Appender(path: path, record: { "\($0),\(String(repeating: "y", count: 40))\n" }, start: initial + 1,
                              burst: 5, pause: 40_000)
        writer.start()
        var outcomes: (loaded: Int, refused: Int) = (0, 0)
        for _ in 0..<20 {
            if harness.run("load $DIR/log.csv") {
                outcomes.loaded += 1
                let dataset = try #require(harness.session.catalog.datasets.first { $0.name == "log" })
                let source = try #require(dataset.sourceFile)
                // The hash is of the first `size` bytes of what the file became (it only grew).
                let prefix = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(source.size)
                #expect(SHA256Digest.hex(of: Array(prefix)) == source.sha256)
                let records = prefix.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - 1
                #expect(dataset.table.rowCount == records || dataset.table.rowCount == records + 1)
            } else {
                outcomes.refused += 1
                #expect(harness.errors.contains("changed size while it was being read"), "\(harness.errors)")
            }
        }
        writer.stop()
        #expect(outcomes.loaded > 0, "no load fell between the writer's bursts")
    }

    /// A database replaced (renamed over) while it is loaded: SQLite reads the bytes
    /// that were hashed, so the rows are always those of the version whose hash is
    /// recorded — never one file's rows under the other's hash.
    @Test func aReplacedDatabaseLoadsOneVersionWithItsOwnHash() throws {
        let harness = try SessionHarness()
        var hashes: [String: Int] = [:]
        for (name, rows) in [("a.sqlite", 1_000), ("b.sqlite", 3_000)] {
            let values = (1...rows).map { "(\($0))" }.joined(separator: ",")
            try SQLiteFixture.create(at: harness.path(name), "CREATE TABLE t (n INTEGER); INSERT INTO t VALUES \(values);")
            hashes[SHA256Digest.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: harness.path(name)))))] = rows
        }
        let swapper = Swapper(directory: harness.path(""), versions: ["a.sqlite", "b.sqlite"], target: "db.sqlite")
        swapper.start()
        defer { swapper.stop() }
        for _ in 0..<40 {
            guard harness.run("load $DIR/db.sqlite as db with table=t") else {
                #expect(harness.errors.contains("db.sqlite"), "\(harness.errors)")
                continue
            }
            let dataset = try #require(harness.session.catalog.datasets.first { $0.name == "db" })
            let sha256 = try #require(dataset.sourceFile?.sha256)
            #expect(hashes[sha256] == dataset.table.rowCount, "rows of one version under the hash of another")
        }
    }

    /// A file growing while a tree is hashed: its manifest size is the bytes hashed,
    /// and the load says the file changed.
    @Test func aFileGrowingInATreeIsHashedAsReadAndReported() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("still.txt", "still")])
        let path = harness.path("t/growing.log")
        try harness.file("t/growing.log", String(repeating: "line\n", count: 2_000_000))
        let writer = Appender(path: path, record: { "more \($0)\n" }, start: 0, burst: 1, pause: 50)
        writer.start()
        var reported = false
        for attempt in 0..<10 where !reported {
            #expect(harness.run("load $DIR/t as t\(attempt)"), "\(harness.errors)")
            expectCSV(harness, "t\(attempt) | where path = 'still.txt' | select size", "size\n5\n")
            guard harness.run("rejects t\(attempt) | where path = 'growing.log' | select reason"),
                  harness.output.contains("changed while it was read") else { continue }
            reported = true
            // The size recorded is the bytes hashed, and the hash is of that prefix.
            #expect(harness.run("t\(attempt) | where path = 'growing.log' | select size, sha256"))
            let fields = harness.output.split(separator: "\n")[1].split(separator: ",")
            let size = try #require(Int(fields[0]))
            let prefix = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(size)
            #expect(SHA256Digest.hex(of: Array(prefix)) == String(fields[1]))
        }
        writer.stop()
        #expect(reported, "the writer never overlapped a hash in 10 tries")
    }
}

/// Appends numbered records to a file from another thread until stopped: `burst`
/// records at a time, then a pause of `pause` microseconds.
final class Appender: @unchecked Sendable {
    let path: String
    let record: @Sendable (Int) -> String
    let burst: Int
    let pause: UInt32
    var next: Int
    private let running = NSLock()
    private var stopped = false
    private var thread: Thread?

    init(path: String, record: @escaping @Sendable (Int) -> String, start: Int, burst: Int, pause: UInt32) {
        self.path = path
        self.record = record
        self.next = start
        self.burst = burst
        self.pause = pause
    }

    func start() {
        let thread = Thread { [self] in
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            while !isStopped {
                for _ in 0..<burst {
                    handle.write(Data(record(next).utf8))
                    next += 1
                }
                usleep(pause)
            }
            try? handle.close()
        }
        self.thread = thread
        thread.start()
    }

    private var isStopped: Bool { running.withLock { stopped } }

    func stop() {
        running.withLock { stopped = true }
        while thread?.isFinished == false { usleep(1_000) }
    }
}

/// Renames copies of alternating versions over a target path until stopped.
final class Swapper: @unchecked Sendable {
    let directory: String
    let versions: [String]
    let target: String
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?

    init(directory: String, versions: [String], target: String) {
        self.directory = directory
        self.versions = versions
        self.target = target
    }

    func start() {
        let thread = Thread { [self] in
            var turn = 0
            while !lock.withLock({ stopped }) {
                let version = versions[turn % versions.count]
                let staging = "\(directory)/.staging-\(turn % 2)"
                unlink(staging)
                _ = try? FileManager.default.copyItem(atPath: "\(directory)/\(version)", toPath: staging)
                rename(staging, "\(directory)/\(target)")
                turn += 1
            }
        }
        self.thread = thread
        thread.start()
        // Let the target exist before the first load.
        while !FileManager.default.fileExists(atPath: "\(directory)/\(target)") { usleep(1_000) }
    }

    func stop() {
        lock.withLock { stopped = true }
        while thread?.isFinished == false { usleep(1_000) }
    }
}
