/// Builds a dense column of one type, row by row. Kernels that produce text write into
/// one new arena; boxed `Value`s are accepted for small tables (listings, describe).
public struct ColumnBuilder: ~Copyable {
    public let type: ColumnType
    private var arena: ByteArenaBuilder
    private var ranges: [ByteRange] = []
    private var integers: [Int64] = []
    private var floats: [Double] = []
    private var booleans: [UInt8] = []
    private var valid: [Bool] = []
    private var hasNull = false

    public init(type: ColumnType, capacity: Int = 0) {
        self.type = type
        self.arena = ByteArenaBuilder(capacity: type == .text ? max(64, capacity * 8) : 16)
        switch type {
        case .text: ranges.reserveCapacity(capacity)
        case .integer: integers.reserveCapacity(capacity); valid.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity); valid.reserveCapacity(capacity)
        case .boolean: booleans.reserveCapacity(capacity)
        }
    }

    public var count: Int {
        switch type {
        case .text: return ranges.count
        case .integer: return integers.count
        case .float: return floats.count
        case .boolean: return booleans.count
        }
    }

    public mutating func appendNull() {
        hasNull = true
        switch type {
        case .text: ranges.append(.null)
        case .integer: integers.append(0); valid.append(false)
        case .float: floats.append(0); valid.append(false)
        case .boolean: booleans.append(2)
        }
    }

    @inline(__always)
    public mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) {
        ranges.append(arena.append(bytes))
    }

    public mutating func appendText(_ string: String) {
        ranges.append(arena.append(string))
    }

    /// Starts a text value written in pieces with `arena` appends; close with `endText`.
    public var textStart: Int { arena.count }

    @inline(__always)
    public mutating func appendTextPiece(_ bytes: UnsafeBufferPointer<UInt8>) { arena.appendBytes(bytes) }

    @inline(__always)
    public mutating func appendTextByte(_ byte: UInt8) { arena.appendByte(byte) }

    public mutating func endText(startedAt start: Int) { ranges.append(arena.range(from: start)) }

    @inline(__always)
    public mutating func appendInteger(_ value: Int64) {
        integers.append(value)
        valid.append(true)
    }

    @inline(__always)
    public mutating func appendFloat(_ value: Double) {
        floats.append(value)
        valid.append(true)
    }

    @inline(__always)
    public mutating func appendBoolean(_ value: Bool) { booleans.append(value ? 1 : 0) }

    /// Appends a boxed value, converting numbers to text for a text column.
    public mutating func append(_ value: Value) {
        switch (type, value) {
        case (_, .null): appendNull()
        case (.text, _): appendText(value.text!)
        case (.integer, .integer(let v)): appendInteger(v)
        case (.integer, .boolean(let v)): appendInteger(v ? 1 : 0)
        case (.float, .float(let v)): appendFloat(v)
        case (.float, .integer(let v)): appendFloat(Double(v))
        case (.boolean, .boolean(let v)): appendBoolean(v)
        default: appendNull()
        }
    }

    /// Copies logical row `row` of a column of the same type.
    public mutating func append(from column: Column, row: Int) {
        let p = column.physical(row)
        if p < 0 { appendNull(); return }
        switch column.storage {
        case .text(let text):
            if let bytes = text.bytes(p) { appendText(bytes) } else { appendNull() }
        case .integer(let values, let validity):
            if !validity.isEmpty && !validity[p] { appendNull() } else if type == .float {
                appendFloat(Double(values[p]))
            } else { appendInteger(values[p]) }
        case .float(let values, let validity):
            if !validity.isEmpty && !validity[p] { appendNull() } else { appendFloat(values[p]) }
        case .boolean(let values):
            if values[p] == 2 { appendNull() } else { appendBoolean(values[p] == 1) }
        }
    }

    public consuming func finish() -> Column {
        let validity = hasNull ? valid : []
        switch type {
        case .text: return Column(.text(TextStorage(arena: arena.finish(), ranges: ranges)))
        case .integer: return Column(.integer(integers, valid: validity))
        case .float: return Column(.float(floats, valid: validity))
        case .boolean: return Column(.boolean(booleans))
        }
    }
}
