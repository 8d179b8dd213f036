import Testing
@testable import Kensho

/// Giving back the unused pages of a large buffer keeps the bytes before them.
@Suite("Large allocations")
struct LargeAllocationTests {
    @Test(arguments: [0, 1, 4095, 4096, (1 << 20) + 3, (6 << 20) - 1, 6 << 20])
    func releasingTheTailKeepsTheBytesInUse(used: Int) {
        // A size in whole pages, and one that ends inside a page.
        for bytes in [6 << 20, (6 << 20) + 100] {
            let pointer = LargeAllocation.allocate(bytes: bytes).assumingMemoryBound(to: UInt8.self)
            defer { LargeAllocation.deallocate(UnsafeMutableRawPointer(pointer), bytes: bytes) }
            for i in 0..<bytes { pointer[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
            LargeAllocation.releaseUnused(UnsafeMutableRawPointer(pointer), used: used, bytes: bytes)
            var intact = true
            for i in 0..<used where pointer[i] != UInt8(truncatingIfNeeded: i &* 31 &+ 7) { intact = false }
            #expect(intact)
            // The released pages are still mapped: writing and reading them is fine.
            pointer[bytes - 1] = 9
            #expect(pointer[bytes - 1] == 9)
        }
    }

    @Test func smallBlocksAreLeftAlone() {
        let pointer = LargeAllocation.allocate(bytes: 1000).assumingMemoryBound(to: UInt8.self)
        defer { LargeAllocation.deallocate(UnsafeMutableRawPointer(pointer), bytes: 1000) }
        for i in 0..<1000 { pointer[i] = UInt8(truncatingIfNeeded: i) }
        LargeAllocation.releaseUnused(UnsafeMutableRawPointer(pointer), used: 10, bytes: 1000)
        #expect((0..<1000).allSatisfy { pointer[$0] == UInt8(truncatingIfNeeded: $0) })
    }

    /// Huge pages are asked for unless a memory balloon reports free pages to its host
    /// (feature bit 5), or the environment decides.
    @Test func hugePagesAreSkippedUnderFreePageReporting() {
        let reporting = "0110010100000000000000000000000010000000"
        let notReporting = "0110000100000000000000000000000010000000"
        #expect(HugePagePolicy.decide(override: nil, balloonFeatures: []))
        #expect(HugePagePolicy.decide(override: nil, balloonFeatures: [notReporting]))
        #expect(!HugePagePolicy.decide(override: nil, balloonFeatures: [reporting]))
        #expect(!HugePagePolicy.decide(override: nil, balloonFeatures: [notReporting, reporting]))
        #expect(HugePagePolicy.decide(override: nil, balloonFeatures: ["01100"]))  // too short to hold bit 5
        #expect(HugePagePolicy.decide(override: "1", balloonFeatures: [reporting]))
        #expect(!HugePagePolicy.decide(override: "0", balloonFeatures: []))
        #expect(!HugePagePolicy.decide(override: "yes", balloonFeatures: [reporting]))
    }
}
