/// An expression's value over a table: a column, or one constant broadcast to every row.
enum Vector {
    case column(Column)
    case constant(Value)

    var type: ColumnType? {
        switch self {
        case .column(let column): return column.type
        case .constant(let value): return value.type
        }
    }

    var isConstant: Bool { if case .constant = self { return true } else { return false } }

    /// A column of `count` rows (constants are materialized).
    func column(count: Int) -> Column {
        switch self {
        case .column(let column): return column
        case .constant(let value):
            let type = value.type ?? .text
            var builder = ColumnBuilder(type: type, capacity: 1)
            builder.append(value)
            let single = builder.finish()
            return single.selecting(RowMap([Int32](repeating: 0, count: count)))
        }
    }
}

/// Reads text cells from a vector by logical row.
struct TextReader {
    private let storage: TextStorage
    private let rows: [Int32]?
    private let constant: Bool

    init(_ vector: Vector) {
        switch vector {
        case .column(let column):
            guard case .text(let storage) = column.storage else { preconditionFailure("not text") }
            self.storage = storage
            self.rows = column.rows?.indices
            self.constant = false
        case .constant(let value):
            var builder = ByteArenaBuilder(capacity: 64)
            let range = value.text.map { builder.append($0) } ?? .null
            self.storage = TextStorage(arena: builder.finish(), ranges: [range])
            self.rows = nil
            self.constant = true
        }
    }

    @inline(__always)
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        if constant { return storage.bytes(0) }
        guard let rows else { return storage.bytes(i) }
        let p = Int(rows[i])
        return p < 0 ? nil : storage.bytes(p)
    }
}

/// Reads numbers (integer or float) from a vector by logical row.
struct NumberReader {
    private let integers: [Int64]
    private let floats: [Double]
    private let valid: [Bool]
    private let rows: [Int32]?
    private let constant: Bool
    let isFloat: Bool

    init(_ vector: Vector) {
        switch vector {
        case .column(let column):
            rows = column.rows?.indices
            constant = false
            switch column.storage {
            case .integer(let values, let valid):
                integers = values; floats = []; self.valid = valid; isFloat = false
            case .float(let values, let valid):
                integers = []; floats = values; self.valid = valid; isFloat = true
            default: preconditionFailure("not numeric")
            }
        case .constant(let value):
            rows = nil
            constant = true
            switch value {
            case .integer(let v): integers = [v]; floats = []; valid = []; isFloat = false
            case .float(let v): integers = []; floats = [v]; valid = []; isFloat = true
            default: integers = [0]; floats = []; valid = [false]; isFloat = false
            }
        }
    }

    @inline(__always)
    private func physical(_ i: Int) -> Int? {
        if constant { return valid.isEmpty || valid[0] ? 0 : nil }
        let p = rows.map { Int($0[i]) } ?? i
        if p < 0 { return nil }
        return valid.isEmpty || valid[p] ? p : nil
    }

    @inline(__always)
    func integer(_ i: Int) -> Int64? {
        guard let p = physical(i) else { return nil }
        return isFloat ? nil : integers[p]
    }

    @inline(__always)
    func double(_ i: Int) -> Double? {
        guard let p = physical(i) else { return nil }
        return isFloat ? floats[p] : Double(integers[p])
    }
}

/// Reads booleans from a vector by logical row.
struct BooleanReader {
    private let values: [UInt8]
    private let rows: [Int32]?
    private let constant: Bool

    init(_ vector: Vector) {
        switch vector {
        case .column(let column):
            guard case .boolean(let values) = column.storage else { preconditionFailure("not boolean") }
            self.values = values
            self.rows = column.rows?.indices
            self.constant = false
        case .constant(let value):
            if case .boolean(let b) = value { values = [b ? 1 : 0] } else { values = [2] }
            rows = nil
            constant = true
        }
    }

    /// 0 false, 1 true, 2 null.
    @inline(__always)
    func raw(_ i: Int) -> UInt8 {
        if constant { return values[0] }
        guard let rows else { return values[i] }
        let p = Int(rows[i])
        return p < 0 ? 2 : values[p]
    }
}
