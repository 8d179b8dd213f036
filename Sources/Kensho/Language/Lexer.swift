/// A byte cursor over kensho source that produces tokens on demand.
///
/// The parser drives the lexer one token at a time, so that a statement can switch
/// mode: after `load` and `to` a bare path (`examples/case/*.csv`) is read as one word
/// by `scanPath()`, which no token grammar would accept.
///
/// Newlines end statements, with these exceptions that fold a line break into
/// whitespace: inside brackets, after a trailing `|` or `,`, and before a line whose
/// first significant character is `|` (a pipeline continued on the next line).
/// Comments run from `--` to the end of the line.
public struct Lexer: Sendable {
    public let source: SourceText
    private let bytes: [UInt8]
    /// Current UTF-8 offset.
    public var position: Int
    private var bracketDepth = 0
    private var lastSignificant: Token.Kind = .newline
    private var lastSymbol = ""

    public init(_ source: SourceText) {
        self.source = source
        self.bytes = source.bytes
        self.position = 0
    }

    /// Resets the cursor to an earlier offset (used by the parser to re-read a path).
    public mutating func rewind(to offset: Int, depth: Int = 0) {
        position = offset
        bracketDepth = depth
    }

    public var depth: Int { bracketDepth }

    public mutating func next() throws(Diagnostic) -> Token {
        let token = try scan()
        switch token.kind {
        case .symbol:
            lastSymbol = token.text
            if token.text == "(" || token.text == "[" || token.text == "{" { bracketDepth += 1 }
            if token.text == ")" || token.text == "]" || token.text == "}" { bracketDepth = max(0, bracketDepth - 1) }
        case .newline, .semicolon:
            bracketDepth = 0
            lastSymbol = ""
        case .end:
            break  // kept: `needsContinuation` reads the state at the end
        default:
            lastSymbol = ""
        }
        lastSignificant = token.kind
        return token
    }

