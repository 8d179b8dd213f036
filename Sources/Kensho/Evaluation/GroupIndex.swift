import CKenshoSupport

/// Groups rows by key: an open-addressing hash table from key to group number, with
/// the rows of each group chained in row order. Joins build one over the right-hand
/// table and probe it; `count by` and `distinct` build one over their input.
///
/// Group numbers follow first appearance, so everything derived from them is
/// deterministic. Each slot packs the top 32 bits of the key's hash with the group
/// number in one word, so a probe touches one cache line of the table, and full keys
/// are compared only when those bits agree. Hashes are computed up front, on both
/// cores (`KeyColumns.hashes`): in a million-row join, hashing and probing were half
/// the time when done a row at a time through the key readers.
struct GroupIndex {
    /// First row of each group.
    private(set) var firstRow: [Int32] = []
    /// Rows in each group.
    private(set) var sizes: [Int32] = []
    /// Next row in the same group, -1 at the end (chains in row order); empty when built
    /// without chains.
    private(set) var nextRow: [Int32] = []
    /// Group of each row (-1 for rows left out: null keys when `groupNulls` is false);
    /// empty when built without chains.
    private(set) var groupOfRow: [Int32] = []
    /// 0 for an empty slot, else the hash's top 32 bits above the group number + 1.
    /// Sized by the groups found so far, not by the rows: a key with a few hundred
    /// values keeps a table that fits in cache (it doubles as groups arrive).
    private var slots: [UInt64]
    private var mask: Int
    let keys: KeyColumns

    /// - Parameter chains: whether to keep each group's rows (`nextRow`, `groupOfRow`);
    ///   `count by` and `distinct` need only each group's first row and size, and skip
    ///   writing three row-sized arrays.
    init(keys: KeyColumns, rowCount: Int, groupNulls: Bool, chains: Bool = true,
         isCancelled: () -> Bool = { false }) throws {
        self.keys = keys
        let (hashes, present) = keys.hashes(rowCount: rowCount, groupNulls: groupNulls)
        // Start at twice the expected number of groups, guessed from the first rows, so
        // a key of mostly distinct values does not rehash its way up from a small table.
        // (Small inputs simply take twice their row count.)
        var expected = rowCount
        if rowCount > 65_536 {
            var sampled = Set<UInt64>(minimumCapacity: 4096)
            for row in 0..<4096 where present[row] { sampled.insert(hashes[row]) }
            expected = rowCount / 4096 * sampled.count
        }
        var capacity = 16
        while capacity < max(1024, expected * 2), capacity < rowCount * 2 { capacity <<= 1 }
        var slots = [UInt64](repeating: 0, count: capacity)
        var mask = capacity - 1
        // Only a table larger than the cache is worth the hint (a few hundred groups'
        // table is in cache; the hint would only cost instructions).
        let prefetching = capacity >= GroupIndex.prefetchingCapacity
        // Where the table is, as a number, for the hint alone (refreshed when the table
        // grows): handing the array itself to the hint retained and released it per row.
        var slotsAddress = GroupIndex.address(of: slots)
        // Per group (at most one per row): first row, last row, size. Per row: next row
        // of its group and its group. Filled through raw buffers: no copy-on-write
        // checks in the loop. The per-group arrays are not zeroed first: a group's
        // entries are written when it is found, and pages beyond the groups found are
        // never touched (a key of a few hundred values touches a few kilobytes).
        var firstRow = GroupIndex.unwritten(rowCount)
        var lastRow = GroupIndex.unwritten(chains ? rowCount : 0)
        var sizes = GroupIndex.unwritten(rowCount)
        var nextRow = [Int32](repeating: -1, count: chains ? rowCount : 0)
        var groupOfRow = [Int32](repeating: -1, count: chains ? rowCount : 0)
        var groups = 0
        try firstRow.withUnsafeMutableBufferPointer { firstRow in
            try lastRow.withUnsafeMutableBufferPointer { lastRow in
                try sizes.withUnsafeMutableBufferPointer { sizes in
                    try nextRow.withUnsafeMutableBufferPointer { nextRow in
                        try groupOfRow.withUnsafeMutableBufferPointer { groupOfRow in
                            for row in 0..<rowCount {
                                if row & 0xFFFF == 0xFFFF, isCancelled() { throw LoadCancelled() }
                                if prefetching, row + GroupIndex.prefetchDistance < rowCount {
                                    let ahead = Int(truncatingIfNeeded: hashes[row + GroupIndex.prefetchDistance]) & mask
                                    kensho_prefetch(UnsafeRawPointer(bitPattern: slotsAddress &+ UInt(ahead &* 8)))
                                }
                                guard present[row] else { continue }
                                let hash = hashes[row]
                                let tag = hash >> 32
                                var slot = Int(truncatingIfNeeded: hash) & mask
                                while true {
                                    let entry = slots[slot]
                                    if entry == 0 {
                                        slots[slot] = tag << 32 | UInt64(groups + 1)
                                        firstRow[groups] = Int32(row)
                                        sizes[groups] = 1
                                        if chains {
                                            lastRow[groups] = Int32(row)
                                            groupOfRow[row] = Int32(groups)
                                        }
                                        groups += 1
                                        if groups * 2 > slots.count {
                                            GroupIndex.grow(&slots, &mask, groups: groups, firstRow: firstRow, hashes: hashes)
                                            slotsAddress = GroupIndex.address(of: slots)
                                        }
                                        break
                                    }
                                    if entry >> 32 == tag {
                                        let group = Int(entry & 0xFFFF_FFFF) - 1
                                        let first = Int(firstRow[group])
                                        let same = groupNulls ? keys.sameGroup(first, row) : keys.equal(first, keys, row)
                                        if same {
                                            sizes[group] += 1
                                            if chains {
                                                nextRow[Int(lastRow[group])] = Int32(row)
                                                lastRow[group] = Int32(row)
                                                groupOfRow[row] = Int32(group)
                                            }
                                            break
                                        }
                                    }
                                    slot = (slot + 1) & mask
                                }
                            }
                        }
                    }
                }
            }
        }
        firstRow.removeLast(rowCount - groups)
        sizes.removeLast(rowCount - groups)
        self.firstRow = firstRow
        self.sizes = sizes
        self.nextRow = nextRow
        self.groupOfRow = groupOfRow
        self.slots = slots
        self.mask = mask
    }

