/// Groups rows by key: an open-addressing hash table from key to group number, with
/// the rows of each group chained in row order. Joins build one over the right-hand
/// table and probe it; `count by` and `distinct` build one over their input.
///
/// Group numbers follow first appearance, so everything derived from them is
/// deterministic.
struct GroupIndex {
    /// First row of each group.
    private(set) var firstRow: [Int32] = []
    /// Rows in each group.
    private(set) var sizes: [Int32] = []
    /// Next row in the same group, -1 at the end (chains in row order).
    private(set) var nextRow: [Int32] = []
    /// Group of each row (-1 for rows left out: null keys when `groupNulls` is false).
    private(set) var groupOfRow: [Int32] = []
    private var lastRow: [Int32] = []
    private var slots: [Int32]
    private var slotHashes: [UInt64]
    private let mask: Int
    let keys: KeyColumns

    init(keys: KeyColumns, rowCount: Int, groupNulls: Bool, isCancelled: () -> Bool = { false }) throws {
        self.keys = keys
        var capacity = 16
        while capacity < rowCount * 2 { capacity <<= 1 }
        mask = capacity - 1
        slots = [Int32](repeating: -1, count: capacity)
        slotHashes = [UInt64](repeating: 0, count: capacity)
        nextRow = [Int32](repeating: -1, count: rowCount)
        groupOfRow = [Int32](repeating: -1, count: rowCount)
        for row in 0..<rowCount {
            if row & 0xFFFF == 0xFFFF, isCancelled() { throw LoadCancelled() }
            let hash: UInt64
            if groupNulls {
                hash = keys.groupHash(row)
            } else {
                guard let h = keys.hash(row) else { continue }
                hash = h
            }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let group = slots[slot]
                if group < 0 {
                    let newGroup = Int32(firstRow.count)
                    slots[slot] = newGroup
                    slotHashes[slot] = hash
                    firstRow.append(Int32(row))
                    lastRow.append(Int32(row))
                    sizes.append(1)
                    groupOfRow[row] = newGroup
                    break
                }
                if slotHashes[slot] == hash {
                    let first = Int(firstRow[Int(group)])
                    let same = groupNulls ? keys.sameGroup(first, row) : keys.equal(first, keys, row)
                    if same {
                        nextRow[Int(lastRow[Int(group)])] = Int32(row)
                        lastRow[Int(group)] = Int32(row)
                        sizes[Int(group)] += 1
                        groupOfRow[row] = group
                        break
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    var groupCount: Int { firstRow.count }

    /// The group whose key equals row `row` of `probe`, if any (nulls never match).
    @inline(__always)
    func find(_ probe: KeyColumns, row: Int) -> Int? {
        guard let hash = probe.hash(row) else { return nil }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let group = slots[slot]
            if group < 0 { return nil }
            if slotHashes[slot] == hash, keys.equal(Int(firstRow[Int(group)]), probe, row) { return Int(group) }
            slot = (slot + 1) & mask
        }
    }
}