    /// Reads a bare path: everything up to whitespace, `;` or the end. A quoted string is
    /// read as a string. Returns nil when the statement ends here.
    public mutating func scanPath() throws(Diagnostic) -> Token? {
        skipHorizontalSpace()
        guard position < bytes.count else { return nil }
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            return try next()
        }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ";") { return nil }
        if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") { return nil }  // a comment, no path
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n")
                || b == UInt8(ascii: "\r") || b == UInt8(ascii: ";") || isIdeographicSpace(at: position)
            {
                break
            }
            position += 1
        }
        let token = Token(kind: .string, text: String(decoding: bytes[start..<position], as: UTF8.self),
                          range: SourceRange(start, position))
        lastSignificant = .string
        lastSymbol = ""
        return token
    }

    /// True when the source so far leaves a statement open: an unclosed bracket or string,
    /// or a trailing `|`. The REPL uses it to decide whether to ask for another line.
    public static func needsContinuation(_ text: String) -> Bool {
        var lexer = Lexer(SourceText(name: "", text: text))
        while true {
            do {
                let token = try lexer.next()
                if token.kind == .end {
                    return lexer.bracketDepth > 0 || lexer.lastSymbol == "|" || lexer.lastSymbol == ","
                }
            } catch {
                return error.message.hasPrefix("unterminated string")
            }
        }
    }

    // MARK: - Scanning

    private mutating func scan() throws(Diagnostic) -> Token {
        while true {
            skipHorizontalSpace()
            guard position < bytes.count else {
                return Token(kind: .end, text: "", range: SourceRange(position, position))
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                skipComment()
                continue
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                let start = position
                skipLineBreak()
                if bracketDepth > 0 || lastSymbol == "|" || lastSymbol == "," || lastSignificant == .newline
                    || lastSignificant == .semicolon || nextLineContinuesPipeline()
                {
                    continue
                }
                return Token(kind: .newline, text: "\n", range: SourceRange(start, start + 1))
            }
            return try scanToken(startingWith: byte)
        }
    }

    private mutating func scanToken(startingWith byte: UInt8) throws(Diagnostic) -> Token {
        let start = position
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            return try scanString(quote: byte)
        case UInt8(ascii: "`"):
            return try scanQuotedWord()
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return scanNumber()
        case UInt8(ascii: ";"):
            position += 1
            return Token(kind: .semicolon, text: ";", range: SourceRange(start, position))
        default:
            if let symbol = scanSymbol() {
                return Token(kind: .symbol, text: symbol, range: SourceRange(start, position))
            }
            if isWordStart(byte) {
                return scanWord()
            }
            let scalar = scalarAt(start)
            position += scalarLength(at: start)
            var hint: String?
            if let ascii = Lexer.fullWidthPunctuation[scalar.value] { hint = "did you mean '\(ascii)'?" }
            throw Diagnostic("unexpected character '\(scalar.escaped(asASCII: false))'",
                             at: SourceRange(start, position), hint: hint)
        }
    }

    private static let symbols: [String] = [
        "||", "!=", "<>", "<=", ">=", "==",
        "|", ",", "(", ")", "[", "]", "{", "}", "=", "<", ">", "+", "-", "*", "/", "~", ".", ":", "%", "@",
    ]

    /// Full-width punctuation an IME leaves behind, mapped to what was meant.
    private static let fullWidthPunctuation: [UInt32: String] = [
        0xFF1D: "=", 0xFF5C: "|", 0xFF0C: ",", 0xFF08: "(", 0xFF09: ")", 0xFF1C: "<", 0xFF1E: ">",
        0xFF1B: ";", 0x3001: ",", 0xFF0A: "*", 0xFF0B: "+", 0x2018: "'", 0x2019: "'", 0x201C: "\"", 0x201D: "\"",
    ]

    /// The symbols' bytes, made once: scanning is per token, and a statement may hold
    /// hundreds of thousands of them (skipped token by token after a syntax error).
    /// Every symbol is one or two bytes.
    private static let symbolBytes = symbols.map { Array($0.utf8) }

    private mutating func scanSymbol() -> String? {
        for index in Lexer.symbolBytes.indices {
            let utf8 = Lexer.symbolBytes[index]
            if position + utf8.count <= bytes.count, bytes[position] == utf8[0],
               utf8.count == 1 || bytes[position + 1] == utf8[1] {
                position += utf8.count
                let symbol = Lexer.symbols[index]
                return symbol == "<>" ? "!=" : (symbol == "==" ? "=" : symbol)
            }
        }
        return nil
    }

    private mutating func scanString(quote: UInt8) throws(Diagnostic) -> Token {
        let start = position
        position += 1
        var content: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == quote {
                position += 1
                return Token(kind: .string, text: String(decoding: content, as: UTF8.self),
                             range: SourceRange(start, position))
            }
            if byte == UInt8(ascii: "\\"), position + 1 < bytes.count {
                let escaped = bytes[position + 1]
                switch escaped {
                case UInt8(ascii: "n"): content.append(UInt8(ascii: "\n")); position += 2; continue
                case UInt8(ascii: "t"): content.append(UInt8(ascii: "\t")); position += 2; continue
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                    content.append(escaped); position += 2; continue
                default: break  // unknown escapes stay as written: regexes keep their \d
                }
            }
            content.append(byte)
            position += 1
        }
        throw Diagnostic("unterminated string", at: SourceRange(start, start + 1),
                         hint: "add the closing \(quote == UInt8(ascii: "\"") ? "\"" : "'")")
    }

    private mutating func scanQuotedWord() throws(Diagnostic) -> Token {
        let start = position
        position += 1
        let contentStart = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "`"), bytes[position] != UInt8(ascii: "\n") {
            position += 1
        }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "`") else {
            throw Diagnostic("unterminated quoted name", at: SourceRange(start, start + 1), hint: "add the closing `")
        }
        let text = String(decoding: bytes[contentStart..<position], as: UTF8.self)
        position += 1
        if text.isEmpty { throw Diagnostic("empty quoted name", at: SourceRange(start, position)) }
        return Token(kind: .quotedWord, text: text, range: SourceRange(start, position))
    }

    private mutating func scanNumber() -> Token {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) || bytes[position] == UInt8(ascii: "_") { position += 1 }
        var isFloat = false
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            isFloat = true
            position += 1
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            var look = position + 1
            if look < bytes.count, bytes[look] == UInt8(ascii: "+") || bytes[look] == UInt8(ascii: "-") { look += 1 }
            if look < bytes.count, isDigit(bytes[look]) {
                isFloat = true
                position = look
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            }
        }
        // A number glued to letters (2024年, 5th) is a word, not a number.
        if position < bytes.count, isWordStart(bytes[position]) {
            position = start
            return scanWord()
        }
        // Digit separators (1_000_000) are dropped from the token's text.
        let text = String(decoding: bytes[start..<position].lazy.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        return Token(kind: isFloat ? .float : .integer, text: text, range: SourceRange(start, position))
    }

    private mutating func scanWord() -> Token {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte < 0x80 {
                guard isWordStart(byte) || isDigit(byte) else { break }
                position += 1
            } else {
                if isIdeographicSpace(at: position) || !isWordScalar(scalarAt(position)) { break }
                position += scalarLength(at: position)
            }
        }
        return Token(kind: .word, text: String(decoding: bytes[start..<position], as: UTF8.self),
                     range: SourceRange(start, position))
    }

    // MARK: - Helpers

    private func peek(_ offset: Int) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || (byte >= 0x80 && isWordScalar(scalarAt(position)))
    }

    /// Non-ASCII scalars that may appear in names: letters, marks, numbers, and the
    /// Japanese symbols that occur in headers (々, ー, ・, 〒).
    private func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value == 0x3000 || scalar.value == 0xFEFF { return false }
        if Lexer.fullWidthPunctuation[scalar.value] != nil { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return [0x3005, 0x30FC, 0x30FB, 0x3012, 0xFF70, 0x301C, 0xFF5E].contains(scalar.value)
        }
    }

    private func scalarLength(at offset: Int) -> Int {
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return min(length, bytes.count - offset)
    }

    private func scalarAt(_ offset: Int) -> Unicode.Scalar {
        let slice = bytes[offset..<offset + scalarLength(at: offset)]
        return String(decoding: slice, as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
    }

    private func isIdeographicSpace(at offset: Int) -> Bool {
        offset + 2 < bytes.count && bytes[offset] == 0xE3 && bytes[offset + 1] == 0x80 && bytes[offset + 2] == 0x80
    }

    private mutating func skipHorizontalSpace() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                position += 1
            } else if isIdeographicSpace(at: position) {
                position += 3
            } else if byte == 0xEF, peek(1) == 0xBB, peek(2) == 0xBF {
                position += 3  // a byte order mark pasted into a script
            } else {
                return
            }
        }
    }

    private mutating func skipComment() {
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n"), bytes[position] != UInt8(ascii: "\r") {
            position += 1
        }
    }

    private mutating func skipLineBreak() {
        if bytes[position] == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { position += 2 } else { position += 1 }
    }

    /// Looks past blank and comment-only lines: does the next statement line start with `|`?
    private func nextLineContinuesPipeline() -> Bool {
        var offset = position
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                offset += 1
            } else if isIdeographicSpace(at: offset) {
                offset += 3
            } else if byte == UInt8(ascii: "-"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "-") {
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") { offset += 1 }
            } else {
                return byte == UInt8(ascii: "|")
            }
        }
        return false
    }
}
