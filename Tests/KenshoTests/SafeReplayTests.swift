import Foundation
import Testing
@testable import Kensho

/// A journal from someone else is untrusted input: with `--data`, replay reads inputs
/// only from inside that folder, whatever paths the journal names; exports go to the
/// scratch folder whatever path they name.
@Suite("Safe replay")
struct SafeReplayTests {
    /// A journal that loads `outside/p.csv` by its absolute path, and the folders around it.
    static func journalOfAnOutsideFile() throws -> (SessionHarness, journal: String, outside: String) {
        let harness = try SessionHarness()
        let outside = try harness.file("outside/p.csv", "id,name\n1,Aoki\n2,Baba\n")
        try FileManager.default.createDirectory(atPath: harness.path("data"), withIntermediateDirectories: true)
        let journal = harness.path("s.kensho")
        harness.session.journal = try JournalWriter(path: journal, header: .current(operatorName: "t"))
        #expect(harness.run("load \(outside)\np | count"))
        return (harness, journal, outside)
    }

    static func replay(_ journal: String, data: String?, scratch: String) throws -> (Replayer.Summary, String) {
        let report = BufferSink()
        let summary = Replayer(options: .init(dataDirectory: data, scratchDirectory: scratch))
            .replay(try JournalTests.read(journal), name: "s", report: report)
        return (summary, report.text)
    }

    @Test func withDataAnAbsolutePathOutsideIsRefused() throws {
        let (harness, journal, outside) = try SafeReplayTests.journalOfAnOutsideFile()
        // Without --data the path as written is read.
        #expect(try SafeReplayTests.replay(journal, data: nil, scratch: harness.path("scratch")).0.isClean)
        // With --data, the same file is out of bounds even though it exists and matches.
        let (refused, report) = try SafeReplayTests.replay(journal, data: harness.path("data"), scratch: harness.path("scratch"))
        #expect(!refused.isClean)
        #expect(report.contains("'\(outside)' is not under --data"))
        // A copy inside the data folder is found and used instead.
        try FileManager.default.copyItem(atPath: outside, toPath: harness.path("data/p.csv"))
        #expect(try SafeReplayTests.replay(journal, data: harness.path("data"), scratch: harness.path("scratch")).0.isClean)
    }

    @Test func withDataALinkOutOfTheFolderIsRefused() throws {
        let (harness, journal, outside) = try SafeReplayTests.journalOfAnOutsideFile()
        // data/p.csv is a symbolic link to the outside file: by name it would match.
        try FileManager.default.createSymbolicLink(atPath: harness.path("data/p.csv"), withDestinationPath: outside)
        let (summary, report) = try SafeReplayTests.replay(journal, data: harness.path("data"), scratch: harness.path("scratch"))
        #expect(!summary.isClean)
        #expect(report.contains("is not under --data"))
    }

    @Test func withDataARelativePathClimbingOutIsRefused() throws {
        let harness = try SessionHarness()
        try harness.file("secret.csv", "id\n1\n")
        try harness.file("case/data/x.csv", "id\n2\n")
        let journal = harness.path("s.kensho")
        harness.session.journal = try JournalWriter(path: journal, header: .current(operatorName: "t"))
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(harness.path("case/data"))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        #expect(harness.run("load ../../secret.csv\nsecret | count"))
        let (summary, report) = try SafeReplayTests.replay(journal, data: harness.path("case/data"), scratch: harness.path("scratch"))
        #expect(!summary.isClean)
        #expect(report.contains("'../../secret.csv' is not under --data"))
    }

    @Test func exportsStayInTheScratchFolderWhateverPathTheyName() throws {
        let harness = try SessionHarness()
        try harness.file("p.csv", "id,name\n1,Aoki\n")
        try FileManager.default.createDirectory(atPath: harness.path("deep"), withIntermediateDirectories: true)
        let path = harness.path("s.kensho")
        harness.session.journal = try JournalWriter(path: path, header: .current(operatorName: "t"))
        #expect(harness.run("load $DIR/p.csv\nexport p to $DIR/deep/../escape.csv\nexport p to $DIR/report.html"))
        for name in ["escape.csv", "report.html"] { try FileManager.default.removeItem(atPath: harness.path(name)) }
        let (summary, _) = try SafeReplayTests.replay(path, data: nil, scratch: harness.path("scratch"))
        #expect(summary.isClean)
        let written = try FileManager.default.contentsOfDirectory(atPath: harness.directory.path).sorted()
        #expect(written == ["deep", "p.csv", "s.kensho", "scratch"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: harness.path("scratch")).sorted() == ["escape.csv", "report.html"])
    }
}
