/// Evaluates expressions a column at a time.
///
/// Each operator runs one tight loop over typed readers and writes one typed column; no
/// cell is boxed. Types are checked as the tree is evaluated, before any loop runs, so
/// `'x' + 1` fails at once with a caret under the offending operand. Comparisons follow
/// SQL's three-valued logic: anything compared with null is null, and `where` keeps
/// only rows that are true.
struct ExpressionEvaluator {
    let table: Table
    let functions: FunctionLibrary

    init(table: Table, functions: FunctionLibrary = FunctionLibrary()) {
        self.table = table
        self.functions = functions
    }

    var rowCount: Int { table.rowCount }

    func evaluate(_ expression: Expression) throws(Diagnostic) -> Vector {
        switch expression.kind {
        case .literal(let literal):
            switch literal {
            case .null: return .constant(.null)
            case .boolean(let value): return .constant(.boolean(value))
            case .integer(let value): return .constant(.integer(value))
            case .float(let value): return .constant(.float(value))
            case .string(let value): return .constant(.text(value))
            }
        case .column(let name):
            return .column(try resolve(name))
        case .unary(let op, let operand):
            let value = try evaluate(operand)
            switch op {
            case .not:
                try expect(value, .boolean, operand, "'not' needs a condition")
                return not(value)
            case .negate:
                guard value.type == nil || value.type!.isNumeric else {
                    throw Diagnostic("cannot negate \(describe(value.type))", at: operand.range)
                }
                return try arithmetic(.subtract, .constant(.integer(0)), value, expression)
            }
        case .binary(let op, let left, let right):
            return try binary(op, left, right, expression)
        case .call(let name, let arguments):
            return try functions.call(name, arguments, range: expression.range, evaluator: self)
        case .inList(let operand, let items, let negated):
            return try inList(operand, items, negated: negated, expression)
        case .isNull(let operand, let negated):
            return isNull(try evaluate(operand), negated: negated)
        }
    }

    /// Rows where the condition is true.
    func filter(_ condition: Expression) throws(Diagnostic) -> RowMap {
        let value = try evaluate(condition)
        guard value.type == .boolean || value.type == nil else {
            throw Diagnostic("'where' needs a condition, but this is \(describe(value.type))", at: condition.range,
                             hint: "compare it: = != < > like ~ in, or 'is null'")
        }
        let reader = BooleanReader(value)
        var rows: [Int32] = []
        if value.isConstant {
            if reader.raw(0) == 1 { rows = (0..<rowCount).map { Int32($0) } }
            return RowMap(rows)
        }
        for i in 0..<rowCount where reader.raw(i) == 1 { rows.append(Int32(i)) }
        return RowMap(rows)
    }

    // MARK: - Names

    func resolve(_ name: QualifiedName) throws(Diagnostic) -> Column {
        if let index = table.index(of: name.dotted) { return table.columns[index] }
        // `ds.col` where the dataset part is only a qualifier.
        if name.parts.count > 1, let index = table.index(of: name.parts.last!.text) {
            return table.columns[index]
        }
        throw unknownColumn(name, in: table)
    }

    // MARK: - Operators

    private func binary(_ op: BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
                        _ whole: Expression) throws(Diagnostic) -> Vector {
        let left = try evaluate(leftExpression)
        let right = try evaluate(rightExpression)
        switch op {
        case .and, .or:
            try expect(left, .boolean, leftExpression, "'\(op.rawValue)' joins conditions")
            try expect(right, .boolean, rightExpression, "'\(op.rawValue)' joins conditions")
            return logic(op, left, right)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            if case .literal(.null) = rightExpression.kind {
                throw Diagnostic("comparing with null is never true", at: whole.range,
                                 hint: op == .notEqual ? "use 'is not null'" : "use 'is null'")
            }
            try checkComparable(left, right, leftExpression, rightExpression)
            return compare(op, left, right)
        case .like, .notLike, .matches:
            try expect(left, .text, leftExpression, "'\(op.rawValue)' matches text")
            try expect(right, .text, rightExpression, "the pattern must be text")
            return try match(op, left, right, patternRange: rightExpression.range)
        case .concat:
            return concat(left, right)
        case .add, .subtract, .multiply, .divide, .remainder:
            for (value, expression) in [(left, leftExpression), (right, rightExpression)] {
                guard value.type == nil || value.type!.isNumeric else {
                    throw Diagnostic("'\(op.rawValue)' needs numbers, but this is \(describe(value.type))",
                                     at: expression.range,
                                     hint: value.type == .text ? "use || to join text, or int(x) to read a number" : nil)
                }
            }
            return try arithmetic(op, left, right, whole)
        }
    }

