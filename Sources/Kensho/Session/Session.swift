/// One investigation: the catalog of datasets, the settings, the history, and the
/// single path every statement takes — from the REPL, `kensho run`, `-c`, piped stdin
/// or a replay alike: parse, evaluate, render, report.
///
/// The session writes results to `output` (standard output: results only) and
/// everything else — what a load detected, "x: 3 rows", warnings, errors — to
/// `status` (standard error), so machine output can be redirected cleanly. It never
/// touches a terminal itself; the shell hands it sinks and a terminal width.
public final class Session {
    public private(set) var catalog = Catalog()
    public var settings = Settings()
    public let output: any OutputSink
    public let status: any OutputSink
    public let cancellation: CancellationFlag
    /// The terminal width for table rendering; the shell updates it on resize.
    public var terminalWidth = 160
    /// Statements run so far, as typed (the `history` statement lists them).
    public private(set) var history: [String] = []
    /// Called after every statement with what happened (the journal listens here).
    public var observer: ((StatementRecord) -> Void)?
    /// Handed to every load as `Loader.progress`; the shell sets it when standard error
    /// is a terminal.
    public var loadProgress: (@Sendable (Int, Int) -> Void)?
    /// Results printed so far in this session (to separate consecutive tables).
    private var resultsPrinted = 0

    public init(output: any OutputSink, status: any OutputSink, cancellation: CancellationFlag = CancellationFlag()) {
        self.output = output
        self.status = status
        self.cancellation = cancellation
    }

    var functions: FunctionLibrary { FunctionLibrary() }

    /// Runs every statement of `source` in order. With `stopOnError`, the first failure
    /// stops the run (scripts); otherwise later statements still run (the REPL).
    /// Returns true when every statement succeeded.
    @discardableResult
    public func run(_ source: SourceText, stopOnError: Bool = true) -> Bool {
        var parser: Parser
        do { parser = try Parser(source) } catch {
            report(error, in: source)
            record(StatementRecord(text: source.text, outcome: .failed(error.message)))
            return false
        }
        var allSucceeded = true
        while true {
            let statement: ParsedStatement?
            do {
                statement = try parser.nextStatement()
            } catch {
                report(error, in: source)
                let range = error.range ?? SourceRange(0, source.bytes.count)
                record(StatementRecord(text: statementText(around: range, in: source), outcome: .failed(error.message)))
                allSucceeded = false
                if stopOnError { return false }
                continue
            }
            guard let statement else { break }
            if !execute(statement, in: source) {
                allSucceeded = false
                if stopOnError { return false }
            }
        }
        return allSucceeded
    }

    /// Executes one parsed statement; reports and records its outcome.
    @discardableResult
    public func execute(_ statement: ParsedStatement, in source: SourceText) -> Bool {
        history.append(statement.text)
        let outcome: StatementRecord.Outcome
        do {
            outcome = try perform(statement.statement, range: statement.range, source: source)
        } catch let diagnostic as Diagnostic {
            report(diagnostic.placed(at: statement.range), in: source)
            outcome = .failed(diagnostic.message)
        } catch is Cancelled {
            status.write("cancelled\n")
            outcome = .failed("cancelled")
        } catch is LoadCancelled {
            status.write("cancelled\n")
            outcome = .failed("cancelled")
        } catch {
            let diagnostic = Diagnostic("\(error)", at: statement.range)
            report(diagnostic, in: source)
            outcome = .failed(diagnostic.message)
        }
        cancellation.reset()
        record(StatementRecord(text: statement.text, outcome: outcome))
        if case .failed = outcome { return false }
        return true
    }

    func report(_ diagnostic: Diagnostic, in source: SourceText) {
        status.write(DiagnosticFormatter().format(diagnostic, in: source))
    }

    private func record(_ record: StatementRecord) {
        observer?(record)
    }

    /// The text of the line(s) holding a syntax error, for the record of a statement that
    /// did not parse.
    private func statementText(around range: SourceRange, in source: SourceText) -> String {
        source.lineText(containing: range.start)
    }

    var isCancelled: @Sendable () -> Bool {
        let flag = cancellation
        return { flag.isSet }
    }

    // MARK: - Printing results

    func print(_ table: Table) {
        let columns = table.visibleIndices
        if resultsPrinted > 0, settings.format == .table { output.write("\n") }
        resultsPrinted += 1
        switch settings.format {
        case .table:
            let renderer = TableRenderer(maxRows: settings.maxRows, maxColumnWidth: settings.maxColumnWidth,
                                         terminalWidth: terminalWidth)
            output.write(renderer.render(table, columns: columns, display: nil))
        case .csv: DelimitedWriter(delimiter: UInt8(ascii: ",")).write(table, columns: columns, to: output)
        case .tsv: DelimitedWriter(delimiter: UInt8(ascii: "\t")).write(table, columns: columns, to: output)
        case .json: JSONWriter(lines: false).write(table, columns: columns, to: output)
        case .jsonl: JSONWriter(lines: true).write(table, columns: columns, to: output)
        case .md: MarkdownWriter().write(table, columns: columns, to: output)
        }
    }

    func note(_ text: String) {
        status.write(text.hasSuffix("\n") ? text : text + "\n")
    }

    func put(_ dataset: Dataset) {
        catalog.put(dataset)
    }
}

/// What one statement did, for the journal and for tests.
public struct StatementRecord: Sendable {
    public var text: String
    public var outcome: Outcome

    public enum Outcome: Sendable {
        case loaded([SourceFile], rows: Int)
        case bound(name: String, rows: Int, table: Table)
        case result(Table)
        case exported(path: String, rows: Int, sha256: String)
        case setting(String)
        case info
        case failed(String)
    }
}
