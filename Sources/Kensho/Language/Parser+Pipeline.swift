/// Pipelines: `SOURCE [| OPERATOR]...` (DESIGN §3, sources and operators).
extension Parser {
    static let operatorKeywords = [
        "where", "select", "derive", "sort", "limit", "distinct", "count", "join", "left",
        "semijoin", "antijoin", "fingerprint", "tag",
    ]
    static let sourceKeywords = ["union", "datasets", "findings", "occurrences", "matrix", "diff", "rejects", "roles"]

    mutating func parsePipeline(stoppingAt stop: String? = nil) throws(Diagnostic) -> Pipeline {
        let start = current.range.start
        let source = try parseSource()
        var operators: [PipelineOperator] = []
        while try accept(symbol: "|") {
            operators.append(try parseOperator())
        }
        if !current.isTerminator, !(stop.map { current.isKeyword($0) } ?? false) {
            if current.isSymbol("||") {
                throw Diagnostic("expected '|' between pipeline steps, found '||'", at: current.range)
            }
            let operatorHint = current.kind == .word ? Suggestion.hint(for: current.text, in: Parser.operatorKeywords) : nil
            var diagnostic = unexpected(expecting: stop.map { "'|' or '\($0)'" } ?? "'|' or end of statement")
            if let operatorHint { diagnostic.hint = "missing '|'? \(operatorHint)" }
            throw diagnostic
        }
        return Pipeline(source: source, operators: operators, range: SourceRange(start, previousEnd))
    }

    private mutating func parseSource() throws(Diagnostic) -> Source {
        let start = current.range.start
        if current.kind == .word {
            switch current.text.lowercased() {
            case "union":
                try advance()
                var names = [try expectQualifiedName("a dataset name")]
                while try accept(symbol: ",") { names.append(try expectQualifiedName("a dataset name")) }
                return .union(names, range: SourceRange(start, previousEnd))
            case "datasets":
                try advance()
                return .datasets(range: SourceRange(start, previousEnd))
            case "findings":
                try advance()
                return .findings(range: SourceRange(start, previousEnd))
            case "rejects", "roles":
                let isRoles = current.text.lowercased() == "roles"
                try advance()
                let name = try expectQualifiedName("a dataset name")
                let range = SourceRange(start, previousEnd)
                return isRoles ? .roles(name, range: range) : .rejects(name, range: range)
            case "occurrences", "matrix":
                let isMatrix = current.text.lowercased() == "matrix"
                try advance()
                let recipe = try expectName("a fingerprint name")
                let scope = try parseScope()
                let range = SourceRange(start, previousEnd)
                return isMatrix ? .matrix(recipe: recipe, scope: scope, range: range)
                    : .occurrences(recipe: recipe, scope: scope, range: range)
            case "diff":
                try advance()
                let a = try expectQualifiedName("a dataset name")
                let b = try expectQualifiedName("a second dataset name")
                var recipe: Name?
                if try accept(keyword: "by") { recipe = try expectName("a fingerprint name") }
                return .diff(a, b, by: recipe, range: SourceRange(start, previousEnd))
            default:
                break
            }
        }
        guard current.kind == .word || current.kind == .quotedWord else {
            throw unexpected(expecting: "a dataset name or a statement")
        }
        return .dataset(try expectQualifiedName("a dataset name"))
    }

    /// `in DS, DS`, `in *`, `in WH.*`, or nothing (every dataset).
    private mutating func parseScope() throws(Diagnostic) -> DatasetScope {
        guard try accept(keyword: "in") else { return .all }
        if try accept(symbol: "*") { return .everything(prefix: nil) }
        var names: [QualifiedName] = []
        repeat {
            let first = try expectName("a dataset name")
            if current.isSymbol("."), current.range.start == first.range.end {
                try advance()
                if try accept(symbol: "*") {
                    if names.isEmpty { return .everything(prefix: first) }
                    throw Diagnostic("'\(first.text).*' cannot be mixed with other datasets", at: first.range)
                }
                var parts = [first, try expectName("a dataset name")]
                while current.isSymbol("."), parts.last!.range.end == current.range.start {
                    try advance()
                    parts.append(try expectName("a dataset name"))
                }
                names.append(QualifiedName(parts))
            } else {
                names.append(QualifiedName([first]))
            }
        } while try accept(symbol: ",")
        return .listed(names)
    }

