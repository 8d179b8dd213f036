import Testing
@testable import Kensho

/// `_dataset` and `_source` are one value mapped to every row: reading, selecting and
/// compacting them gives that value on every row, and `_line` stays per row.
@Suite("Provenance columns")
struct ProvenanceTests {
    @Test func everyRowReadsTheDatasetAndTheSource() {
        let (fields, columns) = Provenance.columns(dataset: "minato", sha256: "ab12", lines: [2, 3, 5, 9] as [Int64])
        #expect(fields.map(\.name) == ["_dataset", "_source", "_line"])
        let table = Table(fields: fields, columns: columns, rowCount: 4)
        for row in 0..<4 {
            #expect(table.columns[0].value(at: row) == .text("minato"))
            #expect(table.columns[1].value(at: row) == .text("ab12"))
        }
        #expect((0..<4).map { table.columns[2].value(at: $0) } == [.integer(2), .integer(3), .integer(5), .integer(9)])
        // A selection (with a missing row, as a left join makes) and a compacted copy.
        let picked = table.selecting(RowMap([3, -1, 0]))
        #expect((0..<3).map { picked.columns[0].value(at: $0) } == [.text("minato"), .null, .text("minato")])
        #expect((0..<3).map { picked.columns[2].value(at: $0) } == [.integer(9), .null, .integer(2)])
        let compacted = picked.columns[1].compacted()
        #expect((0..<3).map { compacted.value(at: $0) } == [.text("ab12"), .null, .text("ab12")])
    }

    @Test func anEmptyTableHasEmptyProvenance() {
        let (_, columns) = Provenance.columns(dataset: "d", sha256: "s", lines: [] as [Int64])
        #expect(columns.allSatisfy { $0.count == 0 })
    }
}
