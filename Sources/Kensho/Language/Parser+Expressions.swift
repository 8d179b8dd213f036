/// Expressions, by precedence from loosest to tightest:
/// `or` < `and` < `not` < comparison (`= != < <= > >= ~ like in is`) < `||` < `+ -`
/// < `* / %` < unary minus < primary.
extension Parser {
    mutating func parseExpression() throws(Diagnostic) -> Expression {
        try parseOr()
    }

    private mutating func parseOr() throws(Diagnostic) -> Expression {
        var left = try parseAnd()
        while current.isKeyword("or") {
            try advance()
            let right = try parseAnd()
            left = Expression(.binary(.or, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseAnd() throws(Diagnostic) -> Expression {
        var left = try parseNot()
        while current.isKeyword("and") {
            try advance()
            let right = try parseNot()
            left = Expression(.binary(.and, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseNot() throws(Diagnostic) -> Expression {
        if current.isKeyword("not") {
            let start = current.range
            try advance()
            let operand = try parseNot()
            return Expression(.unary(.not, operand), .covering(start, operand.range))
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(Diagnostic) -> Expression {
        let left = try parseConcat()
        if current.kind == .symbol, let op = BinaryOperator(rawValue: current.text), op.isComparison || op == .matches {
            try advance()
            let right = try parseConcat()
            return Expression(.binary(op, left, right), .covering(left.range, right.range))
        }
        if current.isKeyword("like") {
            try advance()
            let right = try parseConcat()
            return Expression(.binary(.like, left, right), .covering(left.range, right.range))
        }
        if current.isKeyword("is") {
            try advance()
            let negated = try accept(keyword: "not")
            let end = current.range
            try expect(keyword: "null")
            return Expression(.isNull(left, negated: negated), .covering(left.range, end))
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
            return Expression(.binary(.notLike, left, right), .covering(left.range, right.range))
        }
        if current.isKeyword("in") {
            try advance()
            try expect(symbol: "(")
            var items: [Expression] = []
            if !current.isSymbol(")") {
                repeat { items.append(try parseExpression()) } while try accept(symbol: ",")
            }
            let end = current.range
            try expect(symbol: ")")
            return Expression(.inList(left, items, negated: negated), .covering(left.range, end))
        }
        return left
    }

    private mutating func parseConcat() throws(Diagnostic) -> Expression {
        var left = try parseAdditive()
        while current.isSymbol("||") {
            try advance()
            let right = try parseAdditive()
            left = Expression(.binary(.concat, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseAdditive() throws(Diagnostic) -> Expression {
        var left = try parseMultiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op: BinaryOperator = current.text == "+" ? .add : .subtract
            try advance()
            let right = try parseMultiplicative()
            left = Expression(.binary(op, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseMultiplicative() throws(Diagnostic) -> Expression {
        var left = try parseUnary()
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
            let op: BinaryOperator = current.text == "*" ? .multiply : current.text == "/" ? .divide : .remainder
            try advance()
            let right = try parseUnary()
            left = Expression(.binary(op, left, right), .covering(left.range, right.range))
        }
        return left
    }

    private mutating func parseUnary() throws(Diagnostic) -> Expression {
        if current.isSymbol("-") {
            let start = current.range
            try advance()
            let operand = try parseUnary()
            if case .literal(.integer(let value)) = operand.kind {
                return Expression(.literal(.integer(-value)), .covering(start, operand.range))
            }
            if case .literal(.float(let value)) = operand.kind {
                return Expression(.literal(.float(-value)), .covering(start, operand.range))
            }
            return Expression(.unary(.negate, operand), .covering(start, operand.range))
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
        return Expression(.call(function, arguments), .covering(function.range, end))
    }
}