    private func checkComparable(_ left: Vector, _ right: Vector, _ le: Expression, _ re: Expression) throws(Diagnostic) {
        guard let lt = left.type, let rt = right.type else { return }
        if lt == rt || (lt.isNumeric && rt.isNumeric) { return }
        let (textSide, other) = lt == .text ? (le, re) : (re, le)
        var hint: String?
        if case .literal(.integer(let number)) = other.kind {
            hint = "'\(textSide.range == le.range ? le.defaultName : re.defaultName)' is text; compare with a string: '\(number)'"
        }
        throw Diagnostic("cannot compare \(describe(lt)) with \(describe(rt))", at: .covering(le.range, re.range), hint: hint)
    }

    private func compare(_ op: BinaryOperator, _ left: Vector, _ right: Vector) -> Vector {
        let n = left.isConstant && right.isConstant ? 1 : rowCount
        var out = [UInt8](repeating: 2, count: n)
        @inline(__always) func decide(_ order: Int) -> UInt8 {
            switch op {
            case .equal: return order == 0 ? 1 : 0
            case .notEqual: return order != 0 ? 1 : 0
            case .less: return order < 0 ? 1 : 0
            case .lessEqual: return order <= 0 ? 1 : 0
            case .greater: return order > 0 ? 1 : 0
            default: return order >= 0 ? 1 : 0
            }
        }
        switch (left.type, right.type) {
        case (.text, .text):
            let a = TextReader(left)
            let b = TextReader(right)
            for i in 0..<n {
                guard let x = a.bytes(i), let y = b.bytes(i) else { continue }
                out[i] = decide(BytesOrder.compare(x, y))
            }
        case (.boolean, .boolean):
            let a = BooleanReader(left)
            let b = BooleanReader(right)
            for i in 0..<n {
                let x = a.raw(i), y = b.raw(i)
                if x == 2 || y == 2 { continue }
                out[i] = decide(Int(x) - Int(y))
            }
        case (let lt?, let rt?) where lt.isNumeric && rt.isNumeric:
            let a = NumberReader(left)
            let b = NumberReader(right)
            if !a.isFloat && !b.isFloat {
                for i in 0..<n {
                    guard let x = a.integer(i), let y = b.integer(i) else { continue }
                    out[i] = decide(x < y ? -1 : (x == y ? 0 : 1))
                }
            } else {
                for i in 0..<n {
                    guard let x = a.double(i), let y = b.double(i) else { continue }
                    out[i] = x.isNaN || y.isNaN ? 2 : decide(x < y ? -1 : (x == y ? 0 : 1))
                }
            }
        default:
            break  // a null operand: every row null
        }
        return booleanVector(out, constant: n == 1 && left.isConstant && right.isConstant)
    }

    private func logic(_ op: BinaryOperator, _ left: Vector, _ right: Vector) -> Vector {
        let n = left.isConstant && right.isConstant ? 1 : rowCount
        let a = BooleanReader(left)
        let b = BooleanReader(right)
        var out = [UInt8](repeating: 2, count: n)
        for i in 0..<n {
            let x = a.raw(i), y = b.raw(i)
            if op == .and {
                out[i] = (x == 0 || y == 0) ? 0 : (x == 1 && y == 1 ? 1 : 2)
            } else {
                out[i] = (x == 1 || y == 1) ? 1 : (x == 0 && y == 0 ? 0 : 2)
            }
        }
        return booleanVector(out, constant: left.isConstant && right.isConstant)
    }

