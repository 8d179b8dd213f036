/// `sort`: a stable ordering by keys, nulls last, ties kept in input order so the
/// result is the same on every run and machine. Text sorts by code point.
enum Sorting {
    static func sort(_ table: Table, by keys: [SortKey], functions: FunctionLibrary,
                     isCancelled: () -> Bool) throws -> Table {
        let evaluator = ExpressionEvaluator(table: table, functions: functions)
        let columns = try keys.map { key throws(Diagnostic) in try evaluator.evaluate(key.expression).column(count: table.rowCount) }
        let comparators = columns.map(CellComparator.init)
        if isCancelled() { throw LoadCancelled() }
        // Rows are sorted by a 64-bit key for the first sort key: for text, the rank of
        // the row's value among the distinct values (so rows with equal values never
        // compare their bytes again), else an order-preserving prefix. Only rows whose
        // keys tie are compared in full, from the first key that can still differ.
        var entries: [SortEntry]
        var firstToCompare = 0
        if let ranks = try TextRanks(column: columns.first, descending: keys.first?.descending ?? false, isCancelled: isCancelled) {
            entries = (0..<table.rowCount).map { SortEntry(prefix: ranks.key(of: $0), row: Int32($0)) }
            firstToCompare = 1
        } else {
            let first = comparators.first
            entries = (0..<table.rowCount).map { row in
                SortEntry(prefix: first.map { $0.prefix(row, descending: keys[0].descending) } ?? 0, row: Int32(row))
            }
        }
        if isCancelled() { throw LoadCancelled() }
        entries.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            let i = Int(a.row), j = Int(b.row)
            for index in firstToCompare..<comparators.count {
                let comparator = comparators[index]
                let result = comparator.compare(i, j)
                if result != 0 {
                    // Nulls stay last whichever way the values run.
                    if abs(result) == NullOrder.last || !keys[index].descending { return result < 0 }
                    return result > 0
                }
            }
            return a.row < b.row
        }
        return table.selecting(RowMap(entries.map(\.row)))
    }
}

/// A row and the 64-bit prefix of its first sort key.
struct SortEntry {
    var prefix: UInt64
    var row: Int32
}

/// The rank of each row's text among the column's distinct values, in byte order:
/// grouping first makes equal values one entry, so a column with many repeats sorts
/// its distinct values once and its rows as integers. Nulls rank last either way.
struct TextRanks {
    private let rankOfGroup: [UInt64]
    private let groupOfRow: [Int32]

    /// Nil when the column is not text.
    init?(column: Column?, descending: Bool, isCancelled: () -> Bool) throws {
        guard let column, column.type == .text else { return nil }
        let rows = column.count
        let index = try GroupIndex(keys: KeyColumns([column]), rowCount: rows, groupNulls: true, isCancelled: isCancelled)
        let comparator = CellComparator(column)
        var groups = (0..<index.groupCount).map { group in
            SortEntry(prefix: comparator.prefix(Int(index.firstRow[group]), descending: false), row: Int32(group))
        }
        groups.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return comparator.compare(Int(index.firstRow[Int(a.row)]), Int(index.firstRow[Int(b.row)])) < 0
        }
        var ranks = [UInt64](repeating: 0, count: index.groupCount)
        for (rank, group) in groups.enumerated() {
            let isNull = column.isNull(Int(index.firstRow[Int(group.row)]))
            ranks[Int(group.row)] = isNull ? .max : (descending ? UInt64(groups.count - rank) : UInt64(rank))
        }
        rankOfGroup = ranks
        groupOfRow = index.groupOfRow
    }

    func key(of row: Int) -> UInt64 { rankOfGroup[Int(groupOfRow[row])] }
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

extension CellComparator {
    /// A 64-bit key that orders like `compare` wherever two keys differ: `prefix(i) <
    /// prefix(j)` implies row i sorts before row j (descending reverses the values,
    /// nulls stay last). Equal prefixes say nothing; compare such rows in full. Text
    /// gives its first 8 bytes big-endian (a null, UInt64.max, is above every UTF-8
    /// prefix), integers their value shifted to unsigned; other types give 0.
    func prefix(_ row: Int, descending: Bool) -> UInt64 {
        let value: UInt64
        switch reader {
        case .text(let r):
            guard let bytes = r.bytes(row) else { return .max }
            var key: UInt64 = 0
            for index in 0..<8 { key = key << 8 | UInt64(index < bytes.count ? bytes[index] : 0) }
            value = key
        case .number(let r):
            guard !r.isFloat else { return 0 }
            guard let integer = r.integer(row) else { return .max }
            value = UInt64(bitPattern: integer) ^ (1 << 63)
        case .boolean:
            return 0
        }
        return descending ? ~value : value
    }
}

/// Nulls compare as larger than any value: last in ascending order.
enum NullOrder {
    static let last = 2
}
