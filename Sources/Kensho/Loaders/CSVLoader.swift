/// Loads a delimited text file into a columnar table.
///
/// The file is read once into memory. Its SHA-256 is computed on one core while the
/// other checks the encoding and scans the records; cells are byte ranges into the
/// file's own buffer, which becomes the table's arena. Nothing is dropped: records with
/// a different number of fields are kept (extra fields become extra columns) and
/// listed as load issues with their line and byte offset; an unterminated quote or an
/// undecodable byte fails the load with the file, line and column.
struct CSVLoader {
    var path: String
    var options: LoadOptions
    var datasetName: String
    var isCancelled: @Sendable () -> Bool

    func load() throws -> Dataset {
        // This loader holds the only reference to the file's bytes, so a file decoded
        // into a new buffer (CP932, EUC-JP, UTF-16) is freed before its records are
        // scanned and typed.
        try load(FileBytes(path: path))
    }

    /// Loads bytes already in memory; `load()` reads the file first. The file's bytes
    /// are released once decoded into a new buffer, unless the caller holds them too.
    func load(_ file: consuming FileBytes) throws -> Dataset {
        let input = try decode(consume file)
        // The text is used through raw pointers below, and hashed on another thread
        // until `digest.wait()`: keep it alive throughout, and until the hash is done
        // whichever way the load ends.
        return try withExtendedLifetime(input.arena) {
            defer { _ = input.digest.wait() }
            return try load(input)
        }
    }

    /// A file's text as UTF-8, with what the load records about the file itself.
    private struct DecodedInput {
        /// The file's own bytes (UTF-8), or the text decoded from another encoding.
        var arena: ByteArena
        var isConverted: Bool
        var contentStart: Int
        var encoding: EncodingDecision
        /// The SHA-256 of the file's bytes; for text that is the file's own bytes, still
        /// being computed (see `PendingDigest`'s contract).
        var digest: PendingDigest
        var size: Int
        var modified: Double
    }

    /// Pass 1, in parallel: the evidence hash, and the text decoding. Takes the file so
    /// that a converted file's bytes can be freed on return.
    private func decode(_ file: consuming FileBytes) throws -> DecodedInput {
        try withExtendedLifetime(file) {
            let raw = UnsafeBufferPointer(start: file.arena.base, count: file.arena.count)
            nonisolated(unsafe) let shared = raw
            let requested = options.encoding.map { TextDecoding.aliases[$0] ?? $0 }
            let check = InputCheck.run(shared, checkUTF8: requested == nil || requested == "utf-8")
            // The file's bytes are freed on return when decoded into a new buffer, and on
            // an error: the hash must be done with them first.
            var keepsFileBytes = false
            defer { if !keepsFileBytes { _ = check.digest.wait() } }
            let decoded = try TextDecoding.decode(shared, path: path, requested: options.encoding, errors: options.errors,
                                                  validUTF8: requested == nil || requested == "utf-8" ? check.isValidUTF8 : nil)
            keepsFileBytes = decoded.converted == nil
            return DecodedInput(arena: decoded.converted ?? file.arena, isConverted: decoded.converted != nil,
                                contentStart: decoded.contentStart, encoding: decoded.decision, digest: check.digest,
                                size: raw.count, modified: file.modified)
        }
    }

    /// Pass 2 and after: dialect, records, typed columns, provenance.
    private func load(_ input: DecodedInput) throws -> Dataset {
        let format = options.format ?? (path.lowercased().hasSuffix(".tsv") || path.lowercased().hasSuffix(".tab") ? "tsv" : "csv")
        let arena = input.arena
        let text = UnsafeMutableBufferPointer(start: arena.base, count: arena.count)
        let encoding = input.encoding
        let start = input.contentStart
        let body = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(text)[start...])
        // Cells are addressed with 32-bit offsets. `FileBytes` refuses a larger file, but
        // text decoded from CP932 or EUC-JP can grow past its file by half.
        guard text.count <= ByteArena.maximumSize else {
            throw Diagnostic("'\(path)' decodes to \(TableRenderer.grouped(text.count)) bytes of UTF-8 text;"
                             + " one file's text may hold at most \(TableRenderer.grouped(ByteArena.maximumSize)) bytes",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded: split the file, or push it to a warehouse (push \"FILE\" streams it)"])
        }

