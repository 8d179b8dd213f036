import Foundation
import Testing
@testable import Kensho

@Suite("Findings")
struct FindingsTests {
    static func harness() throws -> SessionHarness {
        let harness = try OperatorTests.harness()
        harness.session.settings.operatorName = "yamada"
        return harness
    }

    @Test func findingsAreTheTaggedRowsWithProvenance() throws {
        let harness = try FindingsTests.harness()
        #expect(harness.run("people | where city = 'Tokyo' | tag tokyo note \"same city\" | count"))
        #expect(harness.run("people | where age > 40 | tag older | count"))
        expectCSV(harness, "findings | select label, note, operator, _dataset, _line", """
        label,note,operator,_dataset,_line
        tokyo,same city,yamada,people,2
        tokyo,same city,yamada,people,4
        older,,yamada,people,5

        """)
        // Tagging the same rows again adds nothing; the first record stays.
        #expect(harness.run("people | where city = 'Tokyo' | tag tokyo | count"))
        expectCSV(harness, "findings | count", "n\n3\n")
        // The findings list equals the rows that were tagged.
        expectCSV(harness, "findings | where label = 'tokyo' | select _line", "_line\n2\n4\n")
        expectCSV(harness, "people | where city = 'Tokyo' | select _line", "_line\n2\n4\n")
    }

    @Test func untagAndNotes() throws {
        let harness = try FindingsTests.harness()
        #expect(harness.run("people | tag all | count\nuntag all where _line > 3"))
        #expect(harness.errors.contains("untagged 3 rows from 'all'"))
        expectCSV(harness, "findings | select _line", "_line\n2\n3\n")
        #expect(harness.run("note all \"the first two\""))
        #expect(harness.session.findings.notes.map(\.text) == ["the first two"])
    }

    @Test func aggregatedRowsCannotBeTagged() throws {
        let harness = try FindingsTests.harness()
        expectDiagnostic(harness, "people | count by city | tag x", """
        query:1:26: error: these rows have no provenance to tag (no _dataset, _source and _line)
        1 | people | count by city | tag x
          |                          ^^^^^ tag rows before 'count', 'count by' or 'distinct COL' turns them into new rows

        """)
        expectCSV(harness, "findings | count", "n\n0\n")
    }

    @Test func aFailedStatementTagsNothing() throws {
        let harness = try FindingsTests.harness()
        #expect(!harness.run("people | tag early | where nope = 1"))
        expectCSV(harness, "findings | count", "n\n0\n")
    }

    /// Tags attach to row identity, so replaying the journal gives the same findings,
    /// down to operator and time.
    @Test func tagsSurviveReplay() throws {
        let (harness, path) = try JournalTests.journaled("""
        load $DIR/p.csv
        set operator = yamada
        p | where city = 'Tokyo' | tag tokyo note "same city" | count
        findings
        export findings to $DIR/findings.csv
        """)
        let report = BufferSink()
        let summary = Replayer(options: .init(scratchDirectory: harness.path("scratch")))
            .replay(try JournalTests.read(path), name: "s", report: report)
        #expect(summary.isClean, "\(report.text)")
        #expect(summary.matched == 5)
        let original = try String(contentsOfFile: harness.path("findings.csv"), encoding: .utf8)
        let replayed = try String(contentsOfFile: harness.path("scratch/findings.csv"), encoding: .utf8)
        #expect(original == replayed)
        #expect(original.hasPrefix("label,note,operator,time,_dataset,_source,_line\ntokyo,same city,yamada,"))
    }
}
