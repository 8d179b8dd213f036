/// JSON output: an array of objects (`json`) or one object per line (`jsonl`).
/// Numbers and booleans are JSON numbers and booleans, null is null, text is a string
/// with only the escapes JSON requires (non-ASCII stays UTF-8).
struct JSONWriter {
    let lines: Bool

    func write(_ table: Table, columns: [Int], to sink: any OutputSink) {
        var out = ChunkedWriter(sink)
        let keys = columns.map { index -> [UInt8] in
            var key: [UInt8] = []
            JSONWriter.appendString(Array(table.fields[index].name.utf8), to: &key)
            return key
        }
        let cells = columns.map { CellText(table.columns[$0]) }
        if !lines { out.append(UInt8(ascii: "[")) }
        for row in 0..<table.rowCount {
            if !lines { out.append(row == 0 ? "\n  " : ",\n  ") }
            out.append(UInt8(ascii: "{"))
            for (position, cell) in cells.enumerated() {
                if position > 0 { out.append(lines ? "," : ", ") }
                keys[position].withUnsafeBufferPointer { out.append($0) }
                out.append(lines ? ":" : ": ")
                cell.withBytes(row) { bytes, isText in
                    guard let bytes else { out.append("null"); return }
                    if isText {
                        var escaped: [UInt8] = []
                        JSONWriter.appendString(bytes, to: &escaped)
                        escaped.withUnsafeBufferPointer { out.append($0) }
                    } else if cell.column.type == .float, let value = Double(String(decoding: bytes, as: UTF8.self)), !value.isFinite {
                        out.append("null")
                    } else {
                        out.append(bytes)
                    }
                }
            }
            out.append(UInt8(ascii: "}"))
            if lines { out.append(UInt8(ascii: "\n")) }
        }
        if !lines { out.append(table.rowCount == 0 ? "]\n" : "\n]\n") }
        out.flush()
    }

    static func appendString(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case UInt8(ascii: "\n"): out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
