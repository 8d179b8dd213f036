import KenshoKeyers

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
    /// Called after every statement with what happened (replay listens here).
    public var observer: ((StatementRecord) -> Void)?
    /// Handed to every load as `Loader.progress`; the shell sets it when standard error
    /// is a terminal.
    public var loadProgress: (@Sendable (Int, Int) -> Void)?
    /// The session's evidence log; every statement is appended as it finishes.
    public var journal: JournalWriter?
    /// Set when the journal could not be written: the shell reports it and exits non-zero.
    public private(set) var journalFailed = false
    /// Compute result digests even without a journal (replay compares them).
    public var computesDigests = false
    /// Maps a path as typed in `load` to the file to read (replay's --data); nil keeps
    /// it; an error refuses the load.
    public var inputResolver: ((String) throws(Diagnostic) -> String?)?
    /// Maps an export path to where it is written (replay's scratch folder); nil keeps it.
    public var exportRedirect: ((String) -> String)?
    /// Fingerprint recipes by name, in the order defined.
    public internal(set) var recipes: [String: Recipe] = [:]
    /// Fingerprints computed so far, reused while their columns are unchanged.
    let fingerprintCache = FingerprintCache()
    /// The case key read by `set key = env:NAME`.
    var caseKey: CaseKey?
    /// The tree diffs run so far (before, after), for the report.
    var treeDiffs: [(String, String)] = []
    /// Tags and notes recorded so far.
    public internal(set) var findings = FindingLog()
    /// The time stamped on what the current statement records (tags, notes). Replay sets
    /// it to the recorded statement's time so findings come out identical.
    public var clockOverride: String?
    /// When the current statement started: its journal time and the time of what it records.
    var statementTime = ""
    /// Tags added by the statement being run (for its journal annotation).
    var taggedByStatement = 0
    /// Whether `attach` may connect (replay of someone else's journal sets it false:
    /// its `push` statements would send data to a server the journal names).
    public var allowsWarehouses = true
    /// Attached warehouses by name.
    var warehouses: [String: Warehouse] = [:]
    /// Shows the progress of a push (rows sent, rows in all); the shell sets it when
    /// standard error is a terminal.
    public var pushProgress: (@Sendable (Int, Int) -> Void)?
    /// How much of a file `push "FILE"` reads at a time (tests make it small).
    var pushSliceSize = 32 << 20
    /// Fields the current statement adds to its journal annotation (the SQL a warehouse ran).
    var extraAnnotation: [(key: String, value: String)] = []
    /// Results printed so far by the current `run` (to separate consecutive tables).
    private var resultsPrinted = 0

    public init(output: any OutputSink, status: any OutputSink, cancellation: CancellationFlag = CancellationFlag()) {
        self.output = output
        self.status = status
        self.cancellation = cancellation
    }

    var functions: FunctionLibrary {
        var library = FunctionLibrary()
        library.keyerNames = KeyerRegistry.names
        library.keyerLookup = { name in
            guard let keyer = KeyerRegistry.keyer(named: name) else { return nil }
            return { bytes in
                var output: [UInt8] = []
                return keyer.key(bytes, into: &output) == .ok ? output : nil
            }
        }
        return library
    }

    /// Runs every statement of `source` in order. With `stopOnError`, the first failure
    /// stops the run (scripts); otherwise later statements still run (the REPL).
    /// Returns true when every statement succeeded.
    @discardableResult
    public func run(_ source: SourceText, stopOnError: Bool = true) -> Bool {
        resultsPrinted = 0
        // A key typed in clear is refused below; masked first, it reaches no journal,
        // history or error message.
        let redacted = KeyRedaction.masked(source.text)
        let source = redacted == source.text ? source : SourceText(name: source.name, text: redacted, firstLine: source.firstLine)
        var parser: Parser
        do { parser = try Parser(source) } catch {
            report(error, in: source)
            finish(text: source.text, outcome: .failed(error.message), started: Clock.monotonicMilliseconds())
            return false
        }
        var allSucceeded = true
        // Where the previous statement ended: the comments between two statements are
        // journaled with the second, so a journal reads like the script that made it.
        var consumed = 0
        while true {
            let started = Clock.monotonicMilliseconds()
            let statement: ParsedStatement?
            do {
                statement = try parser.nextStatement()
            } catch {
                report(error, in: source)
                let text = journalText(source, from: consumed, to: max(parser.previousEnd, error.range?.end ?? 0))
                consumed = parser.previousEnd
                history.append(text)
                finish(text: text, outcome: .failed(error.message), started: started)
                allSucceeded = false
                if stopOnError { return false }
                continue
            }
            guard let statement else { break }
            let text = journalText(source, from: consumed, to: statement.range.end)
            consumed = statement.range.end
            if !execute(statement, in: source, journalText: text) {
                allSucceeded = false
                if stopOnError { return false }
            }
        }
        return allSucceeded
    }

    /// Executes one parsed statement; reports and records its outcome.
    @discardableResult
    public func execute(_ statement: ParsedStatement, in source: SourceText, journalText: String? = nil) -> Bool {
        let started = Clock.monotonicMilliseconds()
        history.append(statement.text)
        taggedByStatement = 0
        extraAnnotation = []
        statementTime = clockOverride ?? Clock.timestamp()
        let outcome: StatementRecord.Outcome
        do {
            outcome = try perform(statement.statement, range: statement.range, source: source)
        } catch let diagnostic as Diagnostic {
            report(diagnostic.placed(at: statement.range), in: source)
            outcome = .failed(diagnostic.message)
        } catch is Cancelled {
            status.write("cancelled\n")
            outcome = .cancelled
        } catch is LoadCancelled {
            status.write("cancelled\n")
            outcome = .cancelled
        } catch {
            let diagnostic = Diagnostic("\(error)", at: statement.range)
            report(diagnostic, in: source)
            outcome = .failed(diagnostic.message)
        }
        cancellation.reset()
        finish(text: journalText ?? statement.text, outcome: outcome, started: started)
        switch outcome {
        case .failed, .cancelled: return false
        default: return true
        }
    }

    /// The statement's text for the journal: from the end of the previous statement,
    /// leading blank lines and separators trimmed.
    private func journalText(_ source: SourceText, from start: Int, to end: Int) -> String {
        let text = source.slice(SourceRange(start, end))
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        let trimmed = text.unicodeScalars.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == ";" || $0 == "\u{3000}" }
        return String(trimmed)
    }

    /// Records a finished statement: builds its annotation, journals it, tells the observer.
    private func finish(text: String, outcome: StatementRecord.Outcome, started: Double) {
        let milliseconds = Int((Clock.monotonicMilliseconds() - started).rounded())
        var annotation = StatementRecord.annotation(for: outcome, time: statementTime.isEmpty ? Clock.timestamp() : statementTime,
                                                    milliseconds: milliseconds, withDigests: journal != nil || computesDigests)
        statementTime = ""
        if taggedByStatement > 0 { annotation.add("tagged", String(taggedByStatement)) }
        taggedByStatement = 0
        for (key, value) in extraAnnotation { annotation.add(key, value) }
        extraAnnotation = []
        let record = StatementRecord(text: text, outcome: outcome, annotation: annotation)
        if let journal {
            do { try journal.append(statement: text, annotation: annotation) } catch {
                // A journal that cannot be written must not be silently incomplete.
                report(error, in: nil)
                journalFailed = true
            }
        }
        observer?(record)
    }

    func report(_ diagnostic: Diagnostic, in source: SourceText?) {
        status.write(DiagnosticFormatter().format(diagnostic, in: source))
    }

    var isCancelled: @Sendable () -> Bool {
        let flag = cancellation
        return { flag.isSet }
    }

    // MARK: - Printing results

    /// Prints a result in the session's format. Personal columns are masked in tables
    /// unless `set mask = off`, and in every format under `set mask = all` (DESIGN §6).
    func print(_ original: Table) {
        let maskEverywhere = settings.mask == "all"
        let table = maskEverywhere && Masking.applies(to: original) ? Masking.apply(to: original) : original
        let columns = table.visibleIndices
        if resultsPrinted > 0, settings.format == .table { output.write("\n") }
        resultsPrinted += 1
        switch settings.format {
        case .table:
            let renderer = TableRenderer(maxRows: settings.maxRows, maxColumnWidth: settings.maxColumnWidth,
                                         terminalWidth: terminalWidth)
            var display: ((Int, Int) -> String?)?
            if settings.mask == "on", Masking.applies(to: table) {
                display = { column, row in
                    guard let role = table.fields[column].role, role.isPersonal else { return nil }
                    let value = table.columns[column].value(at: row)
                    return value.text.map { TableRenderer.escaped(Masking.mask($0, as: role)) }
                }
            }
            output.write(renderer.render(table, columns: columns, display: display))
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

/// What one statement did, for the journal, replay and tests.
public struct StatementRecord: Sendable {
    public var text: String
    public var outcome: Outcome
    public var annotation: JournalAnnotation

    public enum Outcome: Sendable {
        case loaded([LoadedInput])
        case bound(name: String, table: Table)
        case result(Table)
        case exported(path: String, table: Table, sha256: String)
        /// A dataset pushed to a warehouse: the rows sent and the SHA-256 of what was sent.
        case pushed(warehouse: String, dataset: String, rows: Int, digest: String)
        case setting(String)
        case info
        case failed(String)
        case cancelled
    }

    /// One file a `load` read.
    public struct LoadedInput: Sendable {
        public var dataset: String
        public var file: SourceFile
        public var rows: Int
    }

    /// The `--=` fields for an outcome (DESIGN §5): time and status; for loads each input's
    /// path, SHA-256, size and rows; for results the row count and digest.
    static func annotation(for outcome: Outcome, time: String, milliseconds: Int, withDigests: Bool) -> JournalAnnotation {
        var annotation = JournalAnnotation()
        annotation.add("time", time)
        switch outcome {
        case .failed(let message):
            annotation.add("status", "error")
            annotation.add("error", message)
        case .cancelled:
            annotation.add("status", "cancelled")
        default:
            annotation.add("status", "ok")
        }
        annotation.add("ms", String(milliseconds))
        switch outcome {
        case .loaded(let inputs):
            for input in inputs {
                annotation.add("dataset", input.dataset)
                annotation.add("input", input.file.path)
                annotation.add("sha256", input.file.sha256)
                annotation.add("size", String(input.file.size))
                annotation.add("rows", String(input.rows))
                if input.file.encoding.name != "utf-8" || input.file.encoding.how != "auto" {
                    annotation.add("encoding", input.file.encoding.description)
                }
            }
        case .bound(let name, let table):
            annotation.add("dataset", name)
            annotation.add("rows", String(table.rowCount))
            if withDigests { annotation.add("digest", TableDigest.sha256(table)) }
        case .result(let table):
            annotation.add("rows", String(table.rowCount))
            if withDigests { annotation.add("digest", TableDigest.sha256(table)) }
        case .exported(let path, let table, let sha256):
            annotation.add("output", path)
            annotation.add("rows", String(table.rowCount))
            if withDigests { annotation.add("digest", TableDigest.sha256(table)) }
            if !sha256.isEmpty { annotation.add("sha256", sha256) }
        case .pushed(let warehouse, let dataset, let rows, let digest):
            annotation.add("warehouse", warehouse)
            annotation.add("dataset", dataset)
            annotation.add("rows", String(rows))
            annotation.add("digest", digest)
        case .setting(let text):
            annotation.add("setting", text)
        case .info, .failed, .cancelled:
            break
        }
        return annotation
    }
}