    private mutating func parseOperator() throws(Diagnostic) -> PipelineOperator {
        let start = current.range.start
        let keywordRange = current.range
        guard current.kind == .word else {
            throw unexpected(expecting: "a pipeline operator (where, select, count, ...)")
        }
        let keyword = current.text.lowercased()
        let kind: OperatorKind
        switch keyword {
        case "where":
            try advance()
            kind = .filter(try parseExpression())
        case "select":
            try advance()
            var items: [SelectItem] = []
            repeat {
                if current.isSymbol("*") {
                    // `*`: every visible column, in order.
                    items.append(SelectItem(expression: Expression(.column(QualifiedName([Name("*", range: current.range)])), current.range), alias: nil))
                    try advance()
                    continue
                }
                let expression = try parseExpression()
                var alias: Name?
                if try accept(keyword: "as") { alias = try expectName("a column name") }
                items.append(SelectItem(expression: expression, alias: alias))
            } while try accept(symbol: ",")
            kind = .select(items)
        case "derive":
            try advance()
            var items: [(Name, Expression)] = []
            repeat {
                let name = try expectName("a new column name")
                try expect(symbol: "=")
                items.append((name, try parseExpression()))
            } while try accept(symbol: ",")
            kind = .derive(items)
        case "sort", "order":
            try advance()
            _ = try accept(keyword: "by")
            var keys: [SortKey] = []
            repeat {
                let expression = try parseExpression()
                var descending = false
                if try accept(keyword: "desc") { descending = true } else { _ = try accept(keyword: "asc") }
                keys.append(SortKey(expression: expression, descending: descending))
            } while try accept(symbol: ",")
            kind = .sort(keys)
        case "limit":
            try advance()
            kind = .limit(try expectInteger("a row count"))
        case "distinct":
            try advance()
            kind = .distinct(try parseColumnList(optional: true))
        case "count":
            try advance()
            if try accept(keyword: "by") {
                kind = .countBy(try parseColumnList(optional: false))
            } else {
                kind = .count
            }
        case "join", "left", "semijoin", "antijoin", "semi", "anti", "inner":
            kind = try parseJoin()
        case "fingerprint":
            try advance()
            let recipe = try expectName("a fingerprint name")
            var alias: Name?
            if try accept(keyword: "as") { alias = try expectName("a column name") }
            kind = .fingerprint(recipe: recipe, as: alias)
        case "tag":
            try advance()
            let label = try expectNameOrString("a tag label")
            var note: String?
            if try accept(keyword: "note") {
                guard current.kind == .string else { throw unexpected(expecting: "the note text in quotes") }
                note = current.text
                try advance()
            }
            kind = .tag(label: label, note: note)
        default:
            throw Diagnostic("unknown operator '\(current.text)'", at: current.range,
                             hint: Suggestion.hint(for: current.text, in: Parser.operatorKeywords + ["count by", "left join"]))
        }
        return PipelineOperator(kind: kind, range: SourceRange(start, previousEnd), keywordRange: keywordRange)
    }

    private mutating func parseJoin() throws(Diagnostic) -> OperatorKind {
        let kind: JoinKind
        switch current.text.lowercased() {
        case "left":
            try advance()
            _ = try accept(keyword: "outer")
            try expect(keyword: "join")
            kind = .left
        case "inner":
            try advance()
            try expect(keyword: "join")
            kind = .inner
        case "semi", "anti":
            let word = current.text.lowercased()
            try advance()
            try expect(keyword: "join")
            kind = word == "semi" ? .semi : .anti
        case "semijoin": try advance(); kind = .semi
        case "antijoin": try advance(); kind = .anti
        default: try advance(); kind = .inner
        }
        let dataset = try expectQualifiedName("a dataset name")
        try expect(keyword: "on")
        var keys: [JoinKey] = []
        repeat {
            let left = try expectQualifiedName("a join key (column or fingerprint)")
            var right = left
            if try accept(symbol: "=") { right = try expectQualifiedName("a join key (column or fingerprint)") }
            keys.append(JoinKey(left: left, right: right))
        } while try accept(keyword: "and") ? true : try accept(symbol: ",")
        return .join(kind, dataset: dataset, keys: keys)
    }

    private mutating func parseColumnList(optional: Bool) throws(Diagnostic) -> [QualifiedName] {
        if optional, current.kind != .word, current.kind != .quotedWord { return [] }
        var names: [QualifiedName] = []
        repeat { names.append(try expectQualifiedName("a column name")) } while try accept(symbol: ",")
        return names
    }
}
