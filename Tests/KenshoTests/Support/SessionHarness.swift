import Foundation
import Testing
@testable import Kensho

/// A session wired to memory buffers, with a scratch directory for fixture files.
/// Tests write small inputs with `file(_:_:)`, run statements with `run(_:)`, and read
/// what a user would see on stdout and stderr.
final class SessionHarness {
    let directory: URL
    let stdout = BufferSink()
    let stderr = BufferSink()
    let session: Session

    init(format: OutputFormat = .csv) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kensho-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        session = Session(output: stdout, status: stderr)
        session.settings.format = format
        session.terminalWidth = 200
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes a fixture file and returns its path.
    @discardableResult
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs statements (with `$DIR` replaced by the scratch directory); returns success.
    @discardableResult
    func run(_ statements: String, name: String = "query", stopOnError: Bool = true) -> Bool {
        stdout.clear()
        stderr.clear()
        let text = statements.replacingOccurrences(of: "$DIR", with: directory.path)
        return session.run(SourceText(name: name, text: text), stopOnError: stopOnError)
    }

    var output: String { stdout.text }
    var errors: String { stderr.text.replacingOccurrences(of: directory.path, with: "$DIR") }
}

/// Runs statements and expects them to succeed with exactly `csv` on stdout.
func expectCSV(_ harness: SessionHarness, _ statements: String, _ csv: String,
               sourceLocation: SourceLocation = #_sourceLocation) {
    let ok = harness.run(statements)
    #expect(ok, "statements failed: \(harness.errors)", sourceLocation: sourceLocation)
    #expect(harness.output == csv, sourceLocation: sourceLocation)
}

/// Runs statements and expects them to fail with exactly `diagnostic` on stderr.
func expectDiagnostic(_ harness: SessionHarness, _ statements: String, _ diagnostic: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    let ok = harness.run(statements)
    #expect(!ok, "statements should have failed", sourceLocation: sourceLocation)
    #expect(harness.errors == diagnostic, sourceLocation: sourceLocation)
}