    private func not(_ value: Vector) -> Vector {
        let n = value.isConstant ? 1 : rowCount
        let a = BooleanReader(value)
        var out = [UInt8](repeating: 2, count: n)
        for i in 0..<n {
            let x = a.raw(i)
            out[i] = x == 2 ? 2 : 1 - x
        }
        return booleanVector(out, constant: value.isConstant)
    }

    private func isNull(_ value: Vector, negated: Bool) -> Vector {
        if case .constant(let v) = value { return .constant(.boolean(v.isNull != negated)) }
        guard case .column(let column) = value else { return .constant(.null) }
        var out = [UInt8](repeating: 0, count: rowCount)
        for i in 0..<rowCount { out[i] = column.isNull(i) != negated ? 1 : 0 }
        return .column(Column(.boolean(out)))
    }

    private func inList(_ operandExpression: Expression, _ items: [Expression], negated: Bool,
                        _ whole: Expression) throws(Diagnostic) -> Vector {
        guard !items.isEmpty else {
            return .constant(.boolean(negated))
        }
        var result: Vector?
        let operand = try evaluate(operandExpression)
        for item in items {
            let value = try evaluate(item)
            try checkComparable(operand, value, operandExpression, item)
            let equal = compare(.equal, operand, value)
            result = result.map { logic(.or, $0, equal) } ?? equal
        }
        return negated ? not(result!) : result!
    }

    private func match(_ op: BinaryOperator, _ text: Vector, _ pattern: Vector, patternRange: SourceRange) throws(Diagnostic) -> Vector {
        guard case .constant(let patternValue) = pattern, let patternText = patternValue.text else {
            throw Diagnostic("the pattern must be a literal string", at: patternRange)
        }
        let n = text.isConstant ? 1 : rowCount
        let reader = TextReader(text)
        var out = [UInt8](repeating: 2, count: n)
        if op == .matches {
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(patternText) } catch {
                throw Diagnostic("invalid regular expression: \(error)", at: patternRange)
            }
            for i in 0..<n {
                guard let bytes = reader.bytes(i) else { continue }
                let string = String(decoding: bytes, as: UTF8.self)
                out[i] = string.contains(regex) ? 1 : 0
            }
        } else {
            let matcher = LikePattern(patternText)
            for i in 0..<n {
                guard let bytes = reader.bytes(i) else { continue }
                out[i] = matcher.matches(bytes) != (op == .notLike) ? 1 : 0
            }
        }
        return booleanVector(out, constant: text.isConstant)
    }

    private func concat(_ left: Vector, _ right: Vector) -> Vector {
        let n = left.isConstant && right.isConstant ? 1 : rowCount
        let a = TextCells(left, count: n)
        let b = TextCells(right, count: n)
        var builder = ColumnBuilder(type: .text, capacity: n)
        for i in 0..<n {
            // Null || x is null, as in SQL.
            guard a.isPresent(i), b.isPresent(i) else { builder.appendNull(); continue }
            let start = builder.textStart
            a.write(i, into: &builder)
            b.write(i, into: &builder)
            builder.endText(startedAt: start)
        }
        let column = builder.finish()
        return left.isConstant && right.isConstant ? .constant(column.value(at: 0)) : .column(column)
    }

    private func arithmetic(_ op: BinaryOperator, _ left: Vector, _ right: Vector, _ whole: Expression) throws(Diagnostic) -> Vector {
        guard left.type != nil, right.type != nil else { return .constant(.null) }
        let n = left.isConstant && right.isConstant ? 1 : rowCount
        let a = NumberReader(left)
        let b = NumberReader(right)
        let integerResult = !a.isFloat && !b.isFloat && op != .divide
        var builder = ColumnBuilder(type: integerResult ? .integer : .float, capacity: n)
        if integerResult {
            for i in 0..<n {
                guard let x = a.integer(i), let y = b.integer(i) else { builder.appendNull(); continue }
                let (value, overflow): (Int64, Bool)
                switch op {
                case .add: (value, overflow) = x.addingReportingOverflow(y)
                case .subtract: (value, overflow) = x.subtractingReportingOverflow(y)
                case .multiply: (value, overflow) = x.multipliedReportingOverflow(by: y)
                default:
                    if y == 0 { builder.appendNull(); continue }
                    (value, overflow) = x.remainderReportingOverflow(dividingBy: y)
                }
                if overflow { throw Diagnostic("integer overflow", at: whole.range) }
                builder.appendInteger(value)
            }
        } else {
            for i in 0..<n {
                guard let x = a.double(i), let y = b.double(i) else { builder.appendNull(); continue }
                switch op {
                case .add: builder.appendFloat(x + y)
                case .subtract: builder.appendFloat(x - y)
                case .multiply: builder.appendFloat(x * y)
                case .divide: if y == 0 { builder.appendNull() } else { builder.appendFloat(x / y) }
                default: if y == 0 { builder.appendNull() } else { builder.appendFloat(x.truncatingRemainder(dividingBy: y)) }
                }
            }
        }
        let column = builder.finish()
        return n == 1 && left.isConstant && right.isConstant ? .constant(column.value(at: 0)) : .column(column)
    }

    // MARK: - Helpers

    func booleanVector(_ values: [UInt8], constant: Bool) -> Vector {
        if constant { return .constant(values[0] == 2 ? .null : .boolean(values[0] == 1)) }
        return .column(Column(.boolean(values)))
    }

    func expect(_ value: Vector, _ type: ColumnType, _ expression: Expression, _ context: String) throws(Diagnostic) {
        guard let actual = value.type, actual != type else { return }
        throw Diagnostic("\(context), but this is \(describe(actual))", at: expression.range)
    }

    func describe(_ type: ColumnType?) -> String {
        switch type {
        case nil: return "null"
        case .text?: return "text"
        case .integer?: return "an integer"
        case .float?: return "a number"
        case .boolean?: return "a condition (true/false)"
        }
    }
}

