/// A byte cursor over UTF-8 JSON text (RFC 8259): whitespace, strings, numbers,
/// literals, and whole values skimmed without building anything.
///
/// The scanner never recurses. Nested values are walked with an explicit stack and a
/// fixed depth limit (`maximumDepth`), so a file of 100,000 `[` is a clear error at the
/// bracket that went too deep, not a stack overflow. It keeps what the loader needs as
/// byte ranges into the text: a string's content (decoded only when it has escapes,
/// see `JSONScanner+Strings.swift`) and a number's text exactly as written, so a
/// number reads back byte for byte or stays text (`TypeInference`).
///
/// Errors are `JSONSyntaxError`s holding a byte offset; the loader turns the offset
/// into a line and column only when it reports one.
struct JSONScanner {
    /// Deeper nesting than this (arrays and objects together, counted from the top of
    /// the file) is refused.
    static let maximumDepth = 256

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The byte at the cursor, or nil at the end of the text.
    @inline(__always)
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Skips the four JSON whitespace bytes: space, tab, line feed, carriage return.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    /// Skips spaces, tabs and carriage returns, but not a line feed (JSON Lines).
    mutating func skipBlanksWithinLine() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x0D || byte == 0x09 else { return }
            position += 1
        }
    }

    mutating func checkDepth(_ depth: Int) throws(JSONSyntaxError) {
        guard depth <= JSONScanner.maximumDepth else {
            throw JSONSyntaxError("nesting deeper than \(JSONScanner.maximumDepth) levels", at: position,
                                  notes: ["kensho refuses deeper nesting rather than risk running out of stack"])
        }
    }

    // MARK: - Numbers and literals

    /// Scans a number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`) at the cursor and
    /// returns its text's range.
    mutating func scanNumber() throws(JSONSyntaxError) -> Range<Int> {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, isDigit(first) else {
            throw JSONSyntaxError("invalid number: expected a digit after '-', found \(describeCurrent())",
                                  at: position)
        }
        position += 1
        if first == UInt8(ascii: "0"), let next = current, isDigit(next) {
            throw JSONSyntaxError("invalid number: a leading zero must not be followed by digits", at: start)
        }
        skipDigits()
        if current == UInt8(ascii: ".") {
            position += 1
            guard let next = current, isDigit(next) else {
                throw JSONSyntaxError("invalid number: expected a digit after '.', found \(describeCurrent())",
                                      at: position)
            }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard let next = current, isDigit(next) else {
                throw JSONSyntaxError("invalid number: expected a digit in the exponent, found \(describeCurrent())",
                                      at: position)
            }
            skipDigits()
        }
        return start..<position
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    @inline(__always)
    private mutating func skipDigits() {
        while let byte = current, isDigit(byte) { position += 1 }
    }

    enum Literal { case `true`, `false`, null }

    /// Scans `true`, `false` or `null` at the cursor.
    mutating func scanLiteral() throws(JSONSyntaxError) -> Literal {
        let candidates: [(String, Literal)] = [("true", .true), ("false", .false), ("null", .null)]
        for (word, literal) in candidates where matches(word) {
            position += word.utf8.count
            if let next = current, isWordByte(next) { break }
            return literal
        }
        var end = position
        while end < bytes.count, isWordByte(bytes[end]), end - position < 16 { end += 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<max(end, position + 1)]), as: UTF8.self)
        throw JSONSyntaxError("unexpected '\(word)': expected a value (a string, number, object, array, true, false or null)",
                              at: position)
    }

    private func matches(_ word: String) -> Bool {
        var offset = position
        for byte in word.utf8 {
            guard offset < bytes.count, bytes[offset] == byte else { return false }
            offset += 1
        }
        return true
    }

    private func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || isDigit(byte) || byte == UInt8(ascii: "_")
    }

    // MARK: - Whole values

    /// What kind of value starts at the cursor (for "record 3 is a number, not an object").
    func kindOfValue() -> String {
        guard let byte = current else { return "missing" }
        switch byte {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return "a number"
        default: return "not a JSON value"
        }
    }

    /// Validates one whole value at the cursor and moves past it. With `compacting`, the
    /// value's text without insignificant whitespace is appended to it (strings keep their
    /// escapes as written). `depth` is the nesting depth of the value's container.
    mutating func skimValue(depth: Int, compacting output: inout [UInt8], copy: Bool) throws(JSONSyntaxError) {
        enum State { case value, key, afterValue }
        var stack: [UInt8] = []
        var state = State.value
        var afterComma = false
        var scratch: [UInt8] = []
        while true {
            switch state {
            case .value:
                skipWhitespace()
                guard let byte = current else {
                    throw JSONSyntaxError("expected a value, found the end of the file", at: position)
                }
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    try checkDepth(depth + stack.count + 1)
                    stack.append(byte)
                    if copy { output.append(byte) }
                    position += 1
                    skipWhitespace()
                    let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                    if current == close {
                        stack.removeLast()
                        if copy { output.append(close) }
                        position += 1
                        state = .afterValue
                    } else {
                        state = byte == UInt8(ascii: "{") ? .key : .value
                    }
                    afterComma = false
                    continue
                case UInt8(ascii: "\""):
                    let string = try scanString()
                    if string.hasEscapes { try decode(string, into: &scratch) }
                    if copy { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[string.quoted])) }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let range = try scanNumber()
                    if copy { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range])) }
                case UInt8(ascii: "]") where afterComma, UInt8(ascii: "}") where afterComma:
                    throw JSONSyntaxError("expected a value after ',', found '\(Character(Unicode.Scalar(byte)))' (a trailing comma)",
                                          at: position)
                default:
                    let start = position
                    _ = try scanLiteral()
                    if copy { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position])) }
                }
                state = .afterValue
            case .key:
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    if afterComma, current == UInt8(ascii: "}") {
                        throw JSONSyntaxError("expected a key after ',', found '}' (a trailing comma)", at: position)
                    }
                    throw JSONSyntaxError("expected a string key in an object, found \(describeCurrent())", at: position)
                }
                let key = try scanString()
                if key.hasEscapes { try decode(key, into: &scratch) }
                if copy { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[key.quoted])) }
                try expectColon()
                if copy { output.append(UInt8(ascii: ":")) }
                afterComma = false
                state = .value
            case .afterValue:
                guard let open = stack.last else { return }
                skipWhitespace()
                let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if current == UInt8(ascii: ",") {
                    if copy { output.append(UInt8(ascii: ",")) }
                    position += 1
                    afterComma = true
                    state = open == UInt8(ascii: "{") ? .key : .value
                } else if current == close {
                    if copy { output.append(close) }
                    position += 1
                    stack.removeLast()
                } else {
                    let place = open == UInt8(ascii: "{") ? "a value in an object" : "an array element"
                    throw JSONSyntaxError("expected ',' or '\(Character(Unicode.Scalar(close)))' after \(place), found \(describeCurrent())",
                                          at: position)
                }
            }
        }
    }

    /// Expects optional whitespace, a colon, and moves past it.
    mutating func expectColon() throws(JSONSyntaxError) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else {
            throw JSONSyntaxError("expected ':' after a key, found \(describeCurrent())", at: position)
        }
        position += 1
    }

    // MARK: - Describing what was found

    /// The character at the cursor for an error message: `'x'`, `U+0007`, or the end.
    func describeCurrent() -> String { describe(at: position) }

    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the file" }
        let byte = bytes[offset]
        if byte < 0x20 || byte == 0x7F { return "U+" + hex4(UInt32(byte)) }
        if byte < 0x80 { return "'\(Character(Unicode.Scalar(byte)))'" }
        var end = offset + 1
        while end < bytes.count, end - offset < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<end]), as: UTF8.self)
        return "'\(text)'"
    }

    func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// A JSON syntax error at a byte offset of the scanned text.
struct JSONSyntaxError: Error {
    var message: String
    var offset: Int
    var notes: [String]

    init(_ message: String, at offset: Int, notes: [String] = []) {
        self.message = message
        self.offset = offset
        self.notes = notes
    }
}
