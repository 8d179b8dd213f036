import Testing
@testable import Kensho

/// The scanner packs a cell in 4 bytes (offset from its record's start, length), and
/// keeps the cells that do not fit — past 64 KiB into a record, or 64 KiB long — on the
/// side. Every cell must read back exactly whichever way it was stored, through the
/// subscript and through the reader the grouping loops use, on one core and split in two.
@Suite("Packed cell ranges")
struct PackedRangeTests {
    /// Rows whose cells land on both sides of the packed layout's limits: short rows, a
    /// row whose later cells start past 64 KiB, a cell exactly 65,535 and 65,536 bytes
    /// long, empty and quoted cells (with doubled quotes unescaped in place).
    static func rows() -> [[String]] {
        let long = String(repeating: "x", count: 70_000)
        return [
            ["a", "b", "c", "d"],
            [long, "after a long cell", "", "\"q\"\"uoted\""],
            [String(repeating: "y", count: 65_535), String(repeating: "z", count: 65_536), "e", "f"],
            ["", "", "", ""],
            ["g", "\"h, with a comma\"", "i", "\"" + String(repeating: "w", count: 65_600) + "\"\"w\""],
            ["あいう", "\"改\n行\"", "k", "l"],
        ] + (0..<40).map { ["r\($0)", String(repeating: "s", count: $0 * 1_700), "t", "u"] }
    }

    /// What a cell of `rows()` reads as once loaded.
    static func expected(_ cell: String) -> String {
        guard cell.hasPrefix("\"") else { return cell }
        return String(cell.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }

    @Test(arguments: [Int.max, 1])
    func cellsReadBackExactlyWhereverTheyAreStored(splitThreshold: Int) throws {
        let rows = Self.rows()
        var bytes = Array(rows.map { $0.joined(separator: ",") + "\n" }.joined().utf8)
        let count = bytes.count
        let result = try bytes.withUnsafeMutableBufferPointer { buffer in
            var scanner = CSVScanner(bytes: UnsafeBufferPointer(buffer), dialect: CSVDialect(delimiter: UInt8(ascii: ","), hasHeader: false),
                                     start: 0, isCancelled: { false })
            scanner.splitThreshold = splitThreshold
            var result = try scanner.scan(estimatedRows: 4)
            CSVScanner.unescape(&result, in: buffer, quote: UInt8(ascii: "\""))
            return result
        }
        #expect(bytes.count == count)
        #expect(result.rowCount == rows.count)
        #expect(result.columns.allSatisfy { $0.isPacked })
        #expect(result.columns.contains { $0.footprintBytes > $0.count * 4 + rows.count * 4 }, "some cells should have spilled")
        func read(_ range: ByteRange) -> String {
            range.isNull ? "" : String(decoding: bytes[Int(range.start)..<Int(range.start + range.count)], as: UTF8.self)
        }
        for (row, cells) in rows.enumerated() {
            for column in cells.indices {
                let want = Self.expected(cells[column])
                let ranges = result.columns[column]
                #expect(read(ranges[row]) == want, "row \(row), column \(column), split at \(splitThreshold)")
                #expect(ranges.withReader { read($0[row]) } == want, "reader: row \(row), column \(column)")
                #expect(ranges[row].isNull == cells[column].isEmpty)
            }
        }
    }

    /// A write to a copy leaves the original as it was, packed or spilled.
    @Test func aCopyIsWrittenAlone() throws {
        var bytes = Array("ab,cd\nef,gh\n".utf8)
        let result = try bytes.withUnsafeMutableBufferPointer { buffer in
            try CSVScanner(bytes: UnsafeBufferPointer(buffer), dialect: CSVDialect(delimiter: UInt8(ascii: ","), hasHeader: false),
                           start: 0, isCancelled: { false }).scan(estimatedRows: 2)
        }
        let original = result.columns[1]
        var copy = original
        copy[0] = ByteRange(start: 0, count: 1)       // fits: packed
        copy[1] = ByteRange(start: 1, count: 70_000)  // before its record's start: spilled
        #expect(copy[0] == ByteRange(start: 0, count: 1))
        #expect(copy[1] == ByteRange(start: 1, count: 70_000))
        #expect(copy.withReader { $0[1] } == ByteRange(start: 1, count: 70_000))
        #expect(original[0] == ByteRange(start: 3, count: 2))
        #expect(original[1] == ByteRange(start: 9, count: 2))
        copy[1] = .null
        #expect(copy[1].isNull)
        #expect(copy.identity != original.identity)
    }

    /// Loaded and queried: a long record's spilled cells group and join like any other.
    @Test func spilledCellsGroupAndJoin() throws {
        let harness = try SessionHarness()
        let long = String(repeating: "x", count: 70_000)
        _ = try harness.file("wide.csv", "pad,key\n\(long),k1\n\(long),k2\nshort,k1\n")
        _ = try harness.file("keys.csv", "key,n\nk1,1\nk2,2\n")
        #expect(harness.run("load $DIR/wide.csv; load $DIR/keys.csv"), "\(harness.errors)")
        expectCSV(harness, "wide | count by key", "key,n\nk1,2\nk2,1\n")
        expectCSV(harness, "wide | join keys on key | select key, n | sort key", "key,n\nk1,1\nk1,1\nk2,2\n")
    }
}
