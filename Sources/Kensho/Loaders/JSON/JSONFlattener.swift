/// Reads one record — an object — into `JSONColumns`, flattening nested objects to
/// dotted column names (`{"address": {"city": "岡崎"}}` gives `address.city`).
///
/// Arrays are not flattened (their length varies from record to record): an array is
/// one value, its compact JSON text (whitespace outside strings removed, strings as
/// written). An empty nested object is the text `{}` under its own key, so a key that
/// was present is never lost. A key that occurs twice in one record (also through
/// flattening: `"a.b"` next to `"a": {"b": …}`) fails the load rather than dropping a
/// value. Nesting is walked with an explicit stack, never recursion.
struct JSONFlattener {
    /// Decoded strings (those with escapes) and compacted arrays; the ranges of such
    /// values point here.
    private(set) var decoded: [UInt8] = []
    /// The dotted key being read: the open objects' keys, each followed by a dot.
    private var path: [UInt8] = []
    private var scratch: [UInt8] = []
    /// Per open object: where its keys start in `path`, and how many members it has.
    private var frames: [(pathLength: Int, members: Int)] = []
    /// The current key when it is a top-level key without escapes (the common case): it
    /// is used where it lies in the text instead of being copied into `path`.
    private var sourceKey: UnsafeBufferPointer<UInt8>?

    /// Reads the object at the scanner's cursor (its `{`) as the next record. `depth` is
    /// the nesting depth of its container (0 for a JSON Lines record).
    mutating func readRecord(_ scanner: inout JSONScanner, into columns: inout JSONColumns,
                             depth: Int) throws(JSONSyntaxError) {
        enum State { case keyOrClose, keyAfterComma, afterValue }
        columns.beginRecord()
        path.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        try scanner.checkDepth(depth + 1)
        scanner.position += 1
        frames.append((0, 0))
        var state = State.keyOrClose
        while true {
            scanner.skipWhitespace()
            switch state {
            case .keyOrClose, .keyAfterComma:
                if scanner.current == UInt8(ascii: "}") {
                    guard state == .keyOrClose else {
                        throw JSONSyntaxError("expected a key after ',', found '}' (a trailing comma)", at: scanner.position)
                    }
                    if try closeObject(&scanner, into: &columns) { return }
                    state = .afterValue
                    continue
                }
                guard scanner.current == UInt8(ascii: "\"") else {
                    throw JSONSyntaxError("expected a string key in an object, found \(scanner.describeCurrent())",
                                          at: scanner.position)
                }
                let keyOffset = scanner.position
                let key = try scanner.scanString()
                frames[frames.count - 1].members += 1
                try scanner.expectColon()
                scanner.skipWhitespace()
                if frames.count == 1, !key.hasEscapes, scanner.current != UInt8(ascii: "{") {
                    // A top-level key as written: its bytes in the text are the column name.
                    sourceKey = UnsafeBufferPointer(rebasing: scanner.bytes[key.content])
                } else {
                    sourceKey = nil
                    path.removeSubrange(frames[frames.count - 1].pathLength...)
                    if key.hasEscapes {
                        try scanner.decode(key, into: &path)
                    } else {
                        path.append(contentsOf: UnsafeBufferPointer(rebasing: scanner.bytes[key.content]))
                    }
                }
                if scanner.current == UInt8(ascii: "{") {
                    try scanner.checkDepth(depth + frames.count + 1)
                    scanner.position += 1
                    path.append(UInt8(ascii: "."))
                    frames.append((path.count, 0))
                    state = .keyOrClose
                    continue
                }
                try readValue(&scanner, into: &columns, depth: depth + frames.count, keyOffset: keyOffset)
                state = .afterValue
            case .afterValue:
                if scanner.current == UInt8(ascii: ",") {
                    scanner.position += 1
                    state = .keyAfterComma
                } else if scanner.current == UInt8(ascii: "}") {
                    if try closeObject(&scanner, into: &columns) { return }
                } else {
                    throw JSONSyntaxError("expected ',' or '}' after a value in an object, found \(scanner.describeCurrent())",
                                          at: scanner.position)
                }
            }
        }
    }

