/// Immutable bytes owned by one allocation, shared by every text column cut from it.
///
/// A loaded CSV file is read once into an arena and each text cell is a `ByteRange`
/// into it: no `String` per cell, no copy per column. Columns computed later (`lower`,
/// `||`) build their own arena with `ByteArenaBuilder`. Ranges use 32-bit offsets, so
/// one arena holds at most 4 GiB; loaders check this bound and say so.
public final class ByteArena: @unchecked Sendable {
    public let base: UnsafeMutablePointer<UInt8>
    public let count: Int
    /// The size given to `LargeAllocation` when the bytes came from it, else nil (malloc).
    private let largeAllocation: Int?

    /// Takes ownership of `pointer`, which must come from `malloc`.
    init(taking pointer: UnsafeMutablePointer<UInt8>, count: Int) {
        self.base = pointer
        self.count = count
        self.largeAllocation = nil
    }

    /// Takes ownership of memory from `LargeAllocation.allocate(bytes: allocated)`.
    init(takingLarge pointer: UnsafeMutablePointer<UInt8>, count: Int, allocated: Int) {
        self.base = pointer
        self.count = count
        self.largeAllocation = allocated
    }

    public convenience init(copying bytes: some Collection<UInt8>) {
        let pointer = malloc(max(1, bytes.count))!.assumingMemoryBound(to: UInt8.self)
        _ = UnsafeMutableBufferPointer(start: pointer, count: bytes.count).initialize(from: bytes)
        self.init(taking: pointer, count: bytes.count)
    }

    deinit {
        if let largeAllocation {
            LargeAllocation.deallocate(UnsafeMutableRawPointer(base), bytes: largeAllocation)
        } else {
            free(base)
        }
    }

    public static let maximumSize = Int(UInt32.max - 1)
    public static let empty = ByteArena(copying: [])

    @inline(__always)
    public func buffer(_ range: ByteRange) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + Int(range.start), count: Int(range.count))
    }
}

/// Where a text cell's bytes are in its arena. `count == .max` marks null.
public struct ByteRange: Sendable, Hashable {
    public var start: UInt32
    public var count: UInt32

    @inline(__always)
    public init(start: UInt32, count: UInt32) {
        self.start = start
        self.count = count
    }

    public static let null = ByteRange(start: 0, count: .max)
    @inline(__always) public var isNull: Bool { count == .max }
}

/// Accumulates bytes for a new arena; `finish()` hands the memory to a `ByteArena`.
public struct ByteArenaBuilder: ~Copyable {
    private var pointer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    public private(set) var count = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(16, capacity)
        self.pointer = malloc(self.capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    /// Appends bytes and returns their range.
    @inline(__always)
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteRange {
        reserve(bytes.count)
        if bytes.count > 0 { (pointer + count).update(from: bytes.baseAddress!, count: bytes.count) }
        let range = ByteRange(start: UInt32(count), count: UInt32(bytes.count))
        count += bytes.count
        return range
    }

    public mutating func append(_ string: String) -> ByteRange {
        var string = string
        return string.withUTF8 { append($0) }
    }

    public mutating func append(contentsOf bytes: [UInt8]) -> ByteRange {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends one byte to the range being built with `beginRange`/`endRange`.
    @inline(__always)
    public mutating func appendByte(_ byte: UInt8) {
        reserve(1)
        pointer[count] = byte
        count += 1
    }

    @inline(__always)
    public mutating func appendBytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if bytes.count > 0 { (pointer + count).update(from: bytes.baseAddress!, count: bytes.count) }
        count += bytes.count
    }

    /// The range from `start` to the current end, for values built piece by piece.
    public func range(from start: Int) -> ByteRange {
        ByteRange(start: UInt32(start), count: UInt32(count - start))
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < count + extra { newCapacity *= 2 }
        precondition(newCapacity <= ByteArena.maximumSize + 1 || count + extra <= ByteArena.maximumSize,
                     "text column larger than 4 GiB")
        pointer = realloc(pointer, newCapacity)!.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    public consuming func finish() -> ByteArena {
        let arena = ByteArena(taking: pointer, count: count)
        discard self
        return arena
    }

    deinit { free(pointer) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
