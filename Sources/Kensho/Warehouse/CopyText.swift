/// PostgreSQL's COPY text format: one row per line, fields separated by tabs, `\N` for
/// NULL, and backslash escapes for backslash, tab, newline and carriage return
/// (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format").
enum CopyText {
    enum Field {
        case null
        case text(String)
        case bytes([UInt8])
        case integer(Int64)
        /// A `bytea` value, sent as `\\x` and hex digits.
        case bytea(UnsafeRawBufferPointer)
    }

    static func append(_ fields: [Field], to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "\t")) }
            switch field {
            case .null: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
            case .text(let text): appendEscaped(text.utf8, to: &out)
            case .bytes(let bytes): appendEscaped(bytes, to: &out)
            case .integer(let value): out.append(contentsOf: String(value).utf8)
            case .bytea(let bytes):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
                let digits: StaticString = "0123456789abcdef"
                for byte in bytes {
                    out.append(digits.utf8Start[Int(byte >> 4)])
                    out.append(digits.utf8Start[Int(byte & 15)])
                }
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// A NUL byte cannot be stored in PostgreSQL text; it is sent as U+FFFD.
    private static func appendEscaped<S: Sequence>(_ bytes: S, to out: inout [UInt8]) where S.Element == UInt8 {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            default: out.append(byte)
            }
        }
    }

    /// The fields of one row as the server sends it (a line, with or without its
    /// newline), unescaped; nil for NULL (`\N` alone in a field).
    static func fields(of line: UnsafeRawBufferPointer) -> [[UInt8]?] {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        var fields: [[UInt8]?] = []
        var index = 0
        while true {
            if index + 1 < end, line[index] == UInt8(ascii: "\\"), line[index + 1] == UInt8(ascii: "N"),
               index + 2 == end || line[index + 2] == UInt8(ascii: "\t") {
                fields.append(nil)
                index += 2
            } else {
                var field: [UInt8] = []
                while index < end, line[index] != UInt8(ascii: "\t") {
                    let byte = line[index]
                    if byte == UInt8(ascii: "\\"), index + 1 < end {
                        field.append(unescaped(line[index + 1]))
                        index += 2
                    } else {
                        field.append(byte)
                        index += 1
                    }
                }
                fields.append(field)
            }
            guard index < end else { break }
            index += 1  // the tab
        }
        return fields
    }

    private static func unescaped(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "t"): return UInt8(ascii: "\t")
        case UInt8(ascii: "n"): return UInt8(ascii: "\n")
        case UInt8(ascii: "r"): return UInt8(ascii: "\r")
        case UInt8(ascii: "b"): return 8
        case UInt8(ascii: "f"): return 12
        case UInt8(ascii: "v"): return 11
        default: return byte
        }
    }
}
