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
    /// Next row in the same group, -1 at the end (chains in row order).
    private(set) var nextRow: [Int32] = []
    /// Group of each row (-1 for rows left out: null keys when `groupNulls` is false).
    private(set) var groupOfRow: [Int32] = []
    /// 0 for an empty slot, else the hash's top 32 bits above the group number + 1.
    private var slots: [UInt64]
    private let mask: Int
    let keys: KeyColumns

    init(keys: KeyColumns, rowCount: Int, groupNulls: Bool, isCancelled: () -> Bool = { false }) throws {
        self.keys = keys
        var capacity = 16
        while capacity < rowCount * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [UInt64](repeating: 0, count: capacity)
        nextRow = [Int32](repeating: -1, count: rowCount)
        groupOfRow = [Int32](repeating: -1, count: rowCount)
        var lastRow: [Int32] = []
        let (hashes, present) = keys.hashes(rowCount: rowCount, groupNulls: groupNulls)
        try slots.withUnsafeMutableBufferPointer { slots in
            for row in 0..<rowCount {
                if row & 0xFFFF == 0xFFFF, isCancelled() { throw LoadCancelled() }
                guard present[row] else { continue }
                let hash = hashes[row]
                let tag = hash >> 32
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == 0 {
                        let newGroup = Int32(firstRow.count)
                        slots[slot] = tag << 32 | UInt64(newGroup + 1)
                        firstRow.append(Int32(row))
                        lastRow.append(Int32(row))
                        sizes.append(1)
                        groupOfRow[row] = newGroup
                        break
                    }
                    if entry >> 32 == tag {
                        let group = Int(entry & 0xFFFF_FFFF) - 1
                        let first = Int(firstRow[group])
                        let same = groupNulls ? keys.sameGroup(first, row) : keys.equal(first, keys, row)
                        if same {
                            nextRow[Int(lastRow[group])] = Int32(row)
                            lastRow[group] = Int32(row)
                            sizes[group] += 1
                            groupOfRow[row] = Int32(group)
                            break
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
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
        for row in 0..<rowCount where present[row] {
            if row & 0xFFFF == 0xFFFF, isCancelled() { throw LoadCancelled() }
            if let group = find(probe, row: row, hash: hashes[row]) { groups[row] = Int32(group) }
        }
        return groups
    }
}
