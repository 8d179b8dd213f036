/// Finds the records in a JSON or JSON Lines text and reads each one with the
/// flattener, noting the line where it starts.
///
/// Accepted shapes:
/// - JSON: an array of objects; or an object holding one array of objects (an export
///   envelope such as `{"exported": "…", "patrons": [ … ]}`), whose key is reported —
///   `table=KEY` chooses the array when there are several, and the other keys are
///   named in the load's layout line, never dropped silently.
/// - JSON Lines: one object per line; blank lines are skipped. A record that continues
///   over several lines is accepted; `_line` is the line where it starts.
struct JSONRecordReader {
    var scanner: JSONScanner
    var columns = JSONColumns()
    var flattener = JSONFlattener()
    /// The 1-based line where each record's `{` is.
    var lines: [Int64] = []
    let isCancelled: @Sendable () -> Bool
    private var lineCounter = (offset: 0, line: 1)

    init(text: UnsafeBufferPointer<UInt8>, start: Int, isCancelled: @escaping @Sendable () -> Bool) {
        self.scanner = JSONScanner(bytes: text, position: start)
        self.isCancelled = isCancelled
        columns.inputBytes = text.count
    }

    /// Reads a JSON document; returns its layout for the load's status line.
    mutating func readDocument(table: String?) throws -> String {
        scanner.skipWhitespace()
        let layout: String
        switch scanner.current {
        case UInt8(ascii: "["):
            if let table {
                throw JSONSyntaxError("table=\(table) names a key of a top-level object, but this file is an array",
                                      at: scanner.position)
            }
            try readArray(depth: 0, name: nil)
            layout = "array of records"
        case UInt8(ascii: "{"):
            layout = try readEnvelope(table: table)
        default:
            throw JSONSyntaxError("expected an array of records (or an object holding one), found \(scanner.describeCurrent())",
                                  at: scanner.position)
        }
        scanner.skipWhitespace()
        if !scanner.isAtEnd {
            let more = scanner.current == UInt8(ascii: "{") || scanner.current == UInt8(ascii: "[")
            throw JSONSyntaxError("unexpected \(scanner.describeCurrent()) after the end of the JSON value",
                                  at: scanner.position,
                                  notes: more ? ["if the file holds one record per line, load it with format=jsonl"] : [])
        }
        return layout
    }

    /// Reads JSON Lines; returns the layout.
    mutating func readLines() throws -> String {
        while true {
            scanner.skipWhitespace()
            guard !scanner.isAtEnd else { break }
            try readRecord(depth: 0)
            scanner.skipBlanksWithinLine()
            if !scanner.isAtEnd, scanner.current != UInt8(ascii: "\n") {
                throw JSONSyntaxError("expected the end of the line after a record, found \(scanner.describeCurrent())",
                                      at: scanner.position, notes: ["JSON Lines holds one object per line"])
            }
        }
        return "one record per line"
    }

