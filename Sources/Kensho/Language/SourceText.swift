/// A piece of kensho source — a script file, one REPL entry, a `-c` argument — with
/// the bookkeeping to turn UTF-8 offsets into the line and column a person sees.
///
/// Offsets everywhere in the language layer are UTF-8 byte offsets into `bytes`; line
/// and column are computed only when a diagnostic is rendered (the way
/// swift-foundation's JSON scanner keeps byte offsets until it reports).
public struct SourceText: Sendable {
    /// The name shown in diagnostics: a file path, `repl`, `command-line`, `stdin`.
    public let name: String
    public let text: String
    public let bytes: [UInt8]
    /// Line number of the first line, so a REPL entry can continue the session's numbering.
    public let firstLine: Int
    private let lineStarts: [Int]

    public init(name: String, text: String, firstLine: Int = 1) {
        self.name = name
        self.text = text
        self.bytes = Array(text.utf8)
        self.firstLine = firstLine
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// 1-based line and column (in Unicode scalars, as an editor counts characters) of `offset`.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let index = lineIndex(of: offset)
        let start = lineStarts[index]
        let prefix = bytes[start..<min(offset, bytes.count)]
        let column = String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
        return (firstLine + index, column)
    }

    /// The text of the line holding `offset`, without its line break.
    public func lineText(containing offset: Int) -> String {
        let index = lineIndex(of: offset)
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The UTF-8 offset at which the line holding `offset` starts.
    public func lineStart(containing offset: Int) -> Int {
        lineStarts[lineIndex(of: offset)]
    }

    /// The source text of `range`, clamped to the text.
    public func slice(_ range: SourceRange) -> String {
        let lower = max(0, min(range.start, bytes.count))
        let upper = max(lower, min(range.end, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    private func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// A half-open range of UTF-8 offsets in a `SourceText`.
public struct SourceRange: Sendable, Hashable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    public static func covering(_ a: SourceRange, _ b: SourceRange) -> SourceRange {
        SourceRange(min(a.start, b.start), max(a.end, b.end))
    }

    public static let none = SourceRange(0, 0)
}
