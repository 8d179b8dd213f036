/// A byte-level RFC 4180 scanner: quoted fields, doubled quotes, embedded line breaks,
/// CRLF, LF or lone CR line ends. It never copies a field: each cell is recorded as a
/// `ByteRange` into the file's buffer, column by column.
///
/// The scanner only reads the buffer (so the file can be hashed on another core at the
/// same time); quoted fields with doubled quotes are listed in `escapedCells` and
/// unescaped in place afterwards by `unescape(_:)` — the unescaped text is never longer
/// than the quoted text, so it fits where it was.
///
/// Unquoted fields are scanned eight bytes at a time (SWAR: a word is tested for the
/// delimiter, LF and CR at once), which measured about 3x faster than a byte loop on
/// Japanese patron data. `_line` provenance is the 1-based physical line on which a
/// record starts, counting line breaks inside quoted fields.
struct CSVScanner {
    struct Issue {
        enum Kind { case fieldCount(found: Int, expected: Int), textAfterQuote }
        var kind: Kind
        var line: Int
        var byteOffset: Int
    }

    struct Result {
        var header: [ByteRange] = []
        var columns: [[ByteRange]] = []
        var lines: [Int32] = []
        var escapedCells: [(column: Int32, row: Int32)] = []
        var issues: [Issue] = []
        var rowCount = 0
    }

    /// An unterminated quoted field: the load fails, naming where the quote opened.
    struct UnterminatedQuote: Error {
        var line: Int
        var byteOffset: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let dialect: CSVDialect
    /// Where scanning starts (after a byte order mark).
    let start: Int
    /// Cancellation is checked every few thousand records.
    let isCancelled: @Sendable () -> Bool

    func scan(estimatedRows: Int) throws -> Result {
        var result = Result()
        guard let base = bytes.baseAddress else { return result }
        let end = bytes.count
        let delimiter = dialect.delimiter
        let quote = dialect.quote
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        let raw = UnsafeRawPointer(base)
        // SWAR masks: a byte equal to the target becomes zero after xor.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiterMask = UInt64(delimiter) &* ones
        let lfMask = UInt64(lf) &* ones
        let crMask = UInt64(cr) &* ones
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }

        var position = start
        var line: Int32 = 1
        var expectedFields = -1
        var record: [ByteRange] = []
        record.reserveCapacity(64)
        var isHeader = dialect.hasHeader
        var rows = 0

        while position < end {
            let recordLine = line
            let recordOffset = position
            record.removeAll(keepingCapacity: true)
            var sawTextAfterQuote = false
            var escapedInRecord: [Int32] = []

            // Skip a blank line: it carries no data.
            if base[position] == lf || base[position] == cr {
                if base[position] == cr, position + 1 < end, base[position + 1] == lf { position += 1 }
                position += 1
                line += 1
                continue
            }

            fields: while true {
                if position < end, base[position] == quote {
                    let fieldStart = position + 1
                    var i = fieldStart
                    var escaped = false
                    while true {
                        guard i < end else {
                            throw UnterminatedQuote(line: Int(recordLine), byteOffset: position)
                        }
                        let b = base[i]
                        if b == quote {
                            if i + 1 < end, base[i + 1] == quote {
                                escaped = true
                                i += 2
                                continue
                            }
                            break
                        }
                        if b == lf { line += 1 } else if b == cr, i + 1 < end, base[i + 1] != lf { line += 1 }
                        i += 1
                    }
                    if escaped { escapedInRecord.append(Int32(record.count)) }
                    record.append(ByteRange(start: UInt32(fieldStart), count: UInt32(i - fieldStart)))
                    position = i + 1
                    // Text between the closing quote and the delimiter ("ab"cd): keep it
                    // as part of the cell rather than lose it, and report the record.
                    if position < end, base[position] != delimiter, base[position] != lf, base[position] != cr {
                        sawTextAfterQuote = true
                        var j = position
                        while j < end, base[j] != delimiter, base[j] != lf, base[j] != cr { j += 1 }
                        record[record.count - 1] = ByteRange(start: UInt32(fieldStart - 1), count: UInt32(j - fieldStart + 1))
                        if escaped { escapedInRecord.removeLast() }
                        position = j
                    }
                } else {
                    var i = position
                    while i + 8 <= end {
                        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        if hasZero(word ^ delimiterMask) || hasZero(word ^ lfMask) || hasZero(word ^ crMask) { break }
                        i += 8
                    }
                    while i < end {
                        let b = base[i]
                        if b == delimiter || b == lf || b == cr { break }
                        i += 1
                    }
                    record.append(i == position ? .null : ByteRange(start: UInt32(position), count: UInt32(i - position)))
                    position = i
                }
                guard position < end else { break fields }
                let b = base[position]
                position += 1
                if b == delimiter {
                    if position >= end { record.append(.null); break fields }
                    continue fields
                }
                if b == cr, position < end, base[position] == lf { position += 1 }
                line += 1
                break fields
            }

            if isHeader {
                result.header = record
                expectedFields = record.count
                result.columns = Array(repeating: [], count: record.count)
                for c in result.columns.indices { result.columns[c].reserveCapacity(estimatedRows) }
                result.lines.reserveCapacity(estimatedRows)
                isHeader = false
                continue
            }
            if expectedFields < 0 {
                expectedFields = record.count
                result.columns = Array(repeating: [], count: record.count)
                for c in result.columns.indices { result.columns[c].reserveCapacity(estimatedRows) }
                result.lines.reserveCapacity(estimatedRows)
            }
            if record.count != expectedFields {
                result.issues.append(Issue(kind: .fieldCount(found: record.count, expected: expectedFields),
                                           line: Int(recordLine), byteOffset: recordOffset))
                // Extra fields become extra columns, null above; missing ones are null.
                while result.columns.count < record.count {
                    result.columns.append([ByteRange](repeating: .null, count: rows))
                }
            }
            if sawTextAfterQuote {
                result.issues.append(Issue(kind: .textAfterQuote, line: Int(recordLine), byteOffset: recordOffset))
            }
            for c in result.columns.indices {
                result.columns[c].append(c < record.count ? record[c] : .null)
            }
            for column in escapedInRecord { result.escapedCells.append((column, Int32(rows))) }
            result.lines.append(recordLine)
            rows += 1
            if rows & 0x3FFF == 0, isCancelled() { throw LoadCancelled() }
        }
        if isHeader == false, result.columns.isEmpty, !result.header.isEmpty {
            result.columns = Array(repeating: [], count: result.header.count)
        }
        result.rowCount = rows
        return result
    }

    /// Rewrites the listed quoted cells in place, turning each `""` into `"`.
    static func unescape(_ result: inout Result, in buffer: UnsafeMutableBufferPointer<UInt8>, quote: UInt8) {
        for (column, row) in result.escapedCells {
            let range = result.columns[Int(column)][Int(row)]
            var read = Int(range.start)
            var write = read
            let end = read + Int(range.count)
            while read < end {
                let b = buffer[read]
                buffer[write] = b
                write += 1
                read += (b == quote && read + 1 < end && buffer[read + 1] == quote) ? 2 : 1
            }
            result.columns[Int(column)][Int(row)] = ByteRange(start: range.start, count: UInt32(write - Int(range.start)))
        }
    }
}

/// Thrown when the user pressed Ctrl-C during a load.
public struct LoadCancelled: Error {}
