import Foundation
import Testing
@testable import Kensho

/// The evidence log (DESIGN §5): what is written, that verify catches every edit, and
/// that replay re-runs and checks inputs and results.
@Suite("Journal")
struct JournalTests {
    /// Runs `script` in a journaled session over a small fixture; returns the harness and
    /// the journal's path.
    static func journaled(_ script: String) throws -> (SessionHarness, String) {
        let harness = try SessionHarness()
        try harness.file("p.csv", "id,name,city\n1,Aoki,Tokyo\n2,Baba,Osaka\n3,Chiba,Tokyo\n")
        let path = harness.path("session.kensho")
        harness.session.journal = try JournalWriter(path: path, header: JournalHeader(fields: [
            ("tool", "kensho test"), ("started", "2026-01-01T00:00:00.000Z"), ("operator", "tester"),
            ("host", "test"), ("directory", "."),
        ]))
        _ = harness.run(script, stopOnError: false)
        return (harness, path)
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func formatOfAJournal() throws {
        let (harness, path) = try JournalTests.journaled("""
        -- load the list
        load $DIR/p.csv
        tokyo = p | where city = 'Tokyo'
        p | wher x
        tokyo | count
        """)
        let text = try JournalTests.read(path).replacingOccurrences(of: harness.directory.path, with: "$DIR")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines[0...6]) == [
            "-- kensho journal 1", "-- tool: kensho test", "-- started: 2026-01-01T00:00:00.000Z",
            "-- operator: tester", "-- host: test", "-- directory: .", "",
        ])
        #expect(lines[7] == "-- load the list")
        #expect(lines[8] == "load $DIR/p.csv")
        #expect(lines[9].hasPrefix("--= time="))
        #expect(lines[9].contains(" status=ok ms="))
        #expect(lines[9].contains(" dataset=p input=$DIR/p.csv sha256="))
        #expect(lines[9].contains(" size=53 rows=3 chain="))
        #expect(lines[10] == "tokyo = p | where city = 'Tokyo'")
        #expect(lines[11].contains(" dataset=tokyo rows=2 digest="))
        #expect(lines[12] == "p | wher x")
        #expect(lines[13].contains(" status=error error=\"unknown operator 'wher'\" "))
        #expect(lines[14] == "tokyo | count")
        #expect(lines[15].contains(" rows=1 digest="))
        #expect(lines[16] == "")
        #expect(lines.count == 17)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func verifyAcceptsAnUntouchedJournalAndPrintsItsHead() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\np | count by city")
        let report = JournalVerifier.verify(try JournalTests.read(path))
        #expect(report.isIntact)
        #expect(report.entries == 2)
        #expect(report.head == harness.session.journal!.head)
    }

    /// Every single-byte edit anywhere in the file — header, statement, annotation,
    /// chain, line breaks — is caught, at or before the edited entry.
    @Test func everySingleByteEditFailsVerify() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\nt = p | where city = 'Tokyo'\nt | count")
        let original = Array(try JournalTests.read(path).utf8)
        let document = try JournalDocument.parse(String(decoding: original, as: UTF8.self))
        let entryEnds = document.entries.map { $0.annotationLine }
        var undetected: [Int] = []
        for offset in original.indices {
            for replacement: UInt8 in [original[offset] ^ 0x01, original[offset] == 0x0A ? 0x20 : 0x0A] {
                var edited = original
                edited[offset] = replacement
                let report = JournalVerifier.verify(bytes: edited)
                guard let broken = report.broken else { undetected.append(offset); continue }
                // The break is reported at or before the entry holding the edit.
                let editLine = original[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                let entry = entryEnds.firstIndex { editLine <= $0 }.map { $0 + 1 } ?? entryEnds.count
                #expect(broken.entry <= entry, "edit at byte \(offset) (line \(editLine)) reported at entry \(broken.entry)")
            }
        }
        #expect(undetected.isEmpty, "edits at byte offsets \(undetected) were not detected: \(undetected.map { String(decoding: original[max(0, $0 - 20)..<min(original.count, $0 + 10)], as: UTF8.self) })")
        withExtendedLifetime(harness) {}
    }

    /// A write cut short by a crash can leave any prefix of the last entry: every such
    /// journal still verifies, as the entries before it.
    @Test func everyTruncationOfTheLastEntryVerifies() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\nt = p | where city = 'Tokyo'")
        let full = Array(try JournalTests.read(path).utf8)
        let document = try JournalDocument.parse(String(decoding: full, as: UTF8.self))
        let lastStart = full.count - (document.entries.last!.statement.utf8.count + 1
            + document.entries.last!.annotationPrefix.utf8.count + " chain=".utf8.count + 64 + 1)
        for cut in lastStart..<full.count {
            let report = JournalVerifier.verify(bytes: Array(full[..<cut]))
            #expect(report.isIntact, "cut at \(cut): \(report.broken.map(\.message) ?? "")")
            #expect(report.entries == (cut == full.count - 1 ? 2 : 1))
        }
        #expect(JournalVerifier.verify(bytes: full).entries == 2)
        withExtendedLifetime(harness) {}
    }

    @Test func replayMatchesASessionAndReportsEachStatement() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\nt = p | where city = 'Tokyo'\np | wher x\nt | count")
        let report = BufferSink()
        let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch")))
            .replay(try JournalTests.read(path), name: "s.kensho", report: report)
        #expect(summary.isClean)
        #expect((summary.matched, summary.skipped, summary.diverged) == (3, 1, 0))
        let lines = report.text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("s.kensho:8  ok        load "))
        #expect(lines[1] == "s.kensho:10  ok        t = p | where city = 'Tokyo'  (2 rows, digest matches)")
        #expect(lines[2] == "s.kensho:12  skipped   p | wher x  (failed when recorded)")
        #expect(lines[3] == "s.kensho:14  ok        t | count  (1 rows, digest matches)")
        #expect(lines[4] == "replayed 4 statements: 3 matched, 0 diverged, 1 skipped")
    }

    @Test func aChangedInputFailsReplayNamingTheFileAndBothHashes() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\np | count")
        let before = SHA256Digest.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: harness.path("p.csv")))))
        try harness.file("p.csv", "id,name,city\n1,Aoki,Tokyo\n2,Baba,Osaka\n3,Chiba,Kyoto\n")
        let after = SHA256Digest.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: harness.path("p.csv")))))
        let report = BufferSink()
        let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch")))
            .replay(try JournalTests.read(path), name: "s.kensho", report: report)
        #expect(!summary.isClean)
        #expect(report.text.contains("s.kensho:8  DIVERGED  load \(harness.path("p.csv"))\n      \(harness.path("p.csv")): sha256 was \(before), now \(after)\n"))
    }

    @Test func aMovedInputIsFoundUnderTheDataDirectory() throws {
        let harness = try SessionHarness()
        try harness.file("case/p.csv", "id\n1\n2\n")
        let path = harness.path("s.kensho")
        harness.session.journal = try JournalWriter(path: path, header: .current(operatorName: "t"))
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(harness.path("case"))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        #expect(harness.run("load p.csv\np | count"))
        // The evidence moves to another folder, under another name.
        try FileManager.default.createDirectory(atPath: harness.path("elsewhere/deep"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: harness.path("case/p.csv"), toPath: harness.path("elsewhere/deep/renamed.csv"))
        let lost = Replayer(options: .init(scratchDirectory: harness.path("scratch")))
            .replay(try JournalTests.read(path), name: "s", report: BufferSink())
        #expect(!lost.isClean)
        let found = Replayer(options: .init(dataDirectory: harness.path("elsewhere"), scratchDirectory: harness.path("scratch")))
            .replay(try JournalTests.read(path), name: "s", report: BufferSink())
        #expect(found.isClean)
    }

    @Test func replayRefusesAnAlteredJournal() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\np | count")
        let altered = try JournalTests.read(path).replacingOccurrences(of: "p | count", with: "p | limit 1")
        let report = BufferSink()
        let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch"))).replay(altered, name: "s", report: report)
        #expect(summary.brokenChain)
        #expect(report.text.hasSuffix("not replayed: the journal was altered\n"))
    }

    @Test func replayWritesExportsToAScratchFolder() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\nexport p to $DIR/out.csv")
        try FileManager.default.removeItem(atPath: harness.path("out.csv"))
        let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch")))
            .replay(try JournalTests.read(path), name: "s", report: BufferSink())
        #expect(summary.isClean)
        #expect(!FileManager.default.fileExists(atPath: harness.path("out.csv")))
        #expect(FileManager.default.fileExists(atPath: harness.path("scratch/out.csv")))
    }

    @Test func aSecondWriterIsRefused() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv")
        #expect(throws: Diagnostic.self) { try JournalWriter(path: path, header: .current(operatorName: nil)) }
        withExtendedLifetime(harness) {}
    }

    @Test func anIncompleteLastEntryIsReportedNotFatal() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\np | count")
        let text = try JournalTests.read(path) + "p | where city = 'Tok"
        let report = JournalVerifier.verify(text)
        #expect(report.isIntact)
        #expect(report.entries == 2)
        #expect(report.incompleteTail == 12)
        withExtendedLifetime(harness) {}
    }

    @Test func statementLinesThatLookLikeAnnotationsAreEscaped() throws {
        let (harness, path) = try JournalTests.journaled("--= not an annotation\nload $DIR/p.csv")
        let text = try JournalTests.read(path)
        #expect(text.contains("\n-- = not an annotation\nload "))
        #expect(JournalVerifier.verify(text).isIntact)
        withExtendedLifetime(harness) {}
    }

    @Test func tableDigestsDependOnContentOnly() throws {
        let harness = try SessionHarness()
        try harness.file("p.csv", "id,n\n1,2\n2,3\n")
        #expect(harness.run("load $DIR/p.csv"))
        let table = harness.session.catalog["p"]!.table
        let digest = TableDigest.sha256(table)
        #expect(digest == TableDigest.sha256(table.selecting(RowMap([0, 1]))))
        #expect(digest != TableDigest.sha256(table.selecting(RowMap([1, 0]))))
        harness.session.settings.maxRows = 1
        harness.session.settings.format = .table
        #expect(digest == TableDigest.sha256(harness.session.catalog["p"]!.table))
    }
}