    /// Consumes a `}`; returns true when it closed the record itself.
    private mutating func closeObject(_ scanner: inout JSONScanner, into columns: inout JSONColumns) throws(JSONSyntaxError) -> Bool {
        let closeOffset = scanner.position
        scanner.position += 1
        let frame = frames.removeLast()
        if frames.isEmpty {
            guard columns.endRecord() else {
                throw tooManyCells(columns: columns.columns.count, rows: columns.rowCount, columns.inputBytes, at: closeOffset)
            }
            return true
        }
        if frame.members == 0 {
            sourceKey = nil
            path.removeSubrange((frame.pathLength - 1)...)
            let start = decoded.count
            decoded.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
            try set(&columns, kind: .json, range: ByteRange(start: UInt32(start), count: 2), decoded: true,
                    keyOffset: closeOffset)
        }
        return false
    }

    /// Reads a value that is not an object and stores it under the current key.
    private mutating func readValue(_ scanner: inout JSONScanner, into columns: inout JSONColumns, depth: Int,
                                    keyOffset: Int) throws(JSONSyntaxError) {
        guard let byte = scanner.current else {
            throw JSONSyntaxError("expected a value, found the end of the file", at: scanner.position)
        }
        switch byte {
        case UInt8(ascii: "\""):
            let string = try scanner.scanString()
            if string.hasEscapes {
                let start = decoded.count
                try scanner.decode(string, into: &decoded)
                try set(&columns, kind: .string, range: ByteRange(start: UInt32(start), count: UInt32(decoded.count - start)),
                        decoded: true, keyOffset: keyOffset)
            } else {
                try set(&columns, kind: .string, range: JSONFlattener.range(string.content), decoded: false,
                        keyOffset: keyOffset)
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanner.scanNumber()
            try set(&columns, kind: .number, range: JSONFlattener.range(number), decoded: false, keyOffset: keyOffset)
        case UInt8(ascii: "["):
            scratch.removeAll(keepingCapacity: true)
            try scanner.skimValue(depth: depth, compacting: &scratch, copy: true)
            let range = scratch.withUnsafeBufferPointer { appendDecoded($0) }
            try set(&columns, kind: .json, range: range, decoded: true, keyOffset: keyOffset)
        default:
            let start = scanner.position
            switch try scanner.scanLiteral() {
            case .null:
                try set(&columns, kind: .null, range: .null, decoded: false, keyOffset: keyOffset)
            case .true, .false:
                try set(&columns, kind: .boolean, range: JSONFlattener.range(start..<scanner.position), decoded: false,
                        keyOffset: keyOffset)
            }
        }
    }

    private mutating func set(_ columns: inout JSONColumns, kind: JSONColumns.Kind, range: ByteRange, decoded: Bool,
                              keyOffset: Int) throws(JSONSyntaxError) {
        let stored: JSONColumns.Stored
        if let sourceKey {
            stored = columns.set(sourceKey, kind: kind, range: range, decoded: decoded)
        } else {
            stored = path.withUnsafeBufferPointer { columns.set($0, kind: kind, range: range, decoded: decoded) }
        }
        switch stored {
        case .stored:
            return
        case .duplicate:
            throw JSONSyntaxError("duplicate key '\(currentKey)' in one record", at: keyOffset,
                                  notes: ["a record must not give a key twice (also not as 'a.b' next to \"a\": {\"b\": …})"])
        case .tooManyColumns:
            let limit = TableRenderer.grouped(LoadLimits.maximumColumns)
            throw JSONSyntaxError("more than \(limit) distinct keys: '\(currentKey.prefix(64))' would be column \(TableRenderer.grouped(LoadLimits.maximumColumns + 1))",
                                  at: keyOffset, notes: ["kensho loads at most \(limit) columns (nested keys count as columns)"])
        case .tooManyCells:
            throw tooManyCells(columns: columns.columns.count + 1, rows: columns.rowCount + 1, columns.inputBytes,
                               at: keyOffset)
        }
    }

    /// The error for a table that would hold more cells than `JSONColumns.maximumCells`.
    private func tooManyCells(columns: Int, rows: Int, _ inputBytes: Int?, at offset: Int) -> JSONSyntaxError {
        JSONSyntaxError(LoadLimits.tooManyCells(columns: columns, rows: rows, inputBytes: inputBytes ?? 0), at: offset,
                        notes: ["the records bring ever new keys, each a column; " + LoadLimits.cellsNote])
    }

    /// The dotted key being set, for error messages.
    private var currentKey: String {
        sourceKey.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: path, as: UTF8.self)
    }

    private mutating func appendDecoded(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteRange {
        let start = decoded.count
        decoded.append(contentsOf: bytes)
        return ByteRange(start: UInt32(start), count: UInt32(bytes.count))
    }

    @inline(__always)
    private static func range(_ range: Range<Int>) -> ByteRange {
        ByteRange(start: UInt32(range.lowerBound), count: UInt32(range.count))
    }
}
