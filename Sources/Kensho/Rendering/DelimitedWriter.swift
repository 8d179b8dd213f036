/// CSV (RFC 4180) and TSV output. A field is quoted only when it must be: it holds the
/// delimiter, a quote, a line break, or leading/trailing spaces that a reader might trim.
/// Null is an empty unquoted field; an empty string is `""`, so the two round-trip.
struct DelimitedWriter {
    let delimiter: UInt8

    func write(_ table: Table, columns: [Int], to sink: any OutputSink) {
        var out = ChunkedWriter(sink)
        for (position, index) in columns.enumerated() {
            if position > 0 { out.append(delimiter) }
            var name = table.fields[index].name
            name.withUTF8 { writeField($0, isText: true, to: &out) }
        }
        out.append(UInt8(ascii: "\n"))
        let writers = columns.map { CellText(table.columns[$0]) }
        for row in 0..<table.rowCount {
            for (position, writer) in writers.enumerated() {
                if position > 0 { out.append(delimiter) }
                writer.withBytes(row) { bytes, isText in
                    if let bytes { writeField(bytes, isText: isText, to: &out) }
                }
            }
            out.append(UInt8(ascii: "\n"))
        }
        out.flush()
    }

    private func writeField(_ bytes: UnsafeBufferPointer<UInt8>, isText: Bool, to out: inout ChunkedWriter) {
        var needsQuotes = isText && bytes.isEmpty
        if !needsQuotes {
            for byte in bytes where byte == delimiter || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r") {
                needsQuotes = true
                break
            }
            if let first = bytes.first, let last = bytes.last,
               first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                needsQuotes = true
            }
        }
        guard needsQuotes else { out.append(bytes); return }
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A cell's text for output: text columns as their bytes, numbers formatted.
struct CellText {
    let column: Column
    private let text: TextReader?

    init(_ column: Column) {
        self.column = column
        self.text = column.type == .text ? TextReader(.column(column)) : nil
    }

    /// Calls `body` with the cell's UTF-8 (nil for null) and whether it is text.
    @inline(__always)
    func withBytes(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>?, Bool) -> Void) {
        if let text {
            body(text.bytes(row), true)
            return
        }
        guard var string = column.value(at: row).text else { body(nil, false); return }
        string.withUTF8 { body($0, false) }
    }
}