        // Dialect: delimiter and header, sniffed unless given.
        let delimiter = options.delimiter
            ?? (format == "tsv" ? UInt8(ascii: "\t") : CSVSniffer.sniffDelimiter(body, preferTab: false))
        var dialect = CSVDialect(delimiter: delimiter, hasHeader: true)
        if let header = options.header {
            dialect.hasHeader = header
        } else {
            dialect.hasHeader = sniffHeader(UnsafeBufferPointer(text), start: start, delimiter: delimiter)
        }

        // Pass 2: records, once their memory is known to be there.
        try MemoryBudget.check(MemoryBudget.cellEstimate(body, delimiter: delimiter), for: "its cells", path: path)
        let scanner = CSVScanner(bytes: UnsafeBufferPointer(text), dialect: dialect, start: start, isCancelled: isCancelled)
        var records: CSVScanner.Result
        do {
            let estimate = max(16, body.count / max(1, averageRecordLength(body)))
            records = try scanner.scan(estimatedRows: estimate)
        } catch let error as CSVScanner.UnterminatedQuote {
            let (line, column) = UTF8Validation.lineAndColumn(of: error.byteOffset, in: UnsafeBufferPointer(text))
            throw Diagnostic("unterminated quoted field: the quote opened here is never closed",
                             in: FileLocation(path: path, line: line, column: column,
                                              byteOffset: input.isConverted ? nil : error.byteOffset),
                             notes: ["nothing was loaded: every byte after this quote would belong to one field;"
                                     + " close or remove the quote in a copy of the file and load the copy"])
        } catch let error as TooManyFields {
            let (line, column) = UTF8Validation.lineAndColumn(of: error.byteOffset, in: UnsafeBufferPointer(text))
            throw Diagnostic("a record with more than \(TableRenderer.grouped(LoadLimits.maximumColumns)) fields",
                             in: FileLocation(path: path, line: line, column: column,
                                              byteOffset: input.isConverted ? nil : error.byteOffset),
                             notes: ["nothing was loaded: kensho loads at most \(TableRenderer.grouped(LoadLimits.maximumColumns)) columns",
                                     "if this line is not a record (binary junk, a wrong delimiter), remove it from a copy and load the copy"])
        } catch let error as TooManyCells {
            let (line, column) = UTF8Validation.lineAndColumn(of: error.byteOffset, in: UnsafeBufferPointer(text))
            throw Diagnostic(LoadLimits.tooManyCells(columns: error.columns, rows: error.rows, inputBytes: text.count),
                             in: FileLocation(path: path, line: line, column: column,
                                              byteOffset: input.isConverted ? nil : error.byteOffset),
                             notes: ["nothing was loaded: records with fewer fields than the header, or more, are padded"
                                     + " with empty cells; " + LoadLimits.cellsNote])
        }
        // Unescaping writes into the file's bytes: the hash must have read them first.
        let sha256 = input.digest.wait()
        // Ctrl-C is honoured between the passes too (the scan checks it as it goes): on
        // a slow machine typing the columns takes as long as scanning them.
        if isCancelled() { throw LoadCancelled() }
        CSVScanner.unescape(&records, in: text, quote: dialect.quote)
        // What is left to build is known exactly now: a number (and a validity flag) for
        // at most every cell, and each row's provenance — with half again for slack.
        let cells = records.columns.count * records.rowCount
        try MemoryBudget.check((9 * cells + 40 * records.rowCount) * 3 / 2, for: "its columns", path: path)

