import CKenshoCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level RFC 4180 scanner: quoted fields, doubled quotes, embedded line breaks,
/// CRLF, LF or lone CR line ends. It never copies a field: each cell is recorded as a
/// range into the file's buffer, column by column, packed in 4 bytes counted from its
/// record's start (`RangeArray`'s packed layout).
///
/// The scanner only reads the buffer (so the file can be hashed on another core at the
/// same time); quoted fields with doubled quotes are listed in `escapedCells` and
/// unescaped in place afterwards by `unescape(_:in:quote:)` — the unescaped text is
/// never longer than the quoted text, so it fits where it was.
///
/// Speed, measured on a 157 MB, 1M-row patron export: plain records (the header's
/// fields, no doubled quotes, no oddities) are read by a C fast path comparing sixteen
/// bytes at a time (`CKenshoCSV`; 165 → 118–143 ms for the scan); every other record by
/// the Swift loop below, whose unquoted fields are scanned eight bytes at a time (SWAR:
/// one word tested for the delimiter, LF and CR at once). Cells go straight into
/// per-column buffers the scanner owns (Swift arrays of arrays cost a uniqueness check
/// per append, 7% of the load), and a large body is split at a record boundary and
/// scanned on both cores. The boundary is found from quote parity: in RFC 4180 text a
/// position is outside quotes exactly when an even number of quote characters precedes
/// it (counted by SSE2 on both cores: 23 → 7 ms).
///
/// `_line` provenance is the 1-based physical line on which a record starts, counting
/// line breaks inside quoted fields.
struct CSVScanner {
    struct Issue {
        enum Kind { case fieldCount(found: Int, expected: Int), textAfterQuote }
        var kind: Kind
        var line: Int
        var byteOffset: Int
    }

    struct Result {
        var header: [ByteRange] = []
        var columns: [RangeArray] = []
        var lines: LineBuffer?
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

    /// Bodies larger than this are split between the two cores.
    static let parallelThreshold = 4 << 20
    /// The threshold this scanner uses: tests and the fuzzer lower it so that small
    /// inputs take the split path too.
    var splitThreshold = CSVScanner.parallelThreshold
    /// Whether plain records are read by the C fast path (`takePlainRecords`); tests turn
    /// it off to compare the record loop's reading with it.
    var usesPlainRecordPath = true

    func scan(estimatedRows: Int) throws -> Result {
        var result = Result()
        guard bytes.baseAddress != nil, start < bytes.count else { return result }
        // The first record fixes the column count: it is the header, or the first row.
        var probe = RecordCursor(scanner: self, end: bytes.count)
        let (firstStart, firstLine) = skipBlankLines(start)
        let first = try probe.nextRecord(from: firstStart, line: firstLine)
        guard let first else { return result }
        let columnCount = max(1, first.fields.count)
        var bodyStart = start
        var bodyLine: Int32 = 1
        if dialect.hasHeader {
            result.header = first.fields
            bodyStart = first.record.next
            bodyLine = first.record.nextLine
        }
        let end = bytes.count
        var parts: [Part]?
        if end - bodyStart > splitThreshold, let split = splitPoint(from: bodyStart, to: end) {
            parts = try scanInTwo(from: bodyStart, split: split, to: end, firstLine: bodyLine, columns: columnCount,
                                  estimatedRows: estimatedRows)
        }
        let scanned = try parts
            ?? [scanPart(from: bodyStart, to: end, firstLine: bodyLine, columns: columnCount, estimatedRows: estimatedRows)]
        return try assemble(scanned, columnCount: columnCount, header: result.header)
    }

    /// Scans `start..<split` and `split..<end` on both cores; nil when either part meets
    /// a quote it cannot close, and the body must be scanned as one part instead.
    ///
    /// The split point is right only when quote parity tells where quoted fields are, and
    /// a quote inside an unquoted field (`5'10"`) or after a closing quote (`"ab"c"d`)
    /// upsets the count. The first part starts on a record, so it ends exactly at the
    /// split point when that is a record boundary, and otherwise runs into an unclosed
    /// quote. The second part's own unclosed quote may be real, but its line would count
    /// from the split point: the one-part scan reports it with the right line.
    private func scanInTwo(from start: Int, split: Int, to end: Int, firstLine: Int32, columns: Int,
                           estimatedRows: Int) throws -> [Part]? {
        nonisolated(unsafe) let scanner = self
        // The first part's buffers get room for every row (untouched pages cost
        // nothing): the second part is appended to them and they become the columns.
        let whole = estimatedRows + estimatedRows / 4 + 1024
        do {
            let (a, b) = try concurrently(
                { try scanner.scanPart(from: start, to: split, firstLine: firstLine, columns: columns, estimatedRows: whole) },
                { try scanner.scanPart(from: split, to: end, firstLine: 1, columns: columns, estimatedRows: whole / 2) }
            )
            return [a, b]
        } catch is UnterminatedQuote {
            return nil
        }
    }

