import Foundation
import Testing
@testable import Kensho

/// Journals damaged after the fact. (`JournalTests` covers every single-byte edit, every
/// cut of the last entry and an unannotated last statement; the kill -9 test in
/// `EvidenceCommandTests` covers real crashes.)
///
/// A crash can only leave a prefix of what was written, or that prefix followed by NUL
/// bytes (blocks the file system allocated and never wrote): both verify as the
/// entries before them, and say what they found. Anything else — bytes that are not
/// text, a converted copy, a forged entry — breaks the chain where it is, after the
/// entries before it, which are counted.
@Suite("Hostile input: broken journals", .timeLimit(.minutes(1)))
struct BrokenJournalTests {
    /// A journal of two entries (a load and a count) and its bytes.
    static func journal() throws -> (SessionHarness, [UInt8]) {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\np | count")
        try harness.session.journal?.waitUntilFlushed()
        return (harness, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func lines(_ bytes: [UInt8]) -> Int { bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } }

    @Test func aTailOfNULBytesVerifiesAndIsReported() throws {
        let (harness, bytes) = try BrokenJournalTests.journal()
        let line = BrokenJournalTests.lines(bytes)
        for tail in [[UInt8](), Array("p | sel".utf8)] {
            let damaged = bytes + tail + [UInt8](repeating: 0, count: 4096)
            let report = JournalVerifier.verify(bytes: damaged)
            #expect(report.isIntact)
            #expect(report.entries == 2)
            #expect(report.zeroFill?.line == line)
            #expect(report.zeroFill?.bytes == 4096)
            #expect(report.incompleteTail == (tail.isEmpty ? nil : line))
            let sink = BufferSink()
            let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch")))
                .replay(String(decoding: damaged, as: UTF8.self), name: "s", report: sink)
            #expect(summary.isClean, "\(sink.text)")
            #expect(sink.text.contains("s:\(line)  the journal ends in 4096 NUL bytes, as a crash leaves a file extended over blocks never written; they are not part of the chain\n"),
                    "\(sink.text)")
        }
    }

    @Test func bytesThatAreNotTextBreakTheChainAfterTheEntriesBeforeThem() throws {
        let (_, bytes) = try BrokenJournalTests.journal()
        let tail = JournalVerifier.verify(bytes: bytes + [0xFF, 0xFE, 0x0A])
        #expect(tail.entries == 2)
        #expect(tail.broken?.entry == 3)
        #expect(tail.broken?.line == BrokenJournalTests.lines(bytes))
        #expect(tail.broken?.message == "bytes that are not UTF-8 at byte offset \(bytes.count)")
        // Inside the second entry's annotation: the first entry still counts.
        let second = bytes.count - 20
        var damaged = bytes
        damaged[second] = 0xFF
        let middle = JournalVerifier.verify(bytes: damaged)
        #expect(middle.entries == 1)
        #expect(middle.broken?.message == "bytes that are not UTF-8 at byte offset \(second)")
    }

    @Test func aCopyConvertedToCRLFIsNamedAsSuch() throws {
        let (_, bytes) = try BrokenJournalTests.journal()
        let converted = bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        let report = JournalVerifier.verify(bytes: converted)
        #expect(report.entries == 0)
        #expect(report.broken?.line == 1)
        #expect(report.broken?.message.hasPrefix("the lines end in CR LF: this copy was converted") == true)
    }

    /// The chain is not keyed: anyone can forge a journal whose chain verifies. Replay
    /// must then survive whatever statement it holds — here one nested 100,000 deep,
    /// recorded as having succeeded.
    @Test func aForgedEntryWithAHostileStatementDivergesWithoutCrashing() throws {
        let (harness, bytes) = try BrokenJournalTests.journal()
        let document = try JournalDocument.parse(String(decoding: bytes, as: UTF8.self))
        let hostile = "p | where " + String(repeating: "(", count: 100_000) + "id = 1" + String(repeating: ")", count: 100_000)
        var text = document.headerText
        var chain = JournalChain.genesis(header: document.headerText)
        for (index, entry) in document.entries.enumerated() {
            let statement = index == 1 ? hostile : entry.statement
            chain = JournalChain.next(previous: chain, statement: statement, annotationPrefix: entry.annotationPrefix)
            text += "\(statement)\n\(entry.annotationPrefix) chain=\(chain)\n"
        }
        #expect(JournalVerifier.verify(text).isIntact)
        let sink = BufferSink()
        let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch"))).replay(text, name: "forged", report: sink)
        #expect(summary.diverged == 1, "\(sink.text)")
        #expect(sink.text.contains("DIVERGED"), "\(sink.text)")
    }
}
