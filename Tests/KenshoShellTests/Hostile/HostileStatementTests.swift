import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Hostile input to the command line itself: statements and arguments that are not
/// UTF-8, pipes where files should be, journals damaged after the fact — run on the
/// built binary with a time limit, checking the exit status, the message and that the
/// journal still verifies.
@Suite("Hostile input: the command line", .timeLimit(.minutes(1)))
struct HostileStatementTests {
    /// Shift_JIS typed into a UTF-8 pipe: the statements before it run, the one holding
    /// it does not (not even journaled), and without --keep-going nothing after it.
    @Test func statementsOnStandardInputThatAreNotUTF8() throws {
        let scratch = try EvidenceCommandTests.scratch()
        let input = Array("load p.csv\np\n  | where name = '".utf8) + [0x93, 0x8C] + Array("'\np | count\n".utf8)
        let stopped = try BoundedRun.run(["--journal", "s.kensho", "--format", "csv"], in: scratch.url, stdin: input)
        #expect(stopped.status == 1, "\(stopped.summary)")
        #expect(stopped.stderr.contains("""
        stdin:3:19: error: bytes that are not valid utf-8 (93 8C 27) in a statement
        note: nothing was run: kensho reads statements as UTF-8
        note: text saved or typed in Shift_JIS can be converted with: iconv -f CP932 -t UTF-8

        """), "\(stopped.summary)")
        #expect(stopped.stdout.isEmpty, "the statement holding the bad bytes ran: \(stopped.summary)")
        let verify = try BoundedRun.run(["verify", "s.kensho"], in: scratch.url)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("intact: 1 entries\n"), "\(verify.summary)")

        let going = try BoundedRun.run(["--no-journal", "--format", "csv", "--keep-going"], in: scratch.url, stdin: input)
        #expect(going.status == 1)
        #expect(going.stdout == "n\n3\n", "\(going.summary)")
    }

    @Test func argumentsThatAreNotUTF8AreAUsageError() throws {
        let scratch = try EvidenceCommandTests.scratch()
        let command = try BoundedRun.run(raw: [Array("--no-journal".utf8), Array("-c".utf8),
                                               Array("p | where name = '".utf8) + [0x93, 0x8C] + Array("'".utf8)],
                                         in: scratch.url)
        #expect(command.status == 2, "\(command.summary)")
        #expect(command.stderr.hasPrefix("error: argument 3 is not valid UTF-8 (93 8C 27 at byte 18)\n"), "\(command.summary)")
        let script = try BoundedRun.run(raw: [Array("run".utf8), [0x93, 0x8C] + Array(".kensho".utf8)], in: scratch.url)
        #expect(script.status == 2, "\(script.summary)")
        #expect(script.stderr.hasPrefix("error: argument 2 is not valid UTF-8 (93 8C 2E 6B at byte 0)\n"), "\(script.summary)")
    }

    /// A fifo opened for reading waits for a writer: kensho must refuse it at once.
    @Test(arguments: [["run", "pipe"], ["verify", "pipe"], ["replay", "pipe"], ["--no-journal", "-c", "load pipe with format=csv"]])
    func aPipeWhereAFileShouldBeIsRefusedAtOnce(_ arguments: [String]) throws {
        let scratch = try EvidenceCommandTests.scratch()
        #expect(mkfifo(scratch.path + "/pipe", 0o600) == 0)
        let result = try BoundedRun.run(arguments, in: scratch.url, timeout: 20)
        #expect(!result.timedOut, "\(result.summary)")
        #expect(result.status == 1 || result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains("'pipe' is a fifo (named pipe), not a regular file"), "\(result.summary)")
    }

    /// Journals as a crash or a careless copy leaves them, through `verify` and `replay`.
    @Test func damagedJournalsThroughVerifyAndReplay() throws {
        let scratch = try EvidenceCommandTests.scratch()
        let session = try BoundedRun.run(["--journal", "s.kensho", "-c", "load p.csv; p | count"], in: scratch.url)
        #expect(session.status == 0, "\(session.summary)")
        let journal = try Data(contentsOf: scratch.url.appendingPathComponent("s.kensho"))
        let lines = journal.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }

        try (journal + Data(count: 4096)).write(to: scratch.url.appendingPathComponent("zeros.kensho"))
        let zeros = try BoundedRun.run(["verify", "zeros.kensho"], in: scratch.url)
        #expect(zeros.status == 0, "\(zeros.summary)")
        #expect(zeros.stderr == "zeros.kensho:\(lines): note: the journal ends in 4096 NUL bytes, as a crash leaves a file extended over blocks never written; they are not part of the chain\n")
        let replayed = try BoundedRun.run(["replay", "zeros.kensho"], in: scratch.url)
        #expect(replayed.status == 0, "\(replayed.summary)")

        try (journal + Data([0xFF, 0xFE, 0x0A])).write(to: scratch.url.appendingPathComponent("junk.kensho"))
        let junk = try BoundedRun.run(["verify", "junk.kensho"], in: scratch.url)
        #expect(junk.status == 3)
        #expect(junk.stdout == "broken: 2 entries verified before line \(lines)\n", "\(junk.summary)")
        #expect(junk.stderr == "junk.kensho:\(lines): error: bytes that are not UTF-8 at byte offset \(journal.count)\n")
        #expect(try BoundedRun.run(["replay", "junk.kensho"], in: scratch.url).status == 3)

        let crlf = Data(journal.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] })
        try crlf.write(to: scratch.url.appendingPathComponent("crlf.kensho"))
        let converted = try BoundedRun.run(["verify", "crlf.kensho"], in: scratch.url)
        #expect(converted.status == 3)
        #expect(converted.stderr.hasPrefix("crlf.kensho:1: error: the lines end in CR LF: this copy was converted"), "\(converted.summary)")
    }
}
