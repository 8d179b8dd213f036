/// The syntax tree of kensho statements (DESIGN §3). Every node keeps its source range
/// so evaluation errors point at what the user typed.

/// A name as written, with its place.
public struct Name: Sendable, Hashable {
    public var text: String
    public var range: SourceRange

    public init(_ text: String, range: SourceRange = .none) {
        self.text = text
        self.range = range
    }
}

/// A possibly dotted name: `okazaki`, `x.patrons`, `address.city`, `b.氏名`.
public struct QualifiedName: Sendable, Hashable {
    public var parts: [Name]
    public var dotted: String { parts.map(\.text).joined(separator: ".") }
    public var range: SourceRange {
        SourceRange(parts.first?.range.start ?? 0, parts.last?.range.end ?? 0)
    }

    public init(_ parts: [Name]) { self.parts = parts }
    public init(_ text: String) { self.parts = [Name(text)] }
}

public enum Statement: Sendable {
    case load(LoadStatement)
    case bind(name: QualifiedName, pipeline: Pipeline)
    case query(Pipeline)
    case fingerprint(RecipeStatement)
    case role(dataset: QualifiedName, column: Name, role: Name)
    case export(ExportStatement)
    case set(name: Name, value: SetValue, valueRange: SourceRange)
    case attach(kind: Name, url: String, name: Name)
    case push(source: PushSource, recipe: Name, warehouse: Name, options: [OptionPair])
    case describe(QualifiedName)
    case history
    case help(topic: String?)
    case untag(label: Name, condition: Expression?)
    case note(label: Name, text: String)
    case save(path: String)
}

/// A statement with the range it covers in its source.
public struct ParsedStatement: Sendable {
    public var statement: Statement
    public var range: SourceRange
    /// The statement exactly as typed (for history and the journal).
    public var text: String
}

/// What `push` sends: a loaded dataset, or a file streamed without loading it.
public enum PushSource: Sendable {
    case dataset(QualifiedName)
    case file(path: String, range: SourceRange)
}

public struct OptionPair: Sendable {
    public var key: Name
    public var value: String
    public var valueRange: SourceRange
}

public struct LoadStatement: Sendable {
    public var path: String
    public var pathRange: SourceRange
    public var alias: Name?
    public var options: [OptionPair]
}

public enum SetValue: Sendable {
    case word(String)
    case string(String)
    case number(String)
}

public struct RecipeStatement: Sendable {
    public var name: Name
    public var fields: [RecipeField]
}

public struct RecipeField: Sendable {
    public var field: Name
    public var keyer: Name?
    /// A version pinned as `name@1`.
    public var version: Int?
}

public struct ExportStatement: Sendable {
    public enum Subject: Sendable {
        case pipeline(Pipeline)
        case findings
        case fingerprints(dataset: QualifiedName, recipe: Name)
        case notification(origin: QualifiedName, recipe: Name)
    }
    public var subject: Subject
    public var path: String
    public var pathRange: SourceRange
    public var format: Name?
    /// `masked` forces masking; `unmasked` lifts it in reports.
    public var masking: Name?
}

public struct Pipeline: Sendable {
    public var source: Source
    public var operators: [PipelineOperator]
    public var range: SourceRange
}

public enum Source: Sendable {
    case dataset(QualifiedName)
    case union([QualifiedName], range: SourceRange)
    case datasets(range: SourceRange)
    case findings(range: SourceRange)
    case rejects(QualifiedName, range: SourceRange)
    case roles(QualifiedName, range: SourceRange)
    case occurrences(recipe: Name, scope: DatasetScope, range: SourceRange)
    case matrix(recipe: Name, scope: DatasetScope, range: SourceRange)
    case diff(QualifiedName, QualifiedName, by: Name?, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .dataset(let name): return name.range
        case .union(_, let range), .datasets(let range), .findings(let range), .rejects(_, let range), .roles(_, let range),
             .occurrences(_, _, let range), .matrix(_, _, let range), .diff(_, _, _, let range):
            return range
        }
    }
}

public enum DatasetScope: Sendable {
    case all
    case listed([QualifiedName])
    /// `in *` / `in WH.*`: every dataset, or every dataset of a warehouse.
    case everything(prefix: Name?)
}

public struct PipelineOperator: Sendable {
    public var kind: OperatorKind
    public var range: SourceRange
    /// The operator keyword's range (for "'x' is not implemented" messages).
    public var keywordRange: SourceRange
}

public enum OperatorKind: Sendable {
    case filter(Expression)
    case select([SelectItem])
    case derive([(Name, Expression)])
    case sort([SortKey])
    case limit(Int)
    case distinct([QualifiedName])
    case count
    case countBy([QualifiedName])
    case join(JoinKind, dataset: QualifiedName, keys: [JoinKey])
    case fingerprint(recipe: Name, as: Name?)
    case tag(label: Name, note: String?)

    public var keyword: String {
        switch self {
        case .filter: return "where"
        case .select: return "select"
        case .derive: return "derive"
        case .sort: return "sort"
        case .limit: return "limit"
        case .distinct: return "distinct"
        case .count: return "count"
        case .countBy: return "count by"
        case .join(let kind, _, _): return kind.rawValue
        case .fingerprint: return "fingerprint"
        case .tag: return "tag"
        }
    }
}

public enum JoinKind: String, Sendable {
    case inner = "join"
    case left = "left join"
    case semi = "semijoin"
    case anti = "antijoin"
}

/// `on KEY` or `on LEFT = RIGHT`; a key is a column or a fingerprint name.
public struct JoinKey: Sendable {
    public var left: QualifiedName
    public var right: QualifiedName
}

public struct SelectItem: Sendable {
    public var expression: Expression
    public var alias: Name?
}

public struct SortKey: Sendable {
    public var expression: Expression
    public var descending: Bool
}

public indirect enum ExpressionKind: Sendable {
    case literal(Literal)
    case column(QualifiedName)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case call(Name, [Expression])
    case inList(Expression, [Expression], negated: Bool)
    case isNull(Expression, negated: Bool)
}

public struct Expression: Sendable {
    public let kind: ExpressionKind
    public var range: SourceRange
    /// Levels of the tree below and including this node (a column or literal is 1).
    /// Whatever walks an expression recurses this deep, so the parser bounds it.
    public let depth: Int

    public init(_ kind: ExpressionKind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
        switch kind {
        case .literal, .column: depth = 1
        case .unary(_, let operand), .isNull(let operand, _): depth = operand.depth + 1
        case .binary(_, let left, let right): depth = max(left.depth, right.depth) + 1
        case .call(_, let arguments): depth = (arguments.lazy.map(\.depth).max() ?? 0) + 1
        case .inList(let value, let items, _): depth = max(value.depth, items.lazy.map(\.depth).max() ?? 0) + 1
        }
    }

    /// The column name an expression gets when selected without `as`.
    public var defaultName: String {
        switch kind {
        case .column(let name): return name.parts.last?.text ?? name.dotted
        case .call(let function, _): return function.text.lowercased()
        default: return "expr"
        }
    }
}

public enum Literal: Sendable, Equatable {
    case null
    case boolean(Bool)
    case integer(Int64)
    case float(Double)
    case string(String)
}

public enum UnaryOperator: String, Sendable {
    case not
    case negate = "-"
}

public enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case like, notLike = "not like", matches = "~"
    case concat = "||"
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }
}
