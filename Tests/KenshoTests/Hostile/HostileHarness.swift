import Foundation
import Testing
@testable import Kensho

/// What every hostile-input test checks besides its own diagnostic: nothing is lost or
/// half-kept. A load either succeeds whole (problems listed by `rejects`) or fails
/// adding no dataset, and the journal stays intact, the failure its last entry.
extension SessionHarness {
    /// A session journaled to `session.kensho` in the scratch directory (with the
    /// journal tests' fixture `p.csv`).
    static func journaled() throws -> SessionHarness {
        try JournalTests.journaled("").0
    }

    var datasetNames: [String] { session.catalog.datasets.map(\.name) }

    /// Runs `statement`, which must fail with a diagnostic starting with `diagnostic`
    /// (`$DIR` for the scratch directory) and change nothing but the journal.
    func expectRefused(_ statement: String, _ diagnostic: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = datasetNames
        #expect(!run(statement), "should have failed: \(statement)", sourceLocation: sourceLocation)
        #expect(errors.hasPrefix(diagnostic), "\(errors)", sourceLocation: sourceLocation)
        #expect(datasetNames == before, "a refused statement changed the datasets", sourceLocation: sourceLocation)
        try expectJournalIntact(lastStatus: "error", sourceLocation: sourceLocation)
    }

    /// The journal (if any) verifies, without an incomplete tail, and its last entry
    /// has `lastStatus`.
    func expectJournalIntact(lastStatus: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let journal = session.journal else { return }
        try journal.waitUntilFlushed()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: journal.path)))
        let report = JournalVerifier.verify(bytes: bytes)
        #expect(report.isIntact && report.incompleteTail == nil, "\(report.broken.map(\.message) ?? "tail")",
                sourceLocation: sourceLocation)
        let document = try JournalDocument.parse(String(decoding: bytes, as: UTF8.self))
        #expect(document.entries.last?.annotation.value("status") == lastStatus, sourceLocation: sourceLocation)
    }
}