    /// Columns × rows may not exceed this: rows shorter than the header and fields past
    /// it are padded with empty cells, which must not cost more than the file could.
    var maximumCells: Int { LoadLimits.maximumCells(forInputBytes: bytes.count) }

    /// The offset just after a record end near the middle of `start..<end`, or nil.
    func splitPoint(from start: Int, to end: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let middle = start + (end - start) / 2
        let quote = dialect.quote
        // Quotes before the middle; above a few megabytes the two halves of that stretch
        // are counted at once, one per core.
        var quotes = 0
        let stretch = UnsafeBufferPointer(start: base + start, count: middle - start)
        if stretch.count >= 1 << 22 {
            nonisolated(unsafe) let halves = (UnsafeBufferPointer(rebasing: stretch[..<(stretch.count / 2)]),
                                              UnsafeBufferPointer(rebasing: stretch[(stretch.count / 2)...]))
            // (`try!`: counting cannot throw.)
            let (first, second) = try! concurrently({ kensho_count_byte(halves.0.baseAddress, halves.0.count, quote) },
                                                    { kensho_count_byte(halves.1.baseAddress, halves.1.count, quote) })
            quotes = first + second
        } else {
            quotes = kensho_count_byte(stretch.baseAddress, stretch.count, quote)
        }
        var inQuotes = quotes & 1 == 1
        var i = middle
        while i < end {
            let b = base[i]
            if b == quote {
                inQuotes.toggle()
            } else if !inQuotes, b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                var next = i + 1
                if b == UInt8(ascii: "\r"), next < end, base[next] == UInt8(ascii: "\n") { next += 1 }
                return next < end ? next : nil
            }
            i += 1
        }
        return nil
    }

    /// Skips blank lines; returns where the first record starts and its line, so a
    /// header below blank lines (and every record after it) keeps its physical line.
    private func skipBlankLines(_ position: Int) -> (position: Int, line: Int32) {
        var i = position
        var line: Int32 = 1
        while i < bytes.count, bytes[i] == UInt8(ascii: "\n") || bytes[i] == UInt8(ascii: "\r") {
            if bytes[i] == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
            i += 1
            line += 1
        }
        return (i, line)
    }

    // MARK: - One part of the body

    /// Records of `start..<end`, cells written into per-column buffers.
    struct Part {
        var columns: ColumnBuffers
        var lines: LineBuffer
        var escaped: [(column: Int32, row: Int32)] = []
        var issues: [Issue] = []
        /// Fields past the column count: (row, field index, range).
        var extras: [(row: Int32, field: Int32, range: ByteRange)] = []
        /// The physical line after the part's last record.
        var endLine: Int32 = 1
    }

    func scanPart(from start: Int, to end: Int, firstLine: Int32, columns columnCount: Int, estimatedRows: Int) throws -> Part {
        var part = Part(columns: try ColumnBuffers(columns: columnCount, capacity: estimatedRows),
                        lines: try LineBuffer(capacity: estimatedRows))
        var cursor = RecordCursor(scanner: self, end: end)
        var position = start
        var line = firstLine
        var row = 0
        // Rows past this would pass the cell limit: the record loop below throws there.
        let cellLimitRows = maximumCells / max(1, columnCount)
        while position < end {
            // Plain records first, by the fast path, up to the next cancellation
            // checkpoint; the loop below reads the record it stops at.
            let plain = takePlainRecords(&part, from: &position, line: &line, row: &row, end: end,
                                         limit: min(cellLimitRows, (row | 0x3FFF) + 1))
            if plain > 0, row & 0x3FFF == 0, isCancelled() { throw LoadCancelled() }
            guard position < end else { break }
            let recordLine = line
            let recordOffset = position
            guard let record = try cursor.scanInto(&part, row: row, from: position, line: line, columnCount: columnCount) else {
                position = end
                break
            }
            position = record.next
            line = record.nextLine
            if record.isBlank { continue }
            if record.fieldCount != columnCount {
                part.issues.append(Issue(kind: .fieldCount(found: record.fieldCount, expected: columnCount),
                                         line: Int(recordLine), byteOffset: recordOffset))
            }
            if record.textAfterQuote {
                part.issues.append(Issue(kind: .textAfterQuote, line: Int(recordLine), byteOffset: recordOffset))
            }
            guard (row + 1) * columnCount <= maximumCells else {
                throw TooManyCells(columns: columnCount, rows: row + 1, byteOffset: recordOffset)
            }
            try part.lines.append(recordLine)
            row += 1
            part.columns.rows = row
            if row & 0x3FFF == 0, isCancelled() { throw LoadCancelled() }
        }
        part.endLine = line
        return part
    }

