#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory for big buffers (a loaded file, a column's cells), asking the kernel for
/// 2 MiB pages where they help (`HugePagePolicy`).
///
/// Filling 300 MB of fresh 4 KiB pages costs ~86,000 page faults. Transparent huge pages
/// cut that 512-fold, but on Debian they are given only to memory that asks (`madvise`
/// mode), so big buffers are mapped here, aligned, and advised — except on a VM whose
/// balloon reports free memory to its host, where huge pages cost more than they save.
/// Small sizes use `malloc`.
enum LargeAllocation {
    static let threshold = 4 << 20
    static let hugePage = 2 << 20

    /// Bytes of storage; free with `deallocate(_:bytes:)` and the same size. Stops the
    /// process when the system refuses them: for what a statement needs once its input
    /// is loaded. Loaders use `allocateIfPossible` and fail the load instead.
    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        guard let pointer = allocateIfPossible(bytes: bytes) else {
            fatalError("out of memory: \(bytes) bytes could not be allocated")
        }
        return pointer
    }

    /// Bytes of storage, or nil when the system refuses them (an address-space limit,
    /// or no memory left).
    static func allocateIfPossible(bytes: Int) -> UnsafeMutableRawPointer? {
        guard bytes >= threshold else { return malloc(max(1, bytes)) }
        let length = roundedUp(bytes)
        // Over-allocate by one huge page so the start can be aligned to one.
        let mapped = mmap(nil, length + hugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { return malloc(bytes) }
        let address = UInt(bitPattern: mapped)
        let aligned = (address + UInt(hugePage) - 1) & ~UInt(hugePage - 1)
        let head = Int(aligned - address)
        if head > 0 { munmap(mapped, head) }
        let tail = hugePage - head
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: aligned + UInt(length)), tail) }
        let pointer = UnsafeMutableRawPointer(bitPattern: aligned)!
        advise(pointer, bytes: length)
        return pointer
    }

    static func deallocate(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        if bytes >= threshold { munmap(pointer, roundedUp(bytes)) } else { free(pointer) }
    }

    /// Gives back to the kernel the pages of a large allocation past its first `used`
    /// bytes, keeping the mapping (so `deallocate` takes the same size). For buffers
    /// sized for the worst case and filled less (a decoder's output): written pages
    /// past the end would otherwise stay resident for as long as the buffer lives.
    /// Small (malloc'd) allocations are left alone.
    static func releaseUnused(_ pointer: UnsafeMutableRawPointer, used: Int, bytes: Int) {
        guard bytes >= threshold else { return }
        // Whole pages inside the allocation only: its end is rounded down, so a block
        // that came from malloc (when mmap failed) never loses a page it shares with
        // another; such a block's start is not page-aligned either, and madvise then
        // refuses, which is harmless.
        let page = Int(getpagesize())
        let start = roundedUp(used)
        let end = bytes / page * page
        guard end > start else { return }
        _ = madvise(pointer + start, end - start, MADV_DONTNEED)
    }

    /// Asks for huge pages for an existing region (its 2 MiB-aligned interior).
    static func advise(_ pointer: UnsafeMutableRawPointer, bytes: Int) {
        guard bytes >= threshold, HugePagePolicy.asksForHugePages else { return }
        let start = (UInt(bitPattern: pointer) + UInt(hugePage) - 1) & ~UInt(hugePage - 1)
        let end = (UInt(bitPattern: pointer) + UInt(bytes)) & ~UInt(hugePage - 1)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE)
    }

    private static func roundedUp(_ bytes: Int) -> Int {
        (bytes + Int(getpagesize()) - 1) / Int(getpagesize()) * Int(getpagesize())
    }
}