    /// Reads the array at the cursor as records. `name` is its key in an envelope.
    private mutating func readArray(depth: Int, name: String?) throws {
        try scanner.checkDepth(depth + 1)
        scanner.position += 1
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "]") {
            scanner.position += 1
            return
        }
        while true {
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: "]") {
                throw JSONSyntaxError("expected a record after ',', found ']' (a trailing comma)", at: scanner.position)
            }
            try readRecord(depth: depth + 1)
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: ",") {
                scanner.position += 1
            } else if scanner.current == UInt8(ascii: "]") {
                scanner.position += 1
                return
            } else {
                throw JSONSyntaxError("expected ',' or ']' after a record\(name.map { " in '\($0)'" } ?? ""), found \(scanner.describeCurrent())",
                                      at: scanner.position)
            }
        }
    }

    /// Reads one record at the cursor, which must be an object.
    private mutating func readRecord(depth: Int) throws {
        guard scanner.current == UInt8(ascii: "{") else {
            if scanner.isAtEnd {
                throw JSONSyntaxError("expected a record, found the end of the file", at: scanner.position)
            }
            throw JSONSyntaxError("record \(columns.rowCount + 1) is \(scanner.kindOfValue()), not an object",
                                  at: scanner.position, notes: ["every record must be a JSON object: {\"key\": value, …}"])
        }
        lines.append(Int64(line(at: scanner.position)))
        try flattener.readRecord(&scanner, into: &columns, depth: depth)
        if columns.rowCount & 0xFFF == 0, isCancelled() { throw LoadCancelled() }
    }

    /// Reads a top-level object: one of its members must be the array of records.
    private mutating func readEnvelope(table: String?) throws -> String {
        let open = scanner.position
        scanner.position += 1
        var chosen: String?
        var others: [String] = []
        var scratch: [UInt8] = []
        scanner.skipWhitespace()
        var first = true
        while true {
            scanner.skipWhitespace()
            if first, scanner.current == UInt8(ascii: "}") { break }
            guard scanner.current == UInt8(ascii: "\"") else {
                throw JSONSyntaxError("expected a string key in an object, found \(scanner.describeCurrent())",
                                      at: scanner.position)
            }
            first = false
            let keyOffset = scanner.position
            let keyString = try scanner.scanString()
            scratch.removeAll(keepingCapacity: true)
            try scanner.decode(keyString, into: &scratch)
            let key = String(decoding: scratch, as: UTF8.self)
            try scanner.expectColon()
            scanner.skipWhitespace()
            let wanted = table.map { $0 == key } ?? holdsRecords()
            if wanted {
                if let chosen {
                    throw JSONSyntaxError("the top-level object holds more than one array of records: '\(chosen)' and '\(key)'",
                                          at: keyOffset, notes: ["choose one with: with table=\(chosen)"])
                }
                guard scanner.current == UInt8(ascii: "[") else {
                    throw JSONSyntaxError("'\(key)' holds \(scanner.kindOfValue()), not an array of records",
                                          at: scanner.position)
                }
                chosen = key
                try readArray(depth: 1, name: key)
            } else {
                var unused: [UInt8] = []
                try scanner.skimValue(depth: 1, compacting: &unused, copy: false)
                others.append(key)
            }
            scanner.skipWhitespace()
            if scanner.current == UInt8(ascii: ",") {
                scanner.position += 1
                scanner.skipWhitespace()
                if scanner.current == UInt8(ascii: "}") {
                    throw JSONSyntaxError("expected a key after ',', found '}' (a trailing comma)", at: scanner.position)
                }
            } else if scanner.current == UInt8(ascii: "}") {
                break
            } else {
                throw JSONSyntaxError("expected ',' or '}' after a value in an object, found \(scanner.describeCurrent())",
                                      at: scanner.position)
            }
        }
        scanner.position += 1
        let quoted = others.map { "'\($0)'" }.joined(separator: ", ")
        guard let chosen else {
            if let table {
                let hint = Suggestion.nearest(to: table, in: others).map { "; did you mean '\($0)'?" } ?? ""
                throw JSONSyntaxError("the top-level object has no key '\(table)'\(hint)", at: open,
                                      notes: others.isEmpty ? [] : ["its keys: \(quoted)"])
            }
            throw JSONSyntaxError("the top-level object holds no array of records", at: open,
                                  notes: (others.isEmpty ? [] : ["its keys: \(quoted)"])
                                      + ["kensho loads an array of objects, or an object holding one",
                                         "a file of one object per line is JSON Lines: load it with format=jsonl"])
        }
        return "records from key '\(chosen)'" + (others.isEmpty ? "" : "; other keys not loaded: \(quoted)")
    }

    /// Whether the value at the cursor is an array whose first element is an object (or
    /// which is empty): the shape of a table.
    private func holdsRecords() -> Bool {
        guard scanner.current == UInt8(ascii: "[") else { return false }
        var lookahead = scanner
        lookahead.position += 1
        lookahead.skipWhitespace()
        return lookahead.current == UInt8(ascii: "{") || lookahead.current == UInt8(ascii: "]")
    }

    /// The 1-based line of `offset`; offsets must be asked for in increasing order.
    private mutating func line(at offset: Int) -> Int {
        guard let base = scanner.bytes.baseAddress else { return 1 }
        var line = lineCounter.line
        var next = lineCounter.offset
        while next < offset, let found = memchr(base + next, 0x0A, offset - next) {
            line += 1
            next = UnsafeRawPointer(found) - UnsafeRawPointer(base) + 1
        }
        lineCounter = (offset, line)
        return line
    }
}

import Foundation
