/// The cell ranges of a text column: an array of `ByteRange` whose storage can also be
/// adopted from a loader's own buffer, so a scanned file's cells become a column
/// without being copied (copying a million-row file's ranges out of the scanner cost
/// 80 MB of fresh memory and a quarter of the load).
///
/// Value semantics as with `Array`: a write to a shared array copies it first.
public struct RangeArray: RandomAccessCollection, MutableCollection, Sendable, ExpressibleByArrayLiteral {
    final class Storage: @unchecked Sendable {
        let base: UnsafeMutablePointer<ByteRange>
        let count: Int
        let allocatedBytes: Int

        init(count: Int) {
            self.count = count
            allocatedBytes = Swift.max(1, count) * MemoryLayout<ByteRange>.stride
            base = LargeAllocation.allocate(bytes: allocatedBytes).bindMemory(to: ByteRange.self, capacity: Swift.max(1, count))
        }

        /// Takes memory from `LargeAllocation.allocate(bytes: allocatedBytes)` holding at
        /// least `count` initialized ranges.
        init(adopting base: UnsafeMutablePointer<ByteRange>, count: Int, allocatedBytes: Int) {
            self.base = base
            self.count = count
            self.allocatedBytes = allocatedBytes
        }

        deinit { LargeAllocation.deallocate(UnsafeMutableRawPointer(base), bytes: allocatedBytes) }
    }

    private var storage: Storage

    public init() { storage = Storage(count: 0) }

    public init(_ ranges: [ByteRange]) {
        storage = Storage(count: ranges.count)
        ranges.withUnsafeBufferPointer { storage.base.initialize(from: $0.baseAddress!, count: ranges.count) }
    }

    public init(arrayLiteral elements: ByteRange...) { self.init(elements) }

    public init(repeating range: ByteRange, count: Int) {
        storage = Storage(count: count)
        storage.base.initialize(repeating: range, count: count)
    }

    init(adopting base: UnsafeMutablePointer<ByteRange>, count: Int, allocatedBytes: Int) {
        storage = Storage(adopting: base, count: count, allocatedBytes: allocatedBytes)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }

    public subscript(position: Int) -> ByteRange {
        @inline(__always) get {
            precondition(position >= 0 && position < storage.count, "range index out of bounds")
            return storage.base[position]
        }
        set {
            precondition(position >= 0 && position < storage.count, "range index out of bounds")
            if !isKnownUniquelyReferenced(&storage) {
                let copy = Storage(count: storage.count)
                copy.base.initialize(from: storage.base, count: storage.count)
                storage = copy
            }
            storage.base[position] = newValue
        }
    }

    /// The identity of the storage: equal identities mean equal contents.
    public var identity: ObjectIdentifier { ObjectIdentifier(storage) }

    /// The ranges as a buffer, valid while this array lives.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<ByteRange>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: storage.base, count: storage.count)) }
    }
}
