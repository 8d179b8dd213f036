import Foundation

/// The columns of a JSON load while it is read: the union of the records' flattened
/// keys in the order they first appear, each value kept as a byte range and its JSON
/// kind. A column's type is decided only at the end, over all its values:
///
/// - only booleans (and nulls): a boolean column;
/// - only numbers: integer or float by `TypeInference`, the CSV loader's rule (every
///   value reads back byte for byte; code columns such as ids stay text), else text;
/// - anything else, including a mix of kinds: text, each value keeping its own text
///   (a string its decoded characters, a number or boolean its JSON text, an array its
///   compact JSON text).
///
/// A key missing from a record and JSON `null` are both null. Ranges point into the
/// file's text (strings without escapes, numbers, literals) or into the flattener's
/// buffer of decoded strings and compacted arrays; the kind's high bit says which.
struct JSONColumns {
    enum Kind: UInt8 {
        case null = 0, string, number, boolean, json
    }

    /// Set on a stored kind when its range points into the decoded buffer.
    static let decodedFlag: UInt8 = 0x80

    struct Accumulator {
        var name: [UInt8]
        var kinds: [UInt8] = []
        var ranges: [ByteRange] = []
        /// One bit per `Kind` seen, nulls excepted.
        var seen: UInt8 = 0

        /// Records row `row`'s value; false when the row already has one (a duplicate key).
        @inline(__always)
        mutating func record(row: Int, kind: Kind, range: ByteRange, decoded: Bool) -> Bool {
            if kinds.count > row { return false }
            pad(to: row)
            kinds.append(kind.rawValue | (decoded ? JSONColumns.decodedFlag : 0))
            ranges.append(kind == .null ? .null : range)
            if kind != .null { seen |= 1 << kind.rawValue }
            return true
        }

        mutating func pad(to count: Int) {
            guard kinds.count < count else { return }
            kinds.append(contentsOf: repeatElement(Kind.null.rawValue, count: count - kinds.count))
            ranges.append(contentsOf: repeatElement(.null, count: count - ranges.count))
        }
    }

    private(set) var columns: [Accumulator] = []
    /// The size of the file read, which bounds columns × rows (`LoadLimits.maximumCells`):
    /// null padding must not cost more than the file could.
    var inputBytes: Int?
    var maximumCells: Int { inputBytes.map(LoadLimits.maximumCells(forInputBytes:)) ?? .max }
    private var index: [[UInt8]: Int] = [:]
    private(set) var rowCount = 0
    /// The columns of the previous record in order: records of one dump usually list
    /// the same keys in the same order, so the next key is checked against this first
    /// and the hash lookup (which copies the key) is the exception.
    private var previousOrder: [Int] = []
    private var currentOrder: [Int] = []

    mutating func beginRecord() {
        currentOrder.removeAll(keepingCapacity: true)
    }

    enum Stored { case stored, duplicate, tooManyColumns, tooManyCells }

    /// Sets the current record's value at the dotted key `path`: `duplicate` when the
    /// record already has a value there, `tooManyColumns` when the key would be column
    /// number `LoadLimits.maximumColumns + 1`, `tooManyCells` when a new column would
    /// take the table past `maximumCells`.
    mutating func set(_ path: UnsafeBufferPointer<UInt8>, kind: Kind, range: ByteRange, decoded: Bool) -> Stored {
        guard let column = columnIndex(for: path) else {
            return columns.count < LoadLimits.maximumColumns ? .tooManyCells : .tooManyColumns
        }
        currentOrder.append(column)
        return columns[column].record(row: rowCount, kind: kind, range: range, decoded: decoded) ? .stored : .duplicate
    }

    /// Ends the current record; false when its row takes the table past `maximumCells`.
    mutating func endRecord() -> Bool {
        rowCount += 1
        guard columns.count * rowCount <= maximumCells else { return false }
        if currentOrder != previousOrder { swap(&currentOrder, &previousOrder) }
        return true
    }

    private mutating func columnIndex(for path: UnsafeBufferPointer<UInt8>) -> Int? {
        let position = currentOrder.count
        if position < previousOrder.count {
            let predicted = previousOrder[position]
            let matches = columns[predicted].name.withUnsafeBufferPointer { name in
                name.count == path.count && (path.count == 0 || memcmp(name.baseAddress!, path.baseAddress!, path.count) == 0)
            }
            if matches { return predicted }
        }
        let key = Array(path)
        if let existing = index[key] { return existing }
        guard columns.count < LoadLimits.maximumColumns, (columns.count + 1) * (rowCount + 1) <= maximumCells else {
            return nil
        }
        columns.append(Accumulator(name: key))
        index[key] = columns.count - 1
        return columns.count - 1
    }

    /// The typed columns and their fields. `text` is the arena the scanned text lives in,
    /// `decoded` the one built from the flattener's buffer.
    func finish(text: ByteArena, decoded: ByteArena) -> (fields: [Field], columns: [Column]) {
        var fields: [Field] = []
        var result: [Column] = []
        var taken = Set(Field.provenanceNames)
        for (position, accumulator) in columns.enumerated() {
            var accumulator = accumulator
            accumulator.pad(to: rowCount)
            var name = String(decoding: accumulator.name, as: UTF8.self)
            if name.isEmpty { name = "column_\(position + 1)" }
            var unique = name
            var suffix = 2
            while taken.contains(unique) {
                unique = "\(name)_\(suffix)"
                suffix += 1
            }
            taken.insert(unique)
            let column = JSONColumns.column(accumulator, name: unique, text: text, decoded: decoded)
            fields.append(Field(name: unique, type: column.type))
            result.append(column)
        }
        return (fields, result)
    }

    private static func column(_ accumulator: Accumulator, name: String, text: ByteArena, decoded: ByteArena) -> Column {
        switch accumulator.seen {
        case 1 << Kind.boolean.rawValue:
            let values = zip(accumulator.kinds, accumulator.ranges).map { kind, range -> UInt8 in
                kind == Kind.null.rawValue ? 2 : (text.base[Int(range.start)] == UInt8(ascii: "t") ? 1 : 0)
            }
            return Column(.boolean(values))
        case 1 << Kind.number.rawValue:
            // Number text is never escaped, so every range is in the file's text.
            return TypeInference.infer(RangeArray(accumulator.ranges), arena: text, header: name)
        default:
            let usesDecoded = accumulator.kinds.contains { $0 & decodedFlag != 0 }
            guard usesDecoded else {
                return Column(.text(TextStorage(arena: text, ranges: accumulator.ranges)))
            }
            let arenaOfRow = accumulator.kinds.map { UInt16($0 >> 7) }
            return Column(.text(TextStorage(arenas: [text, decoded], ranges: accumulator.ranges, arenaOfRow: arenaOfRow)))
        }
    }
}
