/// A problem with what the user typed or loaded, tied to the place it happened.
///
/// Everything the user can act on is a `Diagnostic`: parse errors, unknown names, type
/// errors, failed loads. It carries a UTF-8 range into the statement's `SourceText` (or,
/// for data files, a file position) and is rendered in exactly one place,
/// `DiagnosticFormatter`, as
///
///     query:1:17: error: unknown column 'emial'
///     1 | okazaki | where emial = 'x'
///       |                 ^^^^^ did you mean 'email'?
///
/// Messages are lowercase, without a final period, and quote names in single quotes.
public struct Diagnostic: Error, Sendable, Equatable {
    public enum Severity: String, Sendable { case error, warning, note }

    public var severity: Severity
    public var message: String
    /// Where in the statement source the problem is; `nil` when it is elsewhere (a file).
    public var range: SourceRange?
    /// Short text printed after the carets ("did you mean 'email'?").
    public var hint: String?
    /// A place in a data file, for loader errors: shown instead of the statement position.
    public var fileLocation: FileLocation?
    /// Further lines printed after the diagnostic.
    public var notes: [String]

    public init(
        _ message: String, at range: SourceRange? = nil, hint: String? = nil,
        severity: Severity = .error, notes: [String] = []
    ) {
        self.severity = severity
        self.message = message
        self.range = range
        self.hint = hint
        self.fileLocation = nil
        self.notes = notes
    }

    public init(_ message: String, in file: FileLocation, notes: [String] = []) {
        self.severity = .error
        self.message = message
        self.range = nil
        self.hint = nil
        self.fileLocation = file
        self.notes = notes
    }

    /// The same diagnostic, placed at `range` unless it already has a place.
    public func placed(at range: SourceRange) -> Diagnostic {
        var copy = self
        if copy.range == nil && copy.fileLocation == nil { copy.range = range }
        return copy
    }
}

/// A position in a data file: path, 1-based line and column, and the byte offset.
public struct FileLocation: Sendable, Equatable {
    public var path: String
    public var line: Int?
    public var column: Int?
    public var byteOffset: Int?

    public init(path: String, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }
}

/// Renders diagnostics with the source line and a caret underline.
public struct DiagnosticFormatter: Sendable {
    public init() {}

    public func format(_ diagnostic: Diagnostic, in source: SourceText?) -> String {
        var out = ""
        if let file = diagnostic.fileLocation {
            var place = file.path
            if let line = file.line {
                place += ":\(line)"
                if let column = file.column { place += ":\(column)" }
            }
            out += "\(place): \(diagnostic.severity.rawValue): \(diagnostic.message)"
            if let offset = file.byteOffset { out += " (byte offset \(offset))" }
            out += "\n"
        } else if let source, let range = diagnostic.range {
            let (line, column) = source.location(of: range.start)
            out += "\(source.name):\(line):\(column): \(diagnostic.severity.rawValue): \(diagnostic.message)\n"
            out += caretLines(for: range, hint: diagnostic.hint, line: line, in: source)
        } else {
            let prefix = source.map { "\($0.name): " } ?? ""
            out += "\(prefix)\(diagnostic.severity.rawValue): \(diagnostic.message)\n"
            if let hint = diagnostic.hint { out += "  \(hint)\n" }
        }
        for note in diagnostic.notes { out += "note: \(note)\n" }
        return out
    }

    private func caretLines(for range: SourceRange, hint: String?, line: Int, in source: SourceText) -> String {
        let text = sanitized(source.lineText(containing: range.start))
        let gutter = String(line)
        let pad = String(repeating: " ", count: gutter.count)
        let lineStart = source.lineStart(containing: range.start)
        let before = source.slice(SourceRange(lineStart, range.start))
        let lineEnd = lineStart + Array(source.lineText(containing: range.start).utf8).count
        let marked = source.slice(SourceRange(range.start, min(max(range.end, range.start), lineEnd)))
        let indent = DisplayWidth.of(sanitized(before))
        let width = max(1, DisplayWidth.of(sanitized(marked)))
        var caret = String(repeating: " ", count: indent) + String(repeating: "^", count: width)
        if let hint { caret += " \(hint)" }
        return "\(gutter) | \(text)\n\(pad) | \(caret)\n"
    }

    /// Tabs become one space so caret columns stay aligned with what the terminal shows.
    private func sanitized(_ text: String) -> String {
        text.replacingTabs()
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: unicodeScalars.map { $0 == "\t" ? " " : $0 })
        return out
    }
}
