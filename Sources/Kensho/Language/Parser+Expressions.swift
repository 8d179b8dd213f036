/// Expressions, by precedence from loosest to tightest:
/// `or` < `and` < `not` < comparison (`= != < <= > >= ~ like in is`) < `||` < `+ -`
/// < `* / %` < unary minus < primary.
///
/// Parsing, evaluating and describing an expression recurse as deep as it nests, so
/// nesting is bounded twice: brackets, function calls, `not` and unary minus as the
/// parser descends into them (`maximumNesting`: each costs the parser ten frames), and
/// the tree's depth as each node is built (`maximumExpressionDepth`: a chain
/// `a or b or c …` is one level per operator, which evaluation recurses through). A
/// statement past either bound (a generated one, or a hostile journal given to replay)
/// is a syntax error, not a stack overflow. Measured in a debug build, whose frames are
/// largest: the deepest statement both bounds allow parses and runs in 4 MB of stack;
/// threads get 8 MB.
extension Parser {
    /// Brackets, calls, `not`s and minus signs inside one another.
    static let maximumNesting = 64
    /// Levels of the expression tree: an `or` chain of 255 terms fits; `in (…)` takes
    /// any number of values at one level.
    static let maximumExpressionDepth = 256

    /// A node of the tree, refused when it takes the tree past the bound.
    private func node(_ kind: ExpressionKind, _ range: SourceRange) throws(Diagnostic) -> Expression {
        let expression = Expression(kind, range)
        guard expression.depth <= Parser.maximumExpressionDepth else {
            throw tooDeep(at: range, limit: Parser.maximumExpressionDepth)
        }
        return expression
    }

    /// Counts one level of descent into a bracket, `not` or `-`; `leave()` undoes it.
    private mutating func enter(at range: SourceRange) throws(Diagnostic) {
        nesting += 1
        guard nesting <= Parser.maximumNesting else { throw tooDeep(at: range, limit: Parser.maximumNesting) }
    }

    private mutating func leave() { nesting -= 1 }

    private func tooDeep(at range: SourceRange, limit: Int) -> Diagnostic {
        let what = limit == Parser.maximumNesting
            ? "brackets, function calls, 'not' and '-' nested more than \(limit) deep"
            : "an expression more than \(limit) operators deep"
        return Diagnostic(what, at: range, hint: "too deep to evaluate safely",
                          notes: ["a long list of alternatives fits in one level as: x in (v1, v2, …)"])
    }

    mutating func parseExpression() throws(Diagnostic) -> Expression {
        try parseOr()
    }

