/// The `with k=v` options of `load`, checked and typed.
public struct LoadOptions: Sendable {
    public var format: String?
    public var encoding: String?
    public var delimiter: UInt8?
    public var header: Bool?
    public var table: String?
    public var errors: String?

    public init() {}

    static let known = ["format", "encoding", "delimiter", "header", "table", "errors"]
    static let formats = ["csv", "tsv", "json", "jsonl", "sqlite", "dir", "fingerprints"]

    public init(_ pairs: [OptionPair]) throws(Diagnostic) {
        for pair in pairs {
            let value = pair.value
            switch pair.key.text.lowercased() {
            case "format":
                let lowered = value.lowercased()
                guard LoadOptions.formats.contains(lowered) else {
                    throw Diagnostic("unknown format '\(value)'", at: pair.valueRange,
                                     hint: Suggestion.hint(for: lowered, in: LoadOptions.formats)
                                         ?? "formats: \(LoadOptions.formats.joined(separator: ", "))")
                }
                format = lowered
            case "encoding":
                encoding = value.lowercased()
            case "delimiter", "sep", "separator":
                delimiter = try LoadOptions.delimiterByte(value, range: pair.valueRange)
            case "header":
                switch value.lowercased() {
                case "true", "yes", "on", "1": header = true
                case "false", "no", "off", "0": header = false
                case "auto": header = nil
                default:
                    throw Diagnostic("header must be true, false or auto, not '\(value)'", at: pair.valueRange)
                }
            case "table":
                table = value
            case "errors":
                guard ["strict", "replace"].contains(value.lowercased()) else {
                    throw Diagnostic("errors must be strict or replace, not '\(value)'", at: pair.valueRange)
                }
                errors = value.lowercased()
            default:
                throw Diagnostic("unknown load option '\(pair.key.text)'", at: pair.key.range,
                                 hint: Suggestion.hint(for: pair.key.text, in: LoadOptions.known)
                                     ?? "options: \(LoadOptions.known.joined(separator: ", "))")
            }
        }
    }

    static func delimiterByte(_ value: String, range: SourceRange) throws(Diagnostic) -> UInt8 {
        switch value.lowercased() {
        case "tab", "\\t", "\t": return UInt8(ascii: "\t")
        case "comma": return UInt8(ascii: ",")
        case "semicolon": return UInt8(ascii: ";")
        case "pipe": return UInt8(ascii: "|")
        case "space": return UInt8(ascii: " ")
        default:
            let bytes = Array(value.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n") else {
                throw Diagnostic("delimiter must be one ASCII character (or tab, comma, semicolon, pipe), not '\(value)'",
                                 at: range)
            }
            return bytes[0]
        }
    }
}
