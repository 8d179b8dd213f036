/// The `--=` line that follows each journaled statement: ordered `key=value` fields,
/// then `chain=HEX`.
///
///     --= time=2026-11-23T14:05:13.120Z status=ok input=examples/case/a.csv sha256=9f67… size=21028 rows=166 chain=3c1e…
///
/// A value is written bare when it is made of visible ASCII other than `"` and `=`, and
/// otherwise as a JSON string (`error="unknown column 'x'"`, `input="data/氏名.csv"`).
/// Keys may repeat (a glob load lists each input). The chain hash covers the
/// statement and everything on this line before ` chain=`.
public struct JournalAnnotation: Sendable, Equatable {
    public var fields: [(key: String, value: String)]

    public init(_ fields: [(key: String, value: String)] = []) { self.fields = fields }

    public static func == (a: JournalAnnotation, b: JournalAnnotation) -> Bool {
        a.fields.elementsEqual(b.fields) { $0.key == $1.key && $0.value == $1.value }
    }

    public mutating func add(_ key: String, _ value: String) { fields.append((key, value)) }

    public func value(_ key: String) -> String? { fields.first { $0.key == key }?.value }
    public func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }

    /// The line without the chain field: `--= k=v k=v`.
    public var prefixLine: String {
        "--= " + fields.map { "\($0.key)=\(JournalAnnotation.encode($0.value))" }.joined(separator: " ")
    }

    static func encode(_ value: String) -> String {
        let bare = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "=" }
        if bare { return value }
        var out: [UInt8] = []
        JSONStringEncoding.append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses the text after `--= `; returns the fields and the chain value.
    static func parse(_ text: String) throws(JournalFormatError) -> (JournalAnnotation, chain: String) {
        var fields: [(String, String)] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
            guard i < bytes.count else { break }
            let keyStart = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: " ") { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw .malformed("a field without '='") }
            let key = String(decoding: bytes[keyStart..<i], as: UTF8.self)
            i += 1
            let value: String
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                guard let (decoded, end) = JSONStringEncoding.decode(bytes, from: i) else {
                    throw .malformed("a quoted value that does not end")
                }
                value = decoded
                i = end
            } else {
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: " ") { i += 1 }
                value = String(decoding: bytes[start..<i], as: UTF8.self)
            }
            fields.append((key, value))
        }
        guard let last = fields.last, last.0 == "chain" else { throw .malformed("no chain hash at the end of the line") }
        return (JournalAnnotation(fields.dropLast().map { (key: $0.0, value: $0.1) }), last.1)
    }
}

public enum JournalFormatError: Error, Equatable {
    case malformed(String)
}

/// JSON string quoting for annotation values.
enum JSONStringEncoding {
    static func append(_ string: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case UInt8(ascii: "\n"): out += [0x5C, UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [0x5C, UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20, 0x7F: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Decodes a JSON string starting at the opening quote; returns it and the offset
    /// after the closing quote.
    static func decode(_ bytes: [UInt8], from start: Int) -> (String, Int)? {
        var out: [UInt8] = []
        var i = start + 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { return (String(decoding: out, as: UTF8.self), i + 1) }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { return nil }
                let e = bytes[i + 1]
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard i + 5 < bytes.count, let code = UInt32(String(decoding: bytes[(i + 2)...(i + 5)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(code) else { return nil }
                    out.append(contentsOf: Array(String(scalar).utf8))
                    i += 6
                    continue
                default: out.append(e)
                }
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        return nil
    }
}