    /// How many rows ahead the slot a row will probe is prefetched. A table of a million
    /// groups is far larger than the cache, so nearly every probe misses: without the
    /// hint each row waited for its miss in turn (four fifths of building a million-row
    /// join's table went to that one load).
    static let prefetchDistance = 16
    /// Slots (of 8 bytes) from which the table is taken to be larger than the cache.
    static let prefetchingCapacity = 1 << 17

    @inline(__always)
    static func prefetch(_ slots: [UInt64], _ slot: Int) {
        slots.withUnsafeBufferPointer { kensho_prefetch($0.baseAddress! + slot) }
    }

    /// `count` elements left as the allocator gives them: for arrays whose every element
    /// is written before it is read, so no page is touched before it is needed.
    static func unwritten(_ count: Int) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// The address of a slot table's storage, as a number: for prefetch hints only,
    /// which never fault, so an out-of-date one costs nothing but a useless hint.
    static func address(of slots: [UInt64]) -> UInt {
        slots.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    /// Doubles the slot table and re-inserts every group by its first row's hash.
    private static func grow(_ slots: inout [UInt64], _ mask: inout Int, groups: Int,
                             firstRow: UnsafeMutableBufferPointer<Int32>, hashes: [UInt64]) {
        var grown = [UInt64](repeating: 0, count: slots.count * 2)
        let newMask = grown.count - 1
        for group in 0..<groups {
            let hash = hashes[Int(firstRow[group])]
            var slot = Int(truncatingIfNeeded: hash) & newMask
            while grown[slot] != 0 { slot = (slot + 1) & newMask }
            grown[slot] = (hash >> 32) << 32 | UInt64(group + 1)
        }
        slots = grown
        mask = newMask
    }

    var groupCount: Int { firstRow.count }

    /// The group whose key equals row `row` of `probe`, if any (nulls never match).
    @inline(__always)
    func find(_ probe: KeyColumns, row: Int) -> Int? {
        guard let hash = probe.hash(row) else { return nil }
        return find(probe, row: row, hash: hash)
    }

    @inline(__always)
    private func find(_ probe: KeyColumns, row: Int, hash: UInt64) -> Int? {
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if entry >> 32 == tag {
                let group = Int(entry & 0xFFFF_FFFF) - 1
                if keys.equal(Int(firstRow[group]), probe, row) { return group }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The group of every row of `probe` (-1 where none), hashed on both cores first.
    func findAll(_ probe: KeyColumns, rowCount: Int, isCancelled: () -> Bool) throws -> [Int32] {
        let (hashes, present) = probe.hashes(rowCount: rowCount, groupNulls: false)
        var groups = [Int32](repeating: -1, count: rowCount)
        // The index is read-only here: the probe rows split across both cores.
        let chunks = rowCount > 50_000 ? 2 : 1
        nonisolated(unsafe) var cancelled = false
        groups.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            concurrentlyForEach(chunks) { chunk in
                let end = rowCount * (chunk + 1) / chunks
                let prefetching = slots.count >= GroupIndex.prefetchingCapacity
                for row in (rowCount * chunk / chunks)..<end {
                    if row & 0xFFFF == 0xFFFF, isCancelled() { cancelled = true; return }
                    if prefetching, row + GroupIndex.prefetchDistance < end {
                        GroupIndex.prefetch(slots, Int(truncatingIfNeeded: hashes[row + GroupIndex.prefetchDistance]) & mask)
                    }
                    guard present[row] else { continue }
                    if let group = find(probe, row: row, hash: hashes[row]) { out[row] = Int32(group) }
                }
            }
        }
        if cancelled { throw LoadCancelled() }
        return groups
    }
}
