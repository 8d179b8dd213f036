import Foundation

/// The functions expressions may call (DESIGN §3): text functions work on characters,
/// with an ASCII fast path on bytes; `normalize` applies a keyer.
struct FunctionLibrary {
    /// Applies a keyer by name to UTF-8 bytes; nil output is null. Supplied by the session
    /// once keyers are registered.
    var keyerLookup: (@Sendable (String) -> (@Sendable (UnsafeBufferPointer<UInt8>) -> [UInt8]?)?)?
    var keyerNames: [String] = []

    static let names = [
        "lower", "upper", "length", "substr", "trim", "replace", "coalesce", "int", "float", "text",
        "abs", "round", "year", "normalize",
    ]

    func call(_ name: Name, _ arguments: [Expression], range: SourceRange,
              evaluator: ExpressionEvaluator) throws(Diagnostic) -> Vector {
        let function = name.text.lowercased()
        func arity(_ allowed: ClosedRange<Int>) throws(Diagnostic) {
            guard allowed.contains(arguments.count) else {
                let expected = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)"
                    : "\(allowed.lowerBound) to \(allowed.upperBound)"
                throw Diagnostic("'\(function)' takes \(expected) argument\(allowed.upperBound == 1 ? "" : "s"), not \(arguments.count)",
                                 at: range, hint: FunctionLibrary.usage[function])
            }
        }
        func text(_ index: Int) throws(Diagnostic) -> Vector {
            let value = try evaluator.evaluate(arguments[index])
            try evaluator.expect(value, .text, arguments[index], "'\(function)' works on text")
            return value
        }
        func integerConstant(_ index: Int) throws(Diagnostic) -> Int {
            guard case .literal(.integer(let value)) = arguments[index].kind else {
                throw Diagnostic("'\(function)' needs a whole number here", at: arguments[index].range,
                                 hint: FunctionLibrary.usage[function])
            }
            return Int(value)
        }
        switch function {
        case "lower", "upper":
            try arity(1...1)
            let upper = function == "upper"
            return mapText(try text(0), evaluator) { bytes, out in
                if bytes.allSatisfy({ $0 < 0x80 }) {
                    for b in bytes {
                        if upper, b >= 0x61, b <= 0x7A { out.append(b - 32) } else if !upper, b >= 0x41, b <= 0x5A {
                            out.append(b + 32)
                        } else { out.append(b) }
                    }
                } else {
                    let string = String(decoding: bytes, as: UTF8.self)
                    out.append(contentsOf: (upper ? string.uppercased() : string.lowercased()).utf8)
                }
                return true
            }
        case "trim":
            try arity(1...1)
            return mapText(try text(0), evaluator) { bytes, out in
                let string = String(decoding: bytes, as: UTF8.self)
                out.append(contentsOf: string.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
                return true
            }
        case "length":
            try arity(1...1)
            return mapInteger(try text(0), evaluator) { bytes in
                bytes.allSatisfy({ $0 < 0x80 }) ? Int64(bytes.count) : Int64(String(decoding: bytes, as: UTF8.self).count)
            }
        case "substr", "substring":
            try arity(2...3)
            let start = try integerConstant(1)
            let length = arguments.count == 3 ? try integerConstant(2) : nil
            guard start >= 1 else {
                throw Diagnostic("'substr' counts characters from 1", at: arguments[1].range)
            }
            return mapText(try text(0), evaluator) { bytes, out in
                let characters = Array(String(decoding: bytes, as: UTF8.self))
                let lower = min(start - 1, characters.count)
                let upper = length.map { min(characters.count, lower + max(0, $0)) } ?? characters.count
                out.append(contentsOf: String(characters[lower..<upper]).utf8)
                return true
            }
        case "replace":
            try arity(3...3)
            guard case .literal(.string(let from)) = arguments[1].kind, case .literal(.string(let to)) = arguments[2].kind else {
                throw Diagnostic("'replace' takes literal strings to find and to put", at: range, hint: FunctionLibrary.usage["replace"])
            }
            guard !from.isEmpty else { throw Diagnostic("'replace' needs something to find", at: arguments[1].range) }
            return mapText(try text(0), evaluator) { bytes, out in
                out.append(contentsOf: String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
                return true
            }
        case "coalesce":
            try arity(1...16)
            let values = try (0..<arguments.count).map { (i) throws(Diagnostic) in try evaluator.evaluate(arguments[i]) }
            let types = Set(values.compactMap(\.type))
            let type: ColumnType = types.count == 1 ? types.first! : (types.allSatisfy(\.isNumeric) && !types.isEmpty ? .float : .text)
            var builder = ColumnBuilder(type: type, capacity: evaluator.rowCount)
            let columns = values.map { $0.column(count: evaluator.rowCount) }
            for row in 0..<evaluator.rowCount {
                if let column = columns.first(where: { !$0.isNull(row) }) {
                    if column.type == type { builder.append(from: column, row: row) } else { builder.append(column.value(at: row)) }
                } else { builder.appendNull() }
            }
            return .column(builder.finish())
        case "int", "integer":
            try arity(1...1)
            let value = try evaluator.evaluate(arguments[0])
            return convert(value, to: .integer, evaluator)
        case "float", "number":
            try arity(1...1)
            let value = try evaluator.evaluate(arguments[0])
            return convert(value, to: .float, evaluator)
        case "text", "string":
            try arity(1...1)
            let value = try evaluator.evaluate(arguments[0])
            return convert(value, to: .text, evaluator)
        case "abs":
            try arity(1...1)
            let value = try evaluator.evaluate(arguments[0])
            guard value.type == nil || value.type!.isNumeric else {
                throw Diagnostic("'abs' needs a number", at: arguments[0].range)
            }
            return mapNumber(value, evaluator, integer: { $0 == .min ? nil : abs($0) }, float: { abs($0) })
        case "round":
            try arity(1...2)
            let value = try evaluator.evaluate(arguments[0])
            guard value.type == nil || value.type!.isNumeric else {
                throw Diagnostic("'round' needs a number", at: arguments[0].range)
            }
            let digits = arguments.count == 2 ? try integerConstant(1) : 0
            let scale = pow(10.0, Double(digits))
            return mapNumber(value, evaluator, integer: { $0 },
                             float: { ($0 * scale).rounded(.toNearestOrAwayFromZero) / scale })
        case "year":
            try arity(1...1)
            let value = try evaluator.evaluate(arguments[0])
            if value.type == .integer {
                return mapNumber(value, evaluator, integer: { $0 >= 10_000_000 && $0 <= 99_991_231 ? $0 / 10_000 : ($0 >= 1000 && $0 <= 9999 ? $0 : nil) },
                                 float: { $0 })
            }
            try evaluator.expect(value, .text, arguments[0], "'year' reads a date")
            let dateKeyer = keyerLookup?("date")
            return mapInteger(value, evaluator) { bytes in
                let canonical = dateKeyer?(bytes) ?? Array(bytes)
                return FunctionLibrary.leadingYear(canonical)
            }
        case "normalize":
            try arity(2...2)
            let keyerName: String
            switch arguments[1].kind {
            case .column(let name): keyerName = name.dotted
            case .literal(.string(let name)): keyerName = name
            default:
                throw Diagnostic("the second argument of 'normalize' names a keyer", at: arguments[1].range,
                                 hint: "for example: normalize(氏名, name)")
            }
            guard let keyer = keyerLookup?(keyerName.lowercased()) else {
                throw Diagnostic("unknown keyer '\(keyerName)'", at: arguments[1].range,
                                 hint: Suggestion.hint(for: keyerName, in: keyerNames)
                                     ?? (keyerNames.isEmpty ? nil : "keyers: " + keyerNames.joined(separator: ", ")))
            }
            var value = try evaluator.evaluate(arguments[0])
            if value.type != .text, value.type != nil { value = convert(value, to: .text, evaluator) }
            return mapText(value, evaluator) { bytes, out in
                guard let result = keyer(bytes) else { return false }
                out.append(contentsOf: result)
                return true
            }
        default:
            throw Diagnostic("unknown function '\(name.text)'", at: name.range,
                             hint: Suggestion.hint(for: name.text, in: FunctionLibrary.names)
                                 ?? "functions: " + FunctionLibrary.names.joined(separator: ", "))
        }
    }

    static let usage: [String: String] = [
        "lower": "lower(text)", "upper": "upper(text)", "length": "length(text) counts characters",
        "substr": "substr(text, start[, length]), counting characters from 1", "trim": "trim(text)",
        "replace": "replace(text, 'find', 'put')", "coalesce": "coalesce(a, b, ...)", "round": "round(x[, digits])",
        "normalize": "normalize(x, keyer), e.g. normalize(氏名, name)", "year": "year(date)",
    ]

    /// The year at the start of a canonical or ISO-like date (`1975-04-03`, `19750403`).
    static func leadingYear(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count >= 4 else { return nil }
        var year: Int64 = 0
        for b in bytes[0..<4] {
            guard b >= 0x30, b <= 0x39 else { return nil }
            year = year * 10 + Int64(b - 0x30)
        }
        if bytes.count > 4, bytes[4] >= 0x30, bytes[4] <= 0x39, bytes.count != 8 { return nil }
        return year
    }

    // MARK: - Column mappers

    /// Applies `transform` to each non-null text cell; returning false makes the cell null.
    private func mapText(_ value: Vector, _ evaluator: ExpressionEvaluator,
                         _ transform: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Bool) -> Vector {
        let n = value.isConstant ? 1 : evaluator.rowCount
        let reader = TextReader(value)
        var builder = ColumnBuilder(type: .text, capacity: n)
        var scratch: [UInt8] = []
        for i in 0..<n {
            guard let bytes = reader.bytes(i) else { builder.appendNull(); continue }
            scratch.removeAll(keepingCapacity: true)
            if transform(bytes, &scratch) {
                scratch.withUnsafeBufferPointer { builder.appendText($0) }
            } else {
                builder.appendNull()
            }
        }
        let column = builder.finish()
        return value.isConstant ? .constant(column.value(at: 0)) : .column(column)
    }

    private func mapInteger(_ value: Vector, _ evaluator: ExpressionEvaluator,
                            _ transform: (UnsafeBufferPointer<UInt8>) -> Int64?) -> Vector {
        let n = value.isConstant ? 1 : evaluator.rowCount
        let reader = TextReader(value)
        var builder = ColumnBuilder(type: .integer, capacity: n)
        for i in 0..<n {
            if let bytes = reader.bytes(i), let result = transform(bytes) { builder.appendInteger(result) } else { builder.appendNull() }
        }
        let column = builder.finish()
        return value.isConstant ? .constant(column.value(at: 0)) : .column(column)
    }

    private func mapNumber(_ value: Vector, _ evaluator: ExpressionEvaluator,
                           integer: (Int64) -> Int64?, float: (Double) -> Double) -> Vector {
        guard value.type != nil else { return .constant(.null) }
        let n = value.isConstant ? 1 : evaluator.rowCount
        let reader = NumberReader(value)
        var builder = ColumnBuilder(type: reader.isFloat ? .float : .integer, capacity: n)
        for i in 0..<n {
            if reader.isFloat {
                if let x = reader.double(i) { builder.appendFloat(float(x)) } else { builder.appendNull() }
            } else if let x = reader.integer(i), let y = integer(x) {
                builder.appendInteger(y)
            } else {
                builder.appendNull()
            }
        }
        let column = builder.finish()
        return value.isConstant ? .constant(column.value(at: 0)) : .column(column)
    }

    /// Converts between types; text that does not read as the target type becomes null.
    private func convert(_ value: Vector, to type: ColumnType, _ evaluator: ExpressionEvaluator) -> Vector {
        if value.type == type || value.type == nil { return value }
        let n = value.isConstant ? 1 : evaluator.rowCount
        let column = value.column(count: n)
        var builder = ColumnBuilder(type: type, capacity: n)
        for i in 0..<n {
            let cell = column.value(at: i)
            switch (type, cell) {
            case (_, .null): builder.appendNull()
            case (.text, _): builder.appendText(cell.text!)
            case (.integer, .float(let x)):
                if x.isFinite, abs(x) < 9.2e18 { builder.appendInteger(Int64(x.rounded(.towardZero))) } else { builder.appendNull() }
            case (.integer, .boolean(let b)): builder.appendInteger(b ? 1 : 0)
            case (.integer, .text(let s)):
                let trimmed = s.trimmingCharacters(in: .whitespaces)
                if let x = Int64(trimmed) { builder.appendInteger(x) } else { builder.appendNull() }
            case (.float, .integer(let x)): builder.appendFloat(Double(x))
            case (.float, .text(let s)):
                if let x = Double(s.trimmingCharacters(in: .whitespaces)) { builder.appendFloat(x) } else { builder.appendNull() }
            default: builder.appendNull()
            }
        }
        let result = builder.finish()
        return value.isConstant ? .constant(result.value(at: 0)) : .column(result)
    }
}
