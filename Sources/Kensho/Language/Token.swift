/// One lexical token of kensho source.
///
/// Words are not split into keywords and identifiers by the lexer: the parser asks
/// `isKeyword(_:)` where a keyword may stand, so a column named `count` or `by` still
/// works wherever no keyword is expected. A backtick-quoted word is never a keyword.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case word            // identifier or keyword: 氏名, load, okazaki
        case quotedWord      // `any name`
        case string          // "..." or '...'
        case integer
        case float
        case symbol          // punctuation and operators; see `text`
        case newline         // a statement terminator (continuation lines are folded away)
        case semicolon
        case end
    }

    public var kind: Kind
    /// The token's meaning: a word or symbol as written, a string's unescaped contents.
    public var text: String
    public var range: SourceRange

    public func isKeyword(_ keyword: String) -> Bool {
        kind == .word && text.lowercased() == keyword
    }

    public func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && text == symbol
    }

    /// True for tokens that end a statement.
    public var isTerminator: Bool {
        kind == .newline || kind == .semicolon || kind == .end
    }

    /// How the token is named in "expected X, found Y" messages.
    public var description: String {
        switch kind {
        case .word, .quotedWord: return "'\(text)'"
        case .string: return "string"
        case .integer, .float: return "number '\(text)'"
        case .symbol: return "'\(text)'"
        case .newline: return "end of line"
        case .semicolon: return "';'"
        case .end: return "end of input"
        }
    }
}