    private mutating func parseOr() throws(Diagnostic) -> Expression {
        var left = try parseAnd()
        while current.isKeyword("or") {
            try advance()
            let right = try parseAnd()
            left = try node(.binary(.or, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> Expression {
        var left = try parseNot()
        while current.isKeyword("and") {
            try advance()
            let right = try parseNot()
            left = try node(.binary(.and, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> Expression {
        if current.isKeyword("not") {
            let start = current.range
            try enter(at: start)
            defer { leave() }
            try advance()
            let operand = try parseNot()
            return try node(.unary(.not, operand), .covering(start, operand.range))
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(Diagnostic) -> Expression {
        let left = try parseConcat()
        if current.kind == .symbol, let op = BinaryOperator(rawValue: current.text), op.isComparison || op == .matches {
            try advance()
            let right = try parseConcat()
            return try node(.binary(op, left, right), .covering(left.range, right.range))
        }
        if current.isKeyword("like") {
            try advance()
            let right = try parseConcat()
            return try node(.binary(.like, left, right), .covering(left.range, right.range))
        }
        if current.isKeyword("is") {
            try advance()
            let negated = try accept(keyword: "not")
            let end = current.range
            try expect(keyword: "null")
            return try node(.isNull(left, negated: negated), .covering(left.range, end))
        }
        var negated = false
        if current.isKeyword("not") {
            // `x not in (...)`, `x not like 'p'`
            let mark = (lexer, current, previousEnd)
            try advance()
            if current.isKeyword("in") || current.isKeyword("like") {
                negated = true
            } else {
                (lexer, current, previousEnd) = mark
                return left
            }
        }
        if current.isKeyword("like") {
            try advance()
            let right = try parseConcat()
            return try node(.binary(.notLike, left, right), .covering(left.range, right.range))
        }
        if current.isKeyword("in") {
            try advance()
            try enter(at: current.range)
            defer { leave() }
            try expect(symbol: "(")
            var items: [Expression] = []
            if !current.isSymbol(")") {
                repeat { items.append(try parseExpression()) } while try accept(symbol: ",")
            }
            let end = current.range
            try expect(symbol: ")")
            return try node(.inList(left, items, negated: negated), .covering(left.range, end))
        }
        return left
    }

    private mutating func parseConcat() throws(Diagnostic) -> Expression {
        var left = try parseAdditive()
        while current.isSymbol("||") {
            try advance()
            let right = try parseAdditive()
            left = try node(.binary(.concat, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseAdditive() throws(Diagnostic) -> Expression {
        var left = try parseMultiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op: BinaryOperator = current.text == "+" ? .add : .subtract
            try advance()
            let right = try parseMultiplicative()
            left = try node(.binary(op, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseMultiplicative() throws(Diagnostic) -> Expression {
        var left = try parseUnary()
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
            let op: BinaryOperator = current.text == "*" ? .multiply : current.text == "/" ? .divide : .remainder
            try advance()
            let right = try parseUnary()
            left = try node(.binary(op, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseUnary() throws(Diagnostic) -> Expression {
        if current.isSymbol("-") {
            let start = current.range
            try enter(at: start)
            defer { leave() }
            try advance()
            let operand = try parseUnary()
            if case .literal(.integer(let value)) = operand.kind {
                return Expression(.literal(.integer(-value)), .covering(start, operand.range))
            }
            if case .literal(.float(let value)) = operand.kind {
                return Expression(.literal(.float(-value)), .covering(start, operand.range))
            }
            return try node(.unary(.negate, operand), .covering(start, operand.range))
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(Diagnostic) -> Expression {
        let token = current
        switch token.kind {
        case .integer:
            try advance()
            guard let value = Int64(token.text) else {
                throw Diagnostic("number '\(token.text)' is too large", at: token.range)
            }
            return Expression(.literal(.integer(value)), token.range)
        case .float:
            try advance()
            return Expression(.literal(.float(Double(token.text) ?? .nan)), token.range)
        case .string:
            try advance()
            return Expression(.literal(.string(token.text)), token.range)
        case .symbol where token.text == "(":
            try enter(at: token.range)
            defer { leave() }
            try advance()
            let inner = try parseExpression()
            let end = current.range
            try expect(symbol: ")")
            return Expression(inner.kind, .covering(token.range, end))
        case .word:
            switch token.text.lowercased() {
            case "null": try advance(); return Expression(.literal(.null), token.range)
            case "true": try advance(); return Expression(.literal(.boolean(true)), token.range)
            case "false": try advance(); return Expression(.literal(.boolean(false)), token.range)
            default: break
            }
            let name = try expectQualifiedName("a column name")
            if name.parts.count == 1, current.isSymbol("("), current.range.start >= name.range.end {
                return try parseCall(name.parts[0])
            }
            return Expression(.column(name), name.range)
        case .quotedWord:
            let name = try expectQualifiedName("a column name")
            return Expression(.column(name), name.range)
        default:
            throw unexpected(expecting: "an expression")
        }
    }

    private mutating func parseCall(_ function: Name) throws(Diagnostic) -> Expression {
        try enter(at: current.range)
        defer { leave() }
        try expect(symbol: "(")
        var arguments: [Expression] = []
        if !current.isSymbol(")") {
            repeat {
                var argument = try parseExpression()
                // A keyer argument may carry a version: normalize(x, name@1).
                if current.isSymbol("@"), case .column(let keyer) = argument.kind {
                    try advance()
                    let version = current
                    _ = try expectInteger("a keyer version")
                    argument = Expression(.column(QualifiedName(keyer.dotted + "@" + version.text)),
                                          .covering(argument.range, version.range))
                }
                arguments.append(argument)
            } while try accept(symbol: ",")
        }
        let end = current.range
        try expect(symbol: ")")
        return try node(.call(function, arguments), .covering(function.range, end))
    }
}
