/// The cell ranges of a text column, in one of two layouts behind one interface:
///
/// - **wide**: a `ByteRange` (8 bytes) per cell; any range. Built from an array of ranges.
/// - **packed**: 4 bytes per cell, as the CSV scanner writes them: the cell's offset from
///   the start of its record (16 bits) and its length (16 bits), with the record starts
///   (`RecordStarts`, 4 bytes a row) shared by every column of the scan. A cell that
///   does not fit (a record longer than 64 KiB, a field of 64 KiB or more) is kept
///   wide on the side. For a ten-column file this is 4.4 bytes a cell instead of 8: a
///   1.5M-row sweep's columns take 66 MB instead of 120.
///
/// The scanner's buffers are adopted, never copied (copying a million-row file's ranges
/// out of the scanner cost 80 MB of fresh memory and a quarter of the load).
///
/// Value semantics as with `Array`: a write to a shared array copies it first.
public struct RangeArray: RandomAccessCollection, MutableCollection, Sendable, ExpressibleByArrayLiteral {
    private var storage: Storage

    public init() { storage = Storage(wideCount: 0) }

    public init(_ ranges: [ByteRange]) {
        storage = Storage(wideCount: ranges.count)
        ranges.withUnsafeBufferPointer { storage.wide!.initialize(from: $0.baseAddress!, count: ranges.count) }
    }

    public init(arrayLiteral elements: ByteRange...) { self.init(elements) }

    public init(repeating range: ByteRange, count: Int) {
        storage = Storage(wideCount: count)
        storage.wide!.initialize(repeating: range, count: count)
    }

    /// Takes packed cells from `LargeAllocation.allocate(bytes: allocatedBytes)` holding
    /// at least `count` initialized cells (see `PackedCell`), with the ranges of the
    /// cells marked `PackedCell.spilled` in `spilled`.
    init(adoptingPacked cells: UnsafeMutablePointer<UInt32>, count: Int, allocatedBytes: Int,
         recordStarts: RecordStarts, spilled: [Int32: ByteRange]) {
        precondition(recordStarts.count >= count, "fewer record starts than cells")
        storage = Storage(cells: cells, count: count, allocatedBytes: allocatedBytes,
                          recordStarts: recordStarts, spilled: spilled)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> ByteRange {
        @inline(__always) get {
            precondition(position >= 0 && position < storage.count, "range index out of bounds")
            return storage.range(position)
        }
        set {
            precondition(position >= 0 && position < storage.count, "range index out of bounds")
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            storage.store(newValue, at: position)
        }
    }

    /// The identity of the storage: equal identities mean equal contents.
    public var identity: ObjectIdentifier { ObjectIdentifier(storage) }

    /// Whether the cells are packed (for tests and memory reports).
    var isPacked: Bool { storage.cells != nil }

    /// Bytes the ranges take, the shared record starts counted in full.
    var footprintBytes: Int {
        if storage.cells != nil {
            return storage.count * 4 + (storage.recordStarts?.count ?? 0) * 4 + storage.spilled.count * 16
        }
        return storage.count * MemoryLayout<ByteRange>.stride
    }

    /// A reader of the ranges for a loop over many rows, valid while this array lives:
    /// the layout is decided once, not per row.
    public func withReader<R>(_ body: (Reader) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(Reader(storage)) }
    }

    /// Reads ranges without retaining the storage (see `withReader`).
    public struct Reader {
        private let wide: UnsafeMutablePointer<ByteRange>?
        private let cells: UnsafeMutablePointer<UInt32>?
        private let starts: UnsafeMutablePointer<UInt32>?
        private unowned(unsafe) let storage: Storage

        fileprivate init(_ storage: Storage) {
            self.storage = storage
            wide = storage.wide
            cells = storage.cells
            starts = storage.recordStarts?.base
        }

        @inline(__always)
        public subscript(position: Int) -> ByteRange {
            if let wide { return wide[position] }
            return PackedCell.range(cells.unsafelyUnwrapped[position], recordStart: starts.unsafelyUnwrapped[position]) {
                storage.spilled[Int32(position)]!
            }
        }
    }

