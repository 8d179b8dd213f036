/// Statements that arrive as bytes — piped to standard input, typed at the prompt,
/// given as a command-line argument — are read as UTF-8 or refused.
///
/// Repairing a bad byte to U+FFFD (what `String(decoding:)` and `readLine` do) would
/// change the statement silently: a Shift_JIS name in a string literal would match
/// nothing, a path would name another file, and the journal would record a statement
/// that was never typed. So the statement is not run, and the error names its place.
public enum StatementBytes {
    /// `bytes` as text; `name` and `line` place the error (`stdin:3:7: error: …`).
    public static func text(_ bytes: [UInt8], name: String, line: Int) throws(Diagnostic) -> String {
        guard let bad = bytes.withUnsafeBufferPointer({ UTF8Validation.firstInvalidOffset(in: $0) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let (lineOffset, column) = bytes.withUnsafeBufferPointer { UTF8Validation.lineAndColumn(of: bad, in: $0) }
        let shown = bytes.withUnsafeBufferPointer { UTF8Validation.hex($0, at: bad) }
        throw Diagnostic("bytes that are not valid utf-8 (\(shown)) in a statement",
                         in: FileLocation(path: name, line: line + lineOffset - 1, column: column),
                         notes: ["nothing was run: kensho reads statements as UTF-8",
                                 "text saved or typed in Shift_JIS can be converted with: iconv -f CP932 -t UTF-8"])
    }
}
