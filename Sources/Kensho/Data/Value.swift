/// One cell, boxed: used at the edges (rendering, literals, small tables), never per
/// cell on a hot path, where kernels read typed column storage directly.
public enum Value: Sendable, Hashable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case float(Double)
    case text(String)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var type: ColumnType? {
        switch self {
        case .null: return nil
        case .boolean: return .boolean
        case .integer: return .integer
        case .float: return .float
        case .text: return .text
        }
    }

    /// The value as plain text (CSV cells, concatenation); nil for null.
    public var text: String? {
        switch self {
        case .null: return nil
        case .boolean(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .float(let value): return Value.format(value)
        case .text(let value): return value
        }
    }

    /// Shortest text that reads back as the same double; integral values keep a `.0`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return "\(value)"
    }
}

/// The type of a column. Text is the default for loaded data; integer and float are
/// inferred only when every value reads back byte for byte (see `TypeInference`).
public enum ColumnType: String, Sendable, Hashable {
    case text, integer, float, boolean

    public var isNumeric: Bool { self == .integer || self == .float }
}
