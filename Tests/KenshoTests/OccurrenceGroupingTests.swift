import Testing
@testable import Kensho

/// `Occurrences.group` on hand-made digests: the hash table keys on the first 8 bytes,
/// so fingerprints that share those bytes must still stay apart.
@Suite("Occurrence grouping")
struct OccurrenceGroupingTests {
    /// A digest whose first 8 bytes are `prefix` and whose last byte is `tail`.
    static func digest(prefix: UInt8, tail: UInt8) -> [UInt8] {
        Array(repeating: prefix, count: 8) + Array(repeating: 0, count: 23) + [tail]
    }

    static func input(_ name: String, _ digests: [[UInt8]?]) -> Occurrences.Input {
        let table = Table.build([("id", .integer)], rows: digests.indices.map { [.integer(Int64($0))] })
        let result = Fingerprinter.Result(digests: digests.flatMap { $0 ?? Array(repeating: 0, count: 32) },
                                          present: digests.map { $0 != nil })
        return Occurrences.Input(name: name, table: table, fingerprints: result)
    }

    @Test func sharedPrefixesStayApartAndCopiesKeepTheirOrder() {
        let a = Self.digest(prefix: 7, tail: 1), b = Self.digest(prefix: 7, tail: 2), c = Self.digest(prefix: 9, tail: 3)
        let inputs = [
            Self.input("x", [a, b, nil, c, a]),
            Self.input("y", [c, b]),
            Self.input("z", [a]),
        ]
        let groups = Occurrences.group(inputs)
        // a (x, z), b (x, y), c (x, y) are shared, in order of first appearance.
        #expect(groups.shared.count == 3)
        #expect(groups.spread == [2, 2, 2])
        #expect(groups.members(0).map { [$0.input, $0.row] } == [[0, 0], [0, 4], [2, 0]])
        #expect(groups.members(1).map { [$0.input, $0.row] } == [[0, 1], [1, 1]])
        #expect(groups.members(2).map { [$0.input, $0.row] } == [[0, 3], [1, 0]])
        // A row without a fingerprint (x row 2, all zeros) joins nothing.
        #expect(!groups.copies.contains { $0.input == 0 && $0.row == 2 })
    }

    @Test func aFingerprintInOneInputOnlyIsNotShared() {
        let a = Self.digest(prefix: 1, tail: 1)
        let groups = Occurrences.group([Self.input("x", [a, a]), Self.input("y", [Self.digest(prefix: 1, tail: 2)])])
        #expect(groups.shared.isEmpty && groups.copies.isEmpty)
    }

    /// Many inputs (some empty), few distinct fingerprints, repeats within an input and
    /// rows without one: the groups, their spread and their copies are those a plain
    /// dictionary over (input, row) gives.
    @Test(arguments: [1 as UInt64, 2, 3])
    func agreesWithAPlainReading(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let distinct = (0..<40).map { k in Self.digest(prefix: UInt8(k % 5), tail: UInt8(k)) }
        let inputs = (0..<12).map { i in
            Self.input("i\(i)", (0..<Int(random.next() % 30)).map { _ -> [UInt8]? in
                random.next() % 7 == 0 ? nil : distinct[Int(random.next() % UInt64(distinct.count))]
            })
        }
        // The reference: copies per fingerprint in input then row order, groups in order
        // of first appearance.
        var order: [[UInt8]] = []
        var copies: [[UInt8]: [(input: Int, row: Int)]] = [:]
        for (i, input) in inputs.enumerated() {
            for row in 0..<input.table.rowCount where input.fingerprints.present[row] {
                let digest = Array(input.fingerprints.digests[(row * 32)..<(row * 32 + 32)])
                if copies[digest] == nil { order.append(digest) }
                copies[digest, default: []].append((i, row))
            }
        }
        let shared = order.filter { Set(copies[$0]!.map(\.input)).count >= 2 }
        let groups = Occurrences.group(inputs)
        #expect(groups.shared.count == shared.count)
        #expect(groups.spread == shared.map { Set(copies[$0]!.map(\.input)).count })
        for (k, digest) in shared.enumerated() where k < groups.shared.count {
            #expect(groups.members(k).map { [$0.input, $0.row] } == copies[digest]!.map { [$0.input, $0.row] })
        }
    }
}