/// "unknown column" with a suggestion drawn from the table's columns.
func unknownColumn(_ name: QualifiedName, in table: Table) -> Diagnostic {
    let candidates = table.fields.map(\.name)
    var hint = Suggestion.hint(for: name.dotted, in: candidates)
    if hint == nil {
        let visible = table.fields.filter { !$0.isProvenance }.map(\.name)
        hint = visible.count <= 12 ? "columns: " + visible.joined(separator: ", ") : nil
    }
    return Diagnostic("unknown column '\(name.dotted)'", at: name.range, hint: hint)
}

/// Byte order of UTF-8 text, which is code point order.
enum BytesOrder {
    @inline(__always)
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0 {
            let result = memcmp(a.baseAddress!, b.baseAddress!, common)
            if result != 0 { return Int(result) }
        }
        return a.count - b.count
    }
}

/// Any vector read as text cells (numbers formatted), for concatenation.
struct TextCells {
    private let vector: Vector
    private let text: TextReader?
    private let column: Column?

    init(_ vector: Vector, count: Int) {
        self.vector = vector
        if vector.type == .text { text = TextReader(vector); column = nil } else {
            text = nil
            if case .column(let c) = vector { column = c } else { column = nil }
        }
    }

    func isPresent(_ i: Int) -> Bool {
        if let text { return text.bytes(i) != nil }
        if let column { return !column.isNull(i) }
        if case .constant(let value) = vector { return !value.isNull }
        return false
    }

    func write(_ i: Int, into builder: inout ColumnBuilder) {
        if let text, let bytes = text.bytes(i) { builder.appendTextPiece(bytes); return }
        let value: Value
        if let column { value = column.value(at: i) } else if case .constant(let v) = vector { value = v } else { return }
        var string = value.text ?? ""
        string.withUTF8 { builder.appendTextPiece($0) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
