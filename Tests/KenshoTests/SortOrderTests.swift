import Testing
@testable import Kensho

/// `sort` and `count by` order rows by a 64-bit prefix of the first key and compare
/// in full only on ties; these tables are built so that prefixes tie often (long
/// shared beginnings, values shorter than 8 bytes, empty text, nulls, extreme
/// integers) and the result is checked against a plain reference sort.
@Suite("Sort order")
struct SortOrderTests {
    struct Row { var s: String?; var i: Int64?; var line: Int }

    static func rows(seed: UInt64) -> [Row] {
        var generator = SplitMix64(seed: seed)
        let stems = ["", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgh\u{7F}", "佐々木", "佐々木 太郎", "佐藤", "0001", "00010"]
        let integers: [Int64] = [-(1 << 50), -1, 0, 1, 2, 1 << 40, (1 << 53) + 1]
        return (0..<400).map { line in
            let s: String? = Int.random(in: 0..<10, using: &generator) == 0 ? nil
                : stems.randomElement(using: &generator)! + (Bool.random(using: &generator) ? "" : String(Int.random(in: 0..<3, using: &generator)))
            let i: Int64? = Int.random(in: 0..<8, using: &generator) == 0 ? nil : integers.randomElement(using: &generator)!
            return Row(s: s, i: i, line: line)
        }
    }

    /// Nulls last in either direction; text by UTF-8 bytes; ties in input order.
    static func reference<T>(_ a: T?, _ b: T?, descending: Bool, _ less: (T, T) -> Bool) -> Bool? {
        switch (a, b) {
        case (nil, nil): return nil
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?):
            if less(x, y) { return !descending }
            if less(y, x) { return descending }
            return nil
        }
    }

    static func harness(_ rows: [Row]) throws -> SessionHarness {
        let harness = try SessionHarness()
        let csv = "s,i\n" + rows.map { "\($0.s.map { "\"\($0)\"" } ?? ""),\($0.i.map(String.init) ?? "")\n" }.joined()
        try harness.file("t.csv", csv)
        #expect(harness.run("load $DIR/t.csv\ndescribe t"))
        #expect(harness.output.contains("\ni,integer,"), "the integer column must load as integers")
        return harness
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func sortMatchesAReferenceSort(seed: UInt64) throws {
        let rows = SortOrderTests.rows(seed: seed)
        let harness = try SortOrderTests.harness(rows)
        let bytesLess: (String, String) -> Bool = { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for (statement, descending) in [("t | sort s, i | select _line", false), ("t | sort s desc, i | select _line", true)] {
            let expected = rows.sorted { a, b in
                if let order = SortOrderTests.reference(a.s, b.s, descending: descending, bytesLess) { return order }
                if let order = SortOrderTests.reference(a.i, b.i, descending: false, <) { return order }
                return a.line < b.line
            }
            #expect(harness.run(statement))
            let lines = harness.output.split(separator: "\n").dropFirst().map { Int($0)! - 2 }
            #expect(lines == expected.map(\.line), "\(statement)")
        }
        // Integers first: descending with extremes.
        let expected = rows.sorted { a, b in
            SortOrderTests.reference(a.i, b.i, descending: true, <) ?? (a.line < b.line)
        }
        #expect(harness.run("t | sort i desc | select _line"))
        #expect(harness.output.split(separator: "\n").dropFirst().map { Int($0)! - 2 } == expected.map(\.line))
    }

    @Test(arguments: [4, 5] as [UInt64])
    func countByIsLargestFirstThenByKey(seed: UInt64) throws {
        let rows = SortOrderTests.rows(seed: seed)
        let harness = try SortOrderTests.harness(rows)
        var counts: [String?: Int] = [:]
        for row in rows { counts[row.s, default: 0] += 1 }
        let expected = counts.sorted { a, b in
            if a.value != b.value { return a.value > b.value }
            switch (a.key, b.key) {
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            }
        }.map { "\($0.key.map { $0.isEmpty ? "\"\"" : $0 } ?? ""),\($0.value)" }
        #expect(harness.run("t | count by s"))
        #expect(Array(harness.output.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()) == expected.map { Substring($0) })
    }
}
