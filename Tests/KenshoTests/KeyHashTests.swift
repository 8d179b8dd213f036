import Testing
@testable import Kensho

/// `KeyColumns.hashes` over one text column takes the column apart once (a fast path):
/// it must give, row for row, what `hash` and `groupHash` give, with nulls, a row map
/// with missing rows, and cells from several arenas (a union of files).
@Suite("Key hashes")
struct KeyHashTests {
    static func column(rows: Int, seed: UInt64) -> Column {
        var random = SplitMix64(seed: seed)
        let arenas = [ByteArena(copying: Array("東京都港区abcdefghijklmnop".utf8)), ByteArena(copying: Array("xyz 123".utf8))]
        var ranges: [ByteRange] = []
        var arenaOfRow: [UInt16] = []
        for _ in 0..<rows {
            let arena = Int(random.next() % 2)
            let count = arenas[arena].count
            let start = Int(random.next() % UInt64(count))
            ranges.append(random.next() % 9 == 0 ? .null
                : ByteRange(start: UInt32(start), count: UInt32(Int(random.next() % UInt64(count - start + 1)))))
            arenaOfRow.append(UInt16(arena))
        }
        return Column(.text(TextStorage(arenas: arenas, ranges: ranges, arenaOfRow: arenaOfRow)))
    }

    // 60,000 rows: hashed in two chunks, as large keys are.
    @Test(arguments: [100, 60_000])
    func theFastPathGivesWhatTheRowByRowReadingGives(rows: Int) {
        let plain = Self.column(rows: rows, seed: UInt64(rows))
        var random = SplitMix64(seed: 7)
        let mapped = plain.selecting(RowMap((0..<rows).map { _ in random.next() % 11 == 0 ? -1 : Int32(random.next() % UInt64(rows)) }))
        for column in [plain, mapped] {
            let keys = KeyColumns([column])
            for groupNulls in [false, true] {
                let (hashes, present) = keys.hashes(rowCount: rows, groupNulls: groupNulls)
                var same = true
                for row in 0..<rows {
                    if groupNulls {
                        same = same && present[row] && hashes[row] == keys.groupHash(row)
                    } else if let hash = keys.hash(row) {
                        same = same && present[row] && hashes[row] == hash
                    } else {
                        same = same && !present[row]
                    }
                }
                #expect(same, "groupNulls \(groupNulls), mapped \(column.rows != nil)")
            }
        }
    }
}

/// A group index built without chains (`count by`, `distinct`) has the same groups,
/// first rows and sizes as one built with them.
@Suite("Group index without chains")
struct GroupIndexChainsTests {
    @Test(arguments: [100, 70_000])
    func sameGroupsWithAndWithoutChains(rows: Int) throws {
        let keys = KeyColumns([KeyHashTests.column(rows: rows, seed: 3)])
        let full = try GroupIndex(keys: keys, rowCount: rows, groupNulls: true)
        let lean = try GroupIndex(keys: keys, rowCount: rows, groupNulls: true, chains: false)
        #expect(lean.groupCount == full.groupCount)
        #expect(lean.firstRow == full.firstRow)
        #expect(lean.sizes == full.sizes)
        #expect(lean.nextRow.isEmpty && lean.groupOfRow.isEmpty)
        #expect(full.sizes.reduce(0) { $0 + Int($1) } == rows)
    }
}
