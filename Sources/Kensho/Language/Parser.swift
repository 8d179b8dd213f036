/// A recursive-descent parser for kensho statements.
///
/// The parser pulls tokens from a `Lexer` with one token of lookahead and hands out one
/// statement at a time (`nextStatement()`), so a script can run statement by statement
/// and a syntax error in one statement does not stop the ones before it from running.
/// After an error the parser skips to the next statement boundary and carries on.
///
/// Words are keywords only where the grammar expects one (`Token.isKeyword`), so user
/// names may collide with keywords anywhere else. Where a keyword is required and the
/// user typed a near miss, the error suggests it ("did you mean 'where'?").
public struct Parser: Sendable {
    var lexer: Lexer
    var current: Token
    /// Where the statement being parsed started.
    var statementStart = 0
    /// Brackets, `not`s and minus signs the expression parser is inside (bounded).
    var nesting = 0

    public let source: SourceText

    public init(_ source: SourceText) throws(Diagnostic) {
        self.source = source
        self.lexer = Lexer(source)
        self.current = Token(kind: .newline, text: "", range: .none)
        self.current = try lexer.next()
    }

    /// Parses a whole source into statements, stopping at the first syntax error.
    public static func parseAll(_ source: SourceText) throws(Diagnostic) -> [ParsedStatement] {
        var parser = try Parser(source)
        var statements: [ParsedStatement] = []
        while let statement = try parser.nextStatement() { statements.append(statement) }
        return statements
    }

    /// The next statement, nil at the end of the source. On a syntax error the parser
    /// first moves past the broken statement, so calling again continues with the next one.
    public mutating func nextStatement() throws(Diagnostic) -> ParsedStatement? {
        while current.kind == .newline || current.kind == .semicolon { try advance() }
        if current.kind == .end { return nil }
        statementStart = current.range.start
        nesting = 0
        do throws(Diagnostic) {
            let statement = try parseStatement()
            let end = previousEnd
            guard current.isTerminator else {
                throw unexpected(expecting: "end of statement")
            }
            let range = SourceRange(statementStart, end)
            return ParsedStatement(statement: statement, range: range, text: source.slice(range))
        } catch {
            recover()
            throw error
        }
    }

    /// End offset of the last consumed token.
    public internal(set) var previousEnd = 0

    // MARK: - Cursor

    mutating func advance() throws(Diagnostic) {
        previousEnd = current.range.end
        current = try lexer.next()
    }

    /// Consumes the keyword if present.
    mutating func accept(keyword: String) throws(Diagnostic) -> Bool {
        guard current.isKeyword(keyword) else { return false }
        try advance()
        return true
    }

    mutating func accept(symbol: String) throws(Diagnostic) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        try advance()
        return true
    }

    mutating func expect(keyword: String) throws(Diagnostic) {
        guard current.isKeyword(keyword) else {
            throw unexpected(expecting: "'\(keyword)'", suggesting: [keyword])
        }
        try advance()
    }

    mutating func expect(symbol: String) throws(Diagnostic) {
        guard current.isSymbol(symbol) else { throw unexpected(expecting: "'\(symbol)'") }
        try advance()
    }

    /// A plain or backtick-quoted name.
    mutating func expectName(_ what: String) throws(Diagnostic) -> Name {
        guard current.kind == .word || current.kind == .quotedWord else {
            throw unexpected(expecting: what)
        }
        let name = Name(current.text, range: current.range)
        try advance()
        return name
    }

    /// A name that may be dotted: `x.patrons`, `address.city`.
    mutating func expectQualifiedName(_ what: String) throws(Diagnostic) -> QualifiedName {
        var parts = [try expectName(what)]
        while current.isSymbol("."), parts.last!.range.end == current.range.start {
            try advance()
            parts.append(try expectName(what))
        }
        return QualifiedName(parts)
    }

    /// A name or a quoted string (labels, topics).
    mutating func expectNameOrString(_ what: String) throws(Diagnostic) -> Name {
        if current.kind == .string {
            let name = Name(current.text, range: current.range)
            try advance()
            return name
        }
        return try expectName(what)
    }

    /// Reads a path after `load`, `to`, `save`: a string or a bare path word.
    /// Consumes the keyword in `current` (`load`, `save`, `to`) and reads the path after
    /// it by the path's own rules. What follows the keyword is never lexed as an ordinary
    /// token first: that token could fail where the path does not (a path may hold a
    /// lone backtick) or run past the path's end (a backtick-quoted name holding `;`), so
    /// ``save`;` `` parsed as ``save` `` in a script but failed alone, and replay parses a
    /// journaled statement alone.
    mutating func expectPathAfterKeyword() throws(Diagnostic) -> (String, SourceRange) {
        previousEnd = current.range.end
        lexer.rewind(to: current.range.end, depth: lexer.depth)
        guard let token = try lexer.scanPath() else {
            current = try lexer.next()
            throw unexpected(expecting: "a path")
        }
        previousEnd = token.range.end
        current = try lexer.next()
        return (token.text, token.range)
    }

    mutating func expectInteger(_ what: String) throws(Diagnostic) -> Int {
        guard current.kind == .integer, let value = Int(current.text) else { throw unexpected(expecting: what) }
        try advance()
        return value
    }

    // MARK: - Errors

    func unexpected(expecting what: String, suggesting keywords: [String] = []) -> Diagnostic {
        var hint: String?
        if current.kind == .word, !keywords.isEmpty {
            hint = Suggestion.hint(for: current.text, in: keywords)
        }
        let found = current.description
        let range = current.kind == .end || current.kind == .newline
            ? SourceRange(previousEnd, previousEnd + 1) : current.range
        return Diagnostic("expected \(what), found \(found)", at: range, hint: hint)
    }

    /// Skips the rest of a broken statement.
    mutating func recover() {
        while !current.isTerminator {
            do { try advance() } catch {
                // A lexical error inside the broken statement: skip one byte and retry.
                lexer.rewind(to: lexer.position)
                if lexer.position >= source.bytes.count { current = Token(kind: .end, text: "", range: .none); return }
                continue
            }
        }
    }
}
