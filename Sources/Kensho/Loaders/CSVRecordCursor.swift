/// The inner loop of `CSVScanner`: one record at a time, cells written straight into a
/// part's column buffers.
struct RecordCursor {
    let scanner: CSVScanner
    /// Where the part ends; a quoted field may not run past it.
    let end: Int

    struct Record {
        var next: Int
        var nextLine: Int32
        var fieldCount: Int
        var textAfterQuote = false
        var isBlank = false
    }

    /// Reads one record without storing it (the header, or the first row that fixes the
    /// column count), with its fields. (The fields are returned beside the record, not
    /// in it: a `Record` holding an array cost a release per record scanned.)
    mutating func nextRecord(from position: Int, line: Int32) throws -> (record: Record, fields: [ByteRange])? {
        var scratch = CSVScanner.Part(columns: try ColumnBuffers(columns: 0, capacity: 1), lines: try LineBuffer(capacity: 1))
        var fields: [ByteRange] = []
        let record = try read(from: position, line: line, row: 0, columnCount: 0, part: &scratch) { fields.append($1) }
        guard let record else { return nil }
        return (record, fields)
    }

    /// Reads one record into `part` as `row`; nil at the end of the part.
    mutating func scanInto(_ part: inout CSVScanner.Part, row: Int, from position: Int, line: Int32,
                           columnCount: Int) throws -> Record? {
        try part.columns.ensure(row + 1)
        let recordStart = UInt32(position)
        part.columns.setRecordStart(row, recordStart)
        let record = try read(from: position, line: line, row: row, columnCount: columnCount, part: &part) { _, _ in }
        if let record, !record.isBlank, record.fieldCount < columnCount {
            for column in record.fieldCount..<columnCount { part.columns.set(column, row, .null, recordStart: recordStart) }
        }
        return record
    }

    /// The scanning loop. Fields below `columnCount` go to `part.columns`; the rest to
    /// `part.extras`; `collect` sees every field (for the header).
    @inline(__always)
    private mutating func read(from start: Int, line startLine: Int32, row: Int, columnCount: Int,
                               part: inout CSVScanner.Part,
                               collect: (Int, ByteRange) -> Void) throws -> Record? {
        guard let base = scanner.bytes.baseAddress, start < end else { return nil }
        let delimiter = scanner.dialect.delimiter
        let quote = scanner.dialect.quote
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiterMask = UInt64(delimiter) &* ones
        let lfMask = UInt64(lf) &* ones
        let crMask = UInt64(cr) &* ones
        /// 0x80 in each byte of `x` that is zero, and possibly in bytes above the first
        /// zero byte (borrows); zero when no byte is (little-endian: low bytes first).
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }

        var position = start
        var line = startLine
        // A blank line carries no data.
        if base[position] == lf || base[position] == cr {
            if base[position] == cr, position + 1 < end, base[position + 1] == lf { position += 1 }
            return Record(next: position + 1, nextLine: line + 1, fieldCount: 0, isBlank: true)
        }
        var field = 0
        var textAfterQuote = false
        let recordStart = UInt32(truncatingIfNeeded: start)
        @inline(__always) func emit(_ range: ByteRange) {
            collect(field, range)
            if field < columnCount {
                part.columns.set(field, row, range, recordStart: recordStart)
            } else if columnCount > 0 {
                part.extras.append((Int32(row), Int32(field), range))
            }
            field += 1
        }
        while true {
            if position < end, base[position] == quote {
                let fieldStart = position + 1
                var i = fieldStart
                var escaped = false
                while true {
                    guard i < end else {
                        throw CSVScanner.UnterminatedQuote(line: Int(startLine), byteOffset: position)
                    }
                    let b = base[i]
                    if b == quote {
                        if i + 1 < end, base[i + 1] == quote {
                            escaped = true
                            i += 2
                            continue
                        }
                        break
                    }
                    if b == lf { line += 1 } else if b == cr, i + 1 < end, base[i + 1] != lf { line += 1 }
                    i += 1
                }
                var range = ByteRange(start: UInt32(fieldStart), count: UInt32(i - fieldStart))
                position = i + 1
                // Text between the closing quote and the delimiter ("ab"cd): keep it as part
                // of the cell rather than lose it, and report the record.
                if position < end, base[position] != delimiter, base[position] != lf, base[position] != cr {
                    textAfterQuote = true
                    escaped = false
                    var j = position
                    while j < end, base[j] != delimiter, base[j] != lf, base[j] != cr { j += 1 }
                    range = ByteRange(start: UInt32(fieldStart - 1), count: UInt32(j - fieldStart + 1))
                    position = j
                }
                // An extra field's column index is its field index, as `assemble` places it.
                if escaped, columnCount > 0 { part.escaped.append((Int32(field), Int32(row))) }
                emit(range)
            } else {
                var i = position
                while i + 8 <= end {
                    let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let found = zeroBytes(word ^ delimiterMask) | zeroBytes(word ^ lfMask) | zeroBytes(word ^ crMask)
                    if found != 0 {
                        // The lowest flagged byte is exact (only bytes above a true zero
                        // byte can be flagged falsely): the field ends there.
                        i += found.trailingZeroBitCount >> 3
                        break
                    }
                    i += 8
                }
                while i < end {
                    let b = base[i]
                    if b == delimiter || b == lf || b == cr { break }
                    i += 1
                }
                emit(i == position ? .null : ByteRange(start: UInt32(position), count: UInt32(i - position)))
                position = i
            }
            guard position < end else { break }
            let b = base[position]
            position += 1
            if b == delimiter {
                // One more field follows: refuse it past the limit, before it costs anything.
                if field >= LoadLimits.maximumColumns {
                    throw TooManyFields(byteOffset: position)
                }
                if position >= end {
                    emit(.null)
                    break
                }
                continue
            }
            if b == cr, position < end, base[position] == lf { position += 1 }
            line += 1
            break
        }
        return Record(next: position, nextLine: line, fieldCount: field, textAfterQuote: textAfterQuote)
    }
}

