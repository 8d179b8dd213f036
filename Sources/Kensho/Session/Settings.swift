/// What `set NAME = VALUE` changes. Settings that change what a person sees or what is
/// exported (`mask`, `key`, `operator`) are journaled like any statement.
public struct Settings: Sendable {
    public var format: OutputFormat = .table
    public var maxRows = 40
    public var maxColumnWidth = 40
    /// `on` (mask personal columns in tables), `off`, or `all` (mask in every format).
    public var mask = "on"
    public var operatorName: String?
    /// `env:NAME`: the case key for keyed fingerprints, read from the environment.
    public var key: String?

    public init() {}

    public static let names = ["format", "maxrows", "width", "mask", "operator", "key"]

    /// Applies a setting and returns a short confirmation for the status line.
    mutating func apply(_ name: Name, _ value: SetValue, valueRange: SourceRange) throws(Diagnostic) -> String {
        let text: String
        switch value {
        case .word(let word): text = word
        case .string(let string): text = string
        case .number(let number): text = number
        }
        switch name.text.lowercased() {
        case "format":
            guard let format = OutputFormat(rawValue: text.lowercased()) else {
                throw Diagnostic("unknown format '\(text)'", at: valueRange,
                                 hint: Suggestion.hint(for: text, in: OutputFormat.allCases.map(\.rawValue))
                                     ?? "formats: " + OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.format = format
            return "format = \(format.rawValue)"
        case "maxrows":
            guard let rows = Int(text), rows >= 0 else {
                throw Diagnostic("maxrows must be a whole number, 0 or more", at: valueRange)
            }
            maxRows = rows
            return "maxrows = \(rows)"
        case "width":
            guard let width = Int(text), width >= 4 else {
                throw Diagnostic("width must be a whole number, 4 or more", at: valueRange)
            }
            maxColumnWidth = width
            return "width = \(width)"
        case "mask":
            let lowered = text.lowercased()
            guard ["on", "off", "all"].contains(lowered) else {
                throw Diagnostic("mask must be on, off or all, not '\(text)'", at: valueRange)
            }
            mask = lowered
            return "mask = \(lowered)"
        case "operator":
            operatorName = text
            return "operator = \(text)"
        case "key":
            guard text.hasPrefix("env:"), text.count > 4 else {
                throw Diagnostic("the case key is read from the environment: set key = env:NAME", at: valueRange,
                                 hint: "never type the key itself (what was typed is masked, and kept out of the journal and history)")
            }
            key = text
            return "key = \(text)"
        default:
            throw Diagnostic("unknown setting '\(name.text)'", at: name.range,
                             hint: Suggestion.hint(for: name.text, in: Settings.names)
                                 ?? "settings: " + Settings.names.joined(separator: ", "))
        }
    }
}
