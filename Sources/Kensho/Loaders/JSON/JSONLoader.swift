/// Loads JSON and JSON Lines dumps into a columnar table.
///
/// The file is read once; its SHA-256 is computed on one core while the other decodes
/// the text (`TextDecoding`, as for CSV: UTF-8 in place, a byte order mark allowed) and
/// scans the records with kensho's own byte-level scanner. Foundation's
/// `JSONSerialization` is not used: it boxes every value, forgets the order of keys and
/// turns `1.50` into `1.5`, while the evidence is the text as written.
///
/// Records become rows (`JSONRecordReader`), nested objects dotted columns
/// (`JSONFlattener`), and each column gets its type once every value is known
/// (`JSONColumns`). `_line` is the line of the record's opening `{`.
///
/// Nothing is loaded partially: a syntax error, a record that is not an object, a key
/// given twice in one record or nesting deeper than 256 levels fails the load with the
/// file, line, column and byte offset of the problem.
struct JSONLoader {
    var path: String
    /// `json` or `jsonl`.
    var format: String
    var options: LoadOptions
    var datasetName: String
    var isCancelled: @Sendable () -> Bool

    func load() throws -> Dataset {
        let file = try FileBytes(path: path)
        return try withExtendedLifetime(file) { try load(file) }
    }

    /// Loads bytes already in memory; `load()` reads the file first.
    func load(_ file: FileBytes) throws -> Dataset {
        // Measured: the cells of a JSON load take about as much again as its text.
        try MemoryBudget.check(file.count, for: "its cells", path: path)
        nonisolated(unsafe) let raw = file.buffer
        let (sha256, read) = try concurrently({ SHA256Digest.hex(of: raw) }, { try readRecords(file) })
        let (fields, columns) = read.columns.finish(text: read.text, decoded: ByteArena(copying: read.decoded))
        let provenance = Provenance.columns(dataset: datasetName, sha256: sha256, lines: read.lines)
        let table = Table(fields: fields + provenance.fields, columns: columns + provenance.columns,
                          rowCount: read.lines.count)
        let source = SourceFile(path: path, sha256: sha256, size: file.count, modified: file.modified, format: format,
                                layout: read.layout, encoding: read.encoding)
        return Dataset(name: datasetName, table: table, origin: .file(source))
    }

    private struct Read {
        var text: ByteArena
        var columns: JSONColumns
        var decoded: [UInt8]
        var lines: [Int64]
        var layout: String
        var encoding: EncodingDecision
    }

    private func readRecords(_ file: FileBytes) throws -> Read {
        let decoding = try TextDecoding.decode(file.buffer, path: path, requested: options.encoding, errors: options.errors)
        let arena = decoding.converted ?? file.arena
        let text = UnsafeBufferPointer(start: arena.base, count: arena.count)
        var reader = JSONRecordReader(text: text, start: decoding.contentStart, isCancelled: isCancelled)
        let layout: String
        do {
            layout = format == "jsonl" ? try reader.readLines() : try reader.readDocument(table: options.table)
        } catch let error as JSONSyntaxError {
            throw diagnostic(for: error, in: text, decoding: decoding)
        }
        return Read(text: arena, columns: reader.columns, decoded: reader.flattener.decoded, lines: reader.lines,
                    layout: layout, encoding: decoding.decision)
    }

    /// The scanner's error with its line and column (and byte offset, when the text is
    /// the file's own bytes).
    private func diagnostic(for error: JSONSyntaxError, in text: UnsafeBufferPointer<UInt8>,
                            decoding: TextDecoding.Decoded) -> Diagnostic {
        var (line, column) = UTF8Validation.lineAndColumn(of: error.offset, in: text)
        // An editor does not show a byte order mark as a column.
        if line == 1, decoding.contentStart > 0 { column -= 1 }
        let location = FileLocation(path: path, line: line, column: column,
                                    byteOffset: decoding.converted == nil ? error.offset : nil)
        return Diagnostic(error.message, in: location, notes: ["nothing was loaded"] + error.notes)
    }
}