/// Per-column buffers of packed cells (`PackedCell`) and the record starts they are
/// counted from, grown together, owned by one scanning part. Cells that do not fit the
/// packed layout are listed in `spilled`.
final class ColumnBuffers: @unchecked Sendable {
    // One scanning part owns these and uses them from one thread: the dynamic
    // exclusivity check of a class property (a runtime call, once per record) is
    // skipped.
    @exclusivity(unchecked) private(set) var pointers: [UnsafeMutablePointer<UInt32>]
    @exclusivity(unchecked) private(set) var recordStarts: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) private(set) var capacity: Int
    @exclusivity(unchecked) var rows = 0
    /// Cells whose range does not fit the packed layout: (row, column, range).
    @exclusivity(unchecked) var spilled: [(row: Int32, column: Int32, range: ByteRange)] = []

    private var capacities: [Int]
    private var recordStartsCapacity: Int

    init(columns: Int, capacity: Int) throws(OutOfMemory) {
        self.capacity = max(16, capacity)
        capacities = []
        pointers = []
        recordStarts = try ColumnBuffers.allocate(self.capacity)
        recordStartsCapacity = self.capacity
        for _ in 0..<columns {
            pointers.append(try ColumnBuffers.allocate(self.capacity))
            capacities.append(self.capacity)
        }
    }

    deinit {
        for (pointer, capacity) in zip(pointers, capacities) { ColumnBuffers.free(pointer, capacity) }
        ColumnBuffers.free(recordStarts, recordStartsCapacity)
    }

    private static func allocate(_ capacity: Int) throws(OutOfMemory) -> UnsafeMutablePointer<UInt32> {
        let bytes = capacity * MemoryLayout<UInt32>.stride
        guard let memory = LargeAllocation.allocateIfPossible(bytes: bytes) else { throw OutOfMemory(bytes: bytes) }
        return memory.bindMemory(to: UInt32.self, capacity: capacity)
    }

    private static func free(_ pointer: UnsafeMutablePointer<UInt32>, _ capacity: Int) {
        LargeAllocation.deallocate(UnsafeMutableRawPointer(pointer), bytes: capacity * MemoryLayout<UInt32>.stride)
    }

    @inline(__always)
    func ensure(_ count: Int) throws(OutOfMemory) {
        guard count > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count { newCapacity *= 2 }
        func grow(_ pointer: inout UnsafeMutablePointer<UInt32>, _ capacity: inout Int) throws(OutOfMemory) {
            let grown = try ColumnBuffers.allocate(newCapacity)
            grown.moveInitialize(from: pointer, count: rows)
            ColumnBuffers.free(pointer, capacity)
            pointer = grown
            capacity = newCapacity
        }
        for index in pointers.indices { try grow(&pointers[index], &capacities[index]) }
        try grow(&recordStarts, &recordStartsCapacity)
        capacity = newCapacity
    }

    /// The column buffers (one per column, in order) and the record starts, for a
    /// writer of whole rows below `capacity` (the C fast path), which then sets `rows`.
    func withColumnPointers<R>(_ body: (UnsafeBufferPointer<UnsafeMutablePointer<UInt32>>, UnsafeMutablePointer<UInt32>) -> R) -> R {
        pointers.withUnsafeBufferPointer { body($0, recordStarts) }
    }

    @inline(__always)
    func setRecordStart(_ row: Int, _ offset: UInt32) {
        (recordStarts + row).initialize(to: offset)
    }

    @inline(__always)
    func set(_ column: Int, _ row: Int, _ range: ByteRange, recordStart: UInt32) {
        let cell = PackedCell.pack(range, recordStart: recordStart)
        (pointers[column] + row).initialize(to: cell)
        if cell == PackedCell.spilled { spilled.append((Int32(row), Int32(column), range)) }
    }

    func column(_ index: Int) -> UnsafeMutablePointer<UInt32> { pointers[index] }

    /// Hands one column's buffer to its new owner (with the byte size to free it by).
    func take(_ index: Int) -> (UnsafeMutablePointer<UInt32>, Int) {
        let taken = (pointers[index], capacities[index] * MemoryLayout<UInt32>.stride)
        pointers[index] = ColumnBuffers.placeholder()
        capacities[index] = 1
        return taken
    }

    /// Hands the record starts to their new owner, as `take` does a column.
    func takeRecordStarts() -> RecordStarts {
        let taken = RecordStarts(adopting: recordStarts, count: rows,
                                 allocatedBytes: recordStartsCapacity * MemoryLayout<UInt32>.stride)
        recordStarts = ColumnBuffers.placeholder()
        recordStartsCapacity = 1
        return taken
    }

    /// Frees one column's buffer once it has been copied out.
    func release(_ index: Int) {
        ColumnBuffers.free(pointers[index], capacities[index])
        pointers[index] = ColumnBuffers.placeholder()
        capacities[index] = 1
    }

    /// A one-cell buffer left where a buffer was handed on or freed.
    private static func placeholder() -> UnsafeMutablePointer<UInt32> {
        LargeAllocation.allocate(bytes: MemoryLayout<UInt32>.stride).bindMemory(to: UInt32.self, capacity: 1)
    }
}