    final class Storage: @unchecked Sendable {
        let count: Int
        let allocatedBytes: Int
        /// Wide layout: a range per cell.
        let wide: UnsafeMutablePointer<ByteRange>?
        /// Packed layout: a `PackedCell` per cell, the record starts, the spilled ranges.
        let cells: UnsafeMutablePointer<UInt32>?
        let recordStarts: RecordStarts?
        var spilled: [Int32: ByteRange]

        init(wideCount count: Int) {
            self.count = count
            allocatedBytes = Swift.max(1, count) * MemoryLayout<ByteRange>.stride
            wide = LargeAllocation.allocate(bytes: allocatedBytes).bindMemory(to: ByteRange.self, capacity: Swift.max(1, count))
            cells = nil
            recordStarts = nil
            spilled = [:]
        }

        init(cells: UnsafeMutablePointer<UInt32>, count: Int, allocatedBytes: Int, recordStarts: RecordStarts,
             spilled: [Int32: ByteRange]) {
            self.count = count
            self.allocatedBytes = allocatedBytes
            self.cells = cells
            self.recordStarts = recordStarts
            self.spilled = spilled
            wide = nil
        }

        deinit {
            if let wide { LargeAllocation.deallocate(UnsafeMutableRawPointer(wide), bytes: allocatedBytes) }
            if let cells { LargeAllocation.deallocate(UnsafeMutableRawPointer(cells), bytes: allocatedBytes) }
        }

        @inline(__always)
        func range(_ position: Int) -> ByteRange {
            if let wide { return wide[position] }
            return PackedCell.range(cells.unsafelyUnwrapped[position], recordStart: recordStarts.unsafelyUnwrapped.base[position]) {
                spilled[Int32(position)]!
            }
        }

        /// Stores a range; in the packed layout one that does not fit its record's
        /// start is spilled.
        func store(_ range: ByteRange, at position: Int) {
            if let wide {
                wide[position] = range
                return
            }
            let cell = PackedCell.pack(range, recordStart: recordStarts!.base[position])
            cells![position] = cell
            if cell == PackedCell.spilled {
                spilled[Int32(position)] = range
            } else {
                spilled[Int32(position)] = nil
            }
        }

        func copy() -> Storage {
            if let wide {
                let copy = Storage(wideCount: count)
                copy.wide!.initialize(from: wide, count: count)
                return copy
            }
            let bytes = Swift.max(1, count) * MemoryLayout<UInt32>.stride
            let copied = LargeAllocation.allocate(bytes: bytes).bindMemory(to: UInt32.self, capacity: Swift.max(1, count))
            copied.initialize(from: cells!, count: count)
            return Storage(cells: copied, count: count, allocatedBytes: bytes, recordStarts: recordStarts!, spilled: spilled)
        }
    }
}

/// The start offset of each record of one scan, shared by the packed columns it made.
final class RecordStarts: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt32>
    let count: Int
    private let allocatedBytes: Int

    /// Takes memory from `LargeAllocation.allocate(bytes: allocatedBytes)` holding at
    /// least `count` initialized offsets.
    init(adopting base: UnsafeMutablePointer<UInt32>, count: Int, allocatedBytes: Int) {
        self.base = base
        self.count = count
        self.allocatedBytes = allocatedBytes
    }

    deinit { LargeAllocation.deallocate(UnsafeMutableRawPointer(base), bytes: allocatedBytes) }
}

/// A cell of the packed layout: `offset << 16 | length`, the offset counted from the
/// start of the cell's record. An offset of 0xFFFF never occurs in a packed cell, so the
/// two values with it are free to mean a null cell and a cell kept on the side.
enum PackedCell {
    static let null: UInt32 = 0xFFFF_FFFF
    static let spilled: UInt32 = 0xFFFF_0000

    @inline(__always)
    static func pack(_ range: ByteRange, recordStart: UInt32) -> UInt32 {
        if range.isNull { return null }
        guard range.start >= recordStart else { return spilled }
        let offset = range.start &- recordStart
        guard offset < 0xFFFF, range.count <= 0xFFFF else { return spilled }
        return offset << 16 | range.count
    }

    @inline(__always)
    static func range(_ cell: UInt32, recordStart: UInt32, spilledRange: () -> ByteRange) -> ByteRange {
        if cell >= spilled { return cell == null ? .null : spilledRange() }
        return ByteRange(start: recordStart &+ cell >> 16, count: cell & 0xFFFF)
    }
}