        // Names and typed columns.
        let names = columnNames(records: records, arena: arena)
        // Each core infers whole columns; results go to separate slots (never one shared
        // array, whose writes from two threads would race).
        let slots = UnsafeMutableBufferPointer<Column?>.allocate(capacity: names.count)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        let scanned = records
        concurrentlyForEach(names.count) { index in
            slots[index] = TypeInference.infer(scanned.columns[index], arena: arena, header: names[index])
        }
        let columns = Array(slots)
        if isCancelled() { throw LoadCancelled() }
        var fields = names.indices.map { Field(name: names[$0], type: columns[$0]!.type) }
        var tableColumns = columns.map { $0! }
        let provenance = withExtendedLifetime(records.lines) {
            Provenance.columns(dataset: datasetName, sha256: sha256, lines: records.lines?.buffer ?? UnsafeBufferPointer(start: nil, count: 0))
        }
        fields += provenance.fields
        tableColumns += provenance.columns
        let table = Table(fields: fields, columns: tableColumns, rowCount: records.rowCount)

        let issues = records.issues.map { issue -> LoadIssue in
            switch issue.kind {
            case .fieldCount(let found, let expected):
                return LoadIssue(line: issue.line, byteOffset: issue.byteOffset,
                                 reason: "\(found) fields where the header has \(expected)")
            case .textAfterQuote:
                return LoadIssue(line: issue.line, byteOffset: issue.byteOffset,
                                 reason: "text after a closing quote (kept as part of the cell)")
            }
        }
        var layout = "\(dialect.delimiterName)-separated, " + (dialect.hasHeader ? "header" : "no header")
        if options.delimiter != nil { layout += ", delimiter given" }
        let source = SourceFile(path: path, sha256: sha256, size: input.size, modified: input.modified, format: format,
                                layout: layout, encoding: encoding)
        return Dataset(name: datasetName, table: table, origin: .file(source), loadIssues: issues)
    }

    private func averageRecordLength(_ body: UnsafeBufferPointer<UInt8>) -> Int {
        let sample = min(body.count, 64 * 1024)
        var lines = 0
        for i in 0..<sample where body[i] == UInt8(ascii: "\n") { lines += 1 }
        return lines == 0 ? max(1, sample) : max(1, sample / lines)
    }

    /// Reads the first records as text and asks the sniffer about the header.
    private func sniffHeader(_ text: UnsafeBufferPointer<UInt8>, start: Int, delimiter: UInt8) -> Bool {
        let sampleEnd = min(text.count, start + CSVSniffer.sampleBytes)
        let sample = UnsafeBufferPointer(rebasing: text[..<sampleEnd])
        var dialect = CSVDialect(delimiter: delimiter, hasHeader: false)
        dialect.hasHeader = false
        let scanner = CSVScanner(bytes: sample, dialect: dialect, start: start, isCancelled: { false })
        guard let result = try? scanner.scan(estimatedRows: 64), result.rowCount > 0 else { return true }
        let rows = min(result.rowCount, 50)
        func cell(_ column: Int, _ row: Int) -> String {
            let range = result.columns[column][row]
            return range.isNull ? "" : String(decoding: UnsafeBufferPointer(rebasing: sample[Int(range.start)..<Int(range.start + range.count)]), as: UTF8.self)
        }
        let columnCount = result.columns.count
        let first = (0..<columnCount).map { cell($0, 0) }
        let body = (1..<max(1, rows)).map { row in (0..<columnCount).map { cell($0, row) } }
        return CSVSniffer.looksLikeHeader(firstRow: first, body: body)
    }

    /// Header names, trimmed, with empty and duplicate names made unique.
    private func columnNames(records: CSVScanner.Result, arena: ByteArena) -> [String] {
        var names: [String] = []
        var seen: Set<String> = []
        for index in records.columns.indices {
            var name = ""
            if index < records.header.count, !records.header[index].isNull {
                name = String(decoding: arena.buffer(records.header[index]), as: UTF8.self)
                    .replacingOccurrences(of: "\"\"", with: "\"")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if name.isEmpty { name = "column_\(index + 1)" }
            var unique = name
            var suffix = 2
            while seen.contains(unique) || Field.provenanceNames.contains(unique) {
                unique = "\(name)_\(suffix)"
                suffix += 1
            }
            seen.insert(unique)
            names.append(unique)
        }
        return names
    }
}

import Foundation