/// Record start lines: those of one scanning part, then all of them assembled. Memory
/// the system refuses is an error (`OutOfMemory`), as for the column buffers: a
/// million-row file needs megabytes here.
final class LineBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) throws(OutOfMemory) {
        self.capacity = max(16, capacity)
        base = try LineBuffer.allocate(self.capacity)
    }

    deinit { LargeAllocation.deallocate(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<Int32>.stride) }

    private static func allocate(_ capacity: Int) throws(OutOfMemory) -> UnsafeMutablePointer<Int32> {
        let bytes = capacity * MemoryLayout<Int32>.stride
        guard let memory = LargeAllocation.allocateIfPossible(bytes: bytes) else { throw OutOfMemory(bytes: bytes) }
        return memory.bindMemory(to: Int32.self, capacity: capacity)
    }

    @inline(__always)
    func append(_ line: Int32) throws(OutOfMemory) {
        if count == capacity { try grow(toHold: count + 1) }
        (base + count).initialize(to: line)
        count += 1
    }

    /// Appends `lines`, each plus `shift` (a later scanning part's, which counted from 1).
    func append(contentsOf lines: UnsafeBufferPointer<Int32>, adding shift: Int32) throws(OutOfMemory) {
        if count + lines.count > capacity { try grow(toHold: count + lines.count) }
        for (index, line) in lines.enumerated() { (base + count + index).initialize(to: line + shift) }
        count += lines.count
    }

    /// Doubles the capacity until `needed` lines fit, moving the lines already held.
    private func grow(toHold needed: Int) throws(OutOfMemory) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let grown = try LineBuffer.allocate(newCapacity)
        grown.moveInitialize(from: base, count: count)
        LargeAllocation.deallocate(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<Int32>.stride)
        base = grown
        capacity = newCapacity
    }

    /// Counts `added` lines written in place at `base + count` (within `capacity`).
    func didAppend(_ added: Int) {
        precondition(count + added <= capacity, "lines written past the buffer's capacity")
        count += added
    }

    var buffer: UnsafeBufferPointer<Int32> { UnsafeBufferPointer(start: base, count: count) }
}
