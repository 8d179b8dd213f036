/// Shared row indirection: a column's logical row `i` is physical row `indices[i]`;
/// a negative entry is a missing row (the null side of a left join).
///
/// Filters, sorts, limits and joins produce a `RowMap` once and hand the same object
/// to every column of the table, so a `where` over a wide table costs one index array,
/// not a copy of every column. It is a class so operators can recognise columns that
/// share a map and compose it once (`Table.selecting`).
public final class RowMap: Sendable {
    public let indices: [Int32]

    public init(_ indices: [Int32]) { self.indices = indices }

    public var count: Int { indices.count }
}

/// A typed column: dense storage plus an optional `RowMap`.
public struct Column: Sendable {
    public enum Storage: Sendable {
        case text(TextStorage)
        case integer([Int64], valid: [Bool])
        case float([Double], valid: [Bool])
        /// 0 false, 1 true, 2 null.
        case boolean([UInt8])
    }

    public var storage: Storage
    public var rows: RowMap?

    public init(_ storage: Storage, rows: RowMap? = nil) {
        self.storage = storage
        self.rows = rows
    }

    public var type: ColumnType {
        switch storage {
        case .text: return .text
        case .integer: return .integer
        case .float: return .float
        case .boolean: return .boolean
        }
    }

    public var count: Int {
        if let rows { return rows.count }
        return physicalCount
    }

    var physicalCount: Int {
        switch storage {
        case .text(let text): return text.ranges.count
        case .integer(let values, _): return values.count
        case .float(let values, _): return values.count
        case .boolean(let values): return values.count
        }
    }

    /// The physical row behind logical row `i`, or -1 for a missing row.
    @inline(__always)
    public func physical(_ i: Int) -> Int {
        guard let rows else { return i }
        return Int(rows.indices[i])
    }

    public func isNull(_ i: Int) -> Bool {
        let p = physical(i)
        if p < 0 { return true }
        switch storage {
        case .text(let text): return text.ranges[p].isNull
        case .integer(_, let valid), .float(_, let valid): return !valid.isEmpty && !valid[p]
        case .boolean(let values): return values[p] == 2
        }
    }

    /// The boxed value of logical row `i` (edges only: rendering, small tables).
    public func value(at i: Int) -> Value {
        let p = physical(i)
        if p < 0 { return .null }
        switch storage {
        case .text(let text):
            guard let bytes = text.bytes(p) else { return .null }
            return .text(String(decoding: bytes, as: UTF8.self))
        case .integer(let values, let valid):
            return !valid.isEmpty && !valid[p] ? .null : .integer(values[p])
        case .float(let values, let valid):
            return !valid.isEmpty && !valid[p] ? .null : .float(values[p])
        case .boolean(let values):
            return values[p] == 2 ? .null : .boolean(values[p] == 1)
        }
    }

    /// The UTF-8 bytes of a text cell (valid while the column lives), nil for null or non-text.
    @inline(__always)
    public func textBytes(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        guard case .text(let text) = storage else { return nil }
        let p = physical(i)
        return p < 0 ? nil : text.bytes(p)
    }

    /// The column with `map` applied on top of its own indirection.
    public func selecting(_ map: RowMap) -> Column {
        Column(storage, rows: rows.map { RowMap.compose($0, map) } ?? map)
    }

    /// A copy with no indirection, holding only the rows it shows (drops unreferenced
    /// storage, e.g. before a small result is kept while a large input is released).
    public func compacted() -> Column {
        guard rows != nil else { return self }
        var builder = ColumnBuilder(type: type, capacity: count)
        for i in 0..<count { builder.append(from: self, row: i) }
        return builder.finish()
    }
}

extension RowMap {
    /// `outer ∘ inner`: logical row i of the result is `inner.indices[outer.indices[i]]`.
    static func compose(_ inner: RowMap, _ outer: RowMap) -> RowMap {
        let innerIndices = inner.indices
        var result = [Int32](repeating: 0, count: outer.count)
        result.withUnsafeMutableBufferPointer { out in
            innerIndices.withUnsafeBufferPointer { innerBuffer in
                for (i, o) in outer.indices.enumerated() {
                    out[i] = o < 0 ? -1 : innerBuffer[Int(o)]
                }
            }
        }
        return RowMap(result)
    }

    /// Rows `0..<count` in order.
    static func identity(_ count: Int) -> RowMap {
        RowMap((0..<count).map { Int32($0) })
    }
}

/// Text cells as ranges into one or more arenas. With several arenas (a union of files),
/// `arenaOfRow` says which arena each physical row's range points into.
public struct TextStorage: Sendable {
    public var arenas: [ByteArena]
    public var ranges: RangeArray
    public var arenaOfRow: [UInt16]

    public init(arena: ByteArena, ranges: RangeArray) {
        self.arenas = [arena]
        self.ranges = ranges
        self.arenaOfRow = []
    }

    public init(arena: ByteArena, ranges: [ByteRange]) {
        self.init(arena: arena, ranges: RangeArray(ranges))
    }

    public init(arenas: [ByteArena], ranges: [ByteRange], arenaOfRow: [UInt16]) {
        self.init(arenas: arenas, ranges: RangeArray(ranges), arenaOfRow: arenaOfRow)
    }

    public init(arenas: [ByteArena], ranges: RangeArray, arenaOfRow: [UInt16]) {
        self.arenas = arenas
        self.ranges = ranges
        self.arenaOfRow = arenas.count > 1 ? arenaOfRow : []
    }

    @inline(__always)
    public func bytes(_ physicalRow: Int) -> UnsafeBufferPointer<UInt8>? {
        let range = ranges[physicalRow]
        if range.isNull { return nil }
        let arena = arenaOfRow.isEmpty ? arenas[0] : arenas[Int(arenaOfRow[physicalRow])]
        return arena.buffer(range)
    }
}
