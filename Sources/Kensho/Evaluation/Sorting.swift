/// `sort`: a stable ordering by keys, nulls last, ties kept in input order so the
/// result is the same on every run and machine. Text sorts by code point.
enum Sorting {
    static func sort(_ table: Table, by keys: [SortKey], functions: FunctionLibrary,
                     isCancelled: () -> Bool) throws -> Table {
        let evaluator = ExpressionEvaluator(table: table, functions: functions)
        let columns = try keys.map { key throws(Diagnostic) in try evaluator.evaluate(key.expression).column(count: table.rowCount) }
        let comparators = columns.map(CellComparator.init)
        var order = (0..<table.rowCount).map { Int32($0) }
        if isCancelled() { throw LoadCancelled() }
        order.sort { a, b in
            let i = Int(a), j = Int(b)
            for (index, comparator) in comparators.enumerated() {
                let result = comparator.compare(i, j)
                if result != 0 {
                    // Nulls stay last whichever way the values run.
                    if abs(result) == NullOrder.last || !keys[index].descending { return result < 0 }
                    return result > 0
                }
            }
            return a < b
        }
        return table.selecting(RowMap(order))
    }
}

/// Three-way comparison of two rows of one column: -1, 0 or 1 between values, and
/// ±`NullOrder.last` when one side is null, so callers can keep nulls last when they
/// reverse the order of values.
struct CellComparator {
    let column: Column
    let reader: Reader

    enum Reader {
        case text(TextReader)
        case number(NumberReader)
        case boolean(BooleanReader)
    }

    init(_ column: Column) {
        self.column = column
        switch column.type {
        case .text: reader = .text(TextReader(.column(column)))
        case .integer, .float: reader = .number(NumberReader(.column(column)))
        case .boolean: reader = .boolean(BooleanReader(.column(column)))
        }
    }

    @inline(__always)
    func compare(_ i: Int, _ j: Int) -> Int {
        switch reader {
        case .text(let r):
            switch (r.bytes(i), r.bytes(j)) {
            case (nil, nil): return 0
            case (nil, _): return NullOrder.last
            case (_, nil): return -NullOrder.last
            case (let x?, let y?): return BytesOrder.compare(x, y).signum()
            }
        case .number(let r):
            if !r.isFloat {
                switch (r.integer(i), r.integer(j)) {
                case (nil, nil): return 0
                case (nil, _): return NullOrder.last
                case (_, nil): return -NullOrder.last
                case (let x?, let y?): return x < y ? -1 : (x == y ? 0 : 1)
                }
            }
            switch (r.double(i), r.double(j)) {
            case (nil, nil): return 0
            case (nil, _): return NullOrder.last
            case (_, nil): return -NullOrder.last
            case (let x?, let y?): return x < y ? -1 : (x == y ? 0 : 1)
            }
        case .boolean(let r):
            let x = r.raw(i), y = r.raw(j)
            if x == y { return 0 }
            if x == 2 { return NullOrder.last }
            if y == 2 { return -NullOrder.last }
            return x < y ? -1 : 1
        }
    }
}

/// Nulls compare as larger than any value: last in ascending order.
enum NullOrder {
    static let last = 2
}