    /// Records read by `kensho_csv_scan_plain_records` (C, SSE2) from `position` while
    /// they are plain ones, at most up to row `limit` and the buffers' capacity; returns
    /// how many. Its records are stored exactly as the record loop stores them.
    private func takePlainRecords(_ part: inout Part, from position: inout Int, line: inout Int32, row: inout Int,
                                  end: Int, limit: Int) -> Int {
        let stop = min(limit, part.columns.capacity, part.lines.capacity)
        guard usesPlainRecordPath, row < stop, let base = bytes.baseAddress else { return 0 }
        let lines = part.lines
        let taken = part.columns.withColumnPointers { columns, recordStarts in
            var run = kensho_csv_run(bytes: base, position: position, end: end, columns: columns.baseAddress!,
                                     record_starts: recordStarts, lines: lines.base, row: row, row_limit: stop,
                                     line: line, column_count: UInt32(columns.count), delimiter: dialect.delimiter,
                                     quote: dialect.quote)
            let taken = kensho_csv_scan_plain_records(&run)
            position = run.position
            line = run.line
            return taken
        }
        guard taken > 0 else { return 0 }
        row += taken
        lines.didAppend(taken)
        part.columns.rows = row
        return taken
    }

    /// Joins the parts: rows renumbered, lines shifted, extra fields made columns.
    private func assemble(_ parts: [Part], columnCount: Int, header: [ByteRange]) throws -> Result {
        var result = Result()
        result.header = header
        var rowBase = 0
        var lineShift: Int32 = 0
        var extraColumns: [Int32: [(row: Int, range: ByteRange)]] = [:]
        for index in parts.indices {
            let part = parts[index]
            if index > 0 {
                // The second part counted lines from 1; it starts where the first ended.
                lineShift = parts[index - 1].endLine + lineShift - 1
            }
            for issue in part.issues {
                var shifted = issue
                shifted.line += Int(lineShift)
                result.issues.append(shifted)
            }
            for cell in part.escaped { result.escapedCells.append((cell.column, cell.row + Int32(rowBase))) }
            for extra in part.extras { extraColumns[extra.field, default: []].append((Int(extra.row) + rowBase, extra.range)) }
            rowBase += part.columns.rows
        }
        let total = rowBase
        // Fields past the header become columns of every row: refuse them before padding.
        let widest = extraColumns.keys.max().map { Int($0) + 1 } ?? columnCount
        if widest * total > maximumCells {
            let offset = result.issues.first { issue in
                if case .fieldCount(let found, _) = issue.kind { return found == widest }
                return false
            }?.byteOffset ?? 0
            throw TooManyCells(columns: widest, rows: total, byteOffset: offset)
        }
        result.rowCount = total
        // The first part's lines, then each later part's, shifted by the lines before it.
        let lines = parts[0].lines
        var shift: Int32 = 0
        for index in parts.indices.dropFirst() {
            shift = parts[index - 1].endLine + shift - 1
            try lines.append(contentsOf: parts[index].lines.buffer, adding: shift)
        }
        result.lines = lines
        result.columns.reserveCapacity(columnCount + extraColumns.count)
        let first = parts[0].columns
        let firstRows = first.rows
        try first.ensure(total)
        // The record starts are absolute offsets and the cells count from them, so the
        // parts' buffers are appended as they are; only spilled cells are renumbered.
        var spilled = [[Int32: ByteRange]](repeating: [:], count: columnCount)
        var offset = 0
        for (index, part) in parts.enumerated() {
            if index > 0 {
                (first.recordStarts + offset).initialize(from: part.columns.recordStarts, count: part.columns.rows)
            }
            for cell in part.columns.spilled { spilled[Int(cell.column)][cell.row + Int32(offset)] = cell.range }
            offset += part.columns.rows
        }
        first.rows = total
        let recordStarts = first.takeRecordStarts()
        // The later parts' cells are copied after the first part's, the columns shared
        // between the cores (the copy's first touch of fresh pages is most of its cost).
        concurrentlyForEach(columnCount) { column in
            var offset = firstRows
            for part in parts.dropFirst() {
                (first.column(column) + offset).initialize(from: part.columns.column(column), count: part.columns.rows)
                offset += part.columns.rows
            }
        }
        for column in 0..<columnCount {
            for part in parts.dropFirst() { part.columns.release(column) }
            let (pointer, bytes) = first.take(column)
            result.columns.append(RangeArray(adoptingPacked: pointer, count: total, allocatedBytes: bytes,
                                             recordStarts: recordStarts, spilled: spilled[column]))
        }
        for field in extraColumns.keys.sorted() {
            var ranges = RangeArray(repeating: .null, count: total)
            for (row, range) in extraColumns[field]! { ranges[row] = range }
            while result.columns.count < Int(field) { result.columns.append(RangeArray(repeating: .null, count: total)) }
            result.columns.append(ranges)
        }
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
