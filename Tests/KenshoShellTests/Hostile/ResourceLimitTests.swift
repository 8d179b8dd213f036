import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files larger than memory, loads whose cells do not fit, failed loads that must give
/// back what they took — on the built binary, under `ulimit -v` and `ulimit -n`, with
/// the peak memory of each run measured (`BoundedRun`).
///
/// A load holds the file and about 16 bytes per cell and 32 per row (docs/reliability.md).
/// Before reading it checks the file's size, and before scanning its estimated cells,
/// against the memory left (`MemoryBudget`); an allocation the system still refuses
/// fails the load rather than the process. Either way the statement fails with exit
/// status 1, no dataset is added, and the journal verifies.
@Suite("Hostile input: memory and descriptors", .serialized, .timeLimit(.minutes(1)))
struct ResourceLimitTests {
    /// Enough address space for the debug binary (about 85 MB mapped at start) and a
    /// little data.
    static let addressSpace = BoundedRun.Limits(addressSpaceKiB: 400 * 1024)

    static let failureNotes = """
    note: nothing was loaded
    note: a load holds the file and about 16 bytes per cell and 32 per row; split the file (or export fewer columns), \
    or load it where more memory is available

    """

    /// Writes `head`, `count` copies of `byte` (in 1 MiB chunks) and `tail`.
    static func write(_ url: URL, _ head: String, repeating byte: UInt8, count: Int, _ tail: String) throws {
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(head.utf8)))
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        let chunk = Data(repeating: byte, count: 1 << 20)
        for _ in 0..<(count >> 20) { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data(repeating: byte, count: count & ((1 << 20) - 1)))
        try handle.write(contentsOf: Data(tail.utf8))
    }

    static func expectJournal(_ scratch: Scratch, entries: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try BoundedRun.run(["verify", "s.kensho"], in: scratch.url)
        #expect(verify.status == 0, "\(verify.summary)", sourceLocation: sourceLocation)
        #expect(verify.stdout.hasPrefix("intact: \(entries) entries\n"), "\(verify.summary)", sourceLocation: sourceLocation)
    }

    /// 512 MiB (sparse, so it costs no disk) under a 400 MiB address space.
    @Test func aFileLargerThanTheAddressSpaceIsRefusedBeforeReading() throws {
        let scratch = try Scratch()
        #expect(FileManager.default.createFile(atPath: scratch.path + "/big.csv", contents: nil))
        #expect(truncate(scratch.path + "/big.csv", off_t(512 << 20)) == 0)
        let result = try BoundedRun.run(["--journal", "s.kensho", "--keep-going", "--format", "csv", "-c", "load big.csv; datasets | count"],
                                        in: scratch.url, limits: ResourceLimitTests.addressSpace)
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.hasPrefix("big.csv: error: not enough memory to load 'big.csv': about 536,870,920 bytes are needed"
                                        + " for the file, but the address-space limit (ulimit -v) leaves "), "\(result.summary)")
        #expect(result.stderr.contains(ResourceLimitTests.failureNotes), "\(result.summary)")
        #expect(result.stdout == "n\n0\n", "a dataset was added: \(result.summary)")
        #expect(result.peakMemory < 100 << 20, "\(result.peakMemory) bytes at the peak")
        try ResourceLimitTests.expectJournal(scratch, entries: 2)
    }

    /// 40 MB of one-digit numbers: 20 million cells, about 400 MB, which do not fit.
    @Test func cellsThatDoNotFitAreRefusedBeforeTheScan() throws {
        let scratch = try Scratch()
        try scratch.file("numbers.csv", "a,b,c,d,e,f,g,h\n" + String(repeating: "1,2,3,4,5,6,7,8\n", count: 2_500_000))
        let result = try BoundedRun.run(["--journal", "s.kensho", "-c", "load numbers.csv"], in: scratch.url,
                                        limits: ResourceLimitTests.addressSpace)
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.hasPrefix("numbers.csv: error: not enough memory to load 'numbers.csv': about "), "\(result.summary)")
        #expect(result.stderr.contains(" bytes are needed for its cells, but the address-space limit (ulimit -v) leaves "))
        try ResourceLimitTests.expectJournal(scratch, entries: 1)
    }

    /// A first line of 70 KB fools the estimate (it sees one record where millions
    /// follow): the column buffers are then refused by the system, and the load fails
    /// all the same, and the session goes on.
    @Test func memoryRefusedDuringTheScanFailsTheLoad() throws {
        let scratch = try Scratch()
        try scratch.file("p.csv", "id,name\n1,Aoki\n2,Baba\n")
        try scratch.file("sneaky.csv", "a,b,c,d,e,f,g,h\n" + String(repeating: "x", count: 70_000) + ",2,3,4,5,6,7,8\n"
                         + String(repeating: "1,2,3,4,5,6,7,8\n", count: 3_000_000))
        let result = try BoundedRun.run(["--journal", "s.kensho", "--keep-going", "--format", "csv",
                                         "-c", "load sneaky.csv; load p.csv; p | count"],
                                        in: scratch.url, limits: BoundedRun.Limits(addressSpaceKiB: 300 * 1024))
        #expect(result.signal == nil && result.status == 1, "\(result.summary)")
        #expect(result.stderr.hasPrefix("sneaky.csv: error: not enough memory to load 'sneaky.csv': the system refused "),
                "\(result.summary)")
        #expect(result.stderr.contains(ResourceLimitTests.failureNotes), "\(result.summary)")
        #expect(result.stdout == "n\n2\n", "\(result.summary)")
        try ResourceLimitTests.expectJournal(scratch, entries: 3)
    }

    /// A 100 MB value in one cell — quoted CSV, a JSON string — loads whole, in linear
    /// time, holding the file and little more. (Before, role inference copied every
    /// character of it into an array: a minute and 600 MB for the CSV.)
    @Test(arguments: [
        ("big.csv", "id,note\n1,\"", "\"\n2,short\n"),
        ("big.json", "[{\"id\": 1, \"note\": \"", "\"}, {\"id\": 2, \"note\": \"short\"}]"),
    ])
    func aHundredMegabyteValueLoadsInBoundedTimeAndMemory(_ name: String, _ head: String, _ tail: String) throws {
        let scratch = try Scratch()
        let size = 100_000_000
        try ResourceLimitTests.write(scratch.url.appendingPathComponent(name), head, repeating: UInt8(ascii: "x"), count: size, tail)
        let result = try BoundedRun.run(["--no-journal", "--format", "csv", "-c", "load \(name) as big; big | select id, length(note) as n"],
                                        in: scratch.url)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stdout == "id,n\n1,100000000\n2,5\n", "\(result.summary)")
        #expect(result.peakMemory < size + (96 << 20), "\(result.peakMemory) bytes at the peak for a \(size)-byte file")
        #expect(result.seconds < 40, "\(result.summary)")
    }

    /// With 32 descriptors, 150 failed loads of every kind and then a good one: a load
    /// that kept one descriptor open per failure would run out long before.
    @Test func failedLoadsKeepNoDescriptorOpen() throws {
        let scratch = try Scratch()
        try scratch.file("p.csv", "id,name\n1,Aoki\n2,Baba\n")
        try scratch.file("quote.csv", "a,b\n1,\"open\n")
        try scratch.file("bad.json", "[{\"a\": 1},")
        try scratch.file("nul.csv", "a\n\u{0}\n")
        try scratch.file("cut.sqlite", "SQLite format 3\u{0}" + String(repeating: "x", count: 200))
        // One field more than kensho's 16,384 columns.
        try scratch.file("wide.csv", (0...16_384).map { "c\($0)" }.joined(separator: ",") + "\n")
        #expect(mkfifo(scratch.path + "/pipe.csv", 0o600) == 0)
        try FileManager.default.createDirectory(atPath: scratch.path + "/tree", withIntermediateDirectories: true)
        try "x".write(toFile: scratch.path + "/tree/unreadable", atomically: false, encoding: .utf8)
        let failing = ["missing.csv", "quote.csv", "bad.json", "nul.csv", "cut.sqlite", "wide.csv", "pipe.csv"]
        let script = (0..<150).map { "load \(failing[$0 % failing.count])" }.joined(separator: "\n") + "\nload tree\nload p.csv\np | count\n"
        try scratch.file("many.kensho", script)
        let result = try BoundedRun.run(["--no-journal", "--keep-going", "--format", "csv", "run", "many.kensho"],
                                        in: scratch.url, limits: BoundedRun.Limits(openFiles: 32))
        #expect(result.stdout == "n\n2\n", "\(result.summary)")
        #expect(!result.stderr.contains("too many open files"), "\(result.summary)")
        #expect(result.stderr.components(separatedBy: ": error: ").count == 151, "\(result.summary)")
    }
}
