import Foundation
import Testing
@testable import Kensho

/// Inputs shaped to exhaust time or memory: a million columns, tables padded out from
/// a few bytes. Big inputs are generated here at run time. (A 100 MB value is loaded
/// by the built binary, where its time and memory are measured: `ResourceLimitTests`.)
///
/// Columns are bounded by `LoadLimits.maximumColumns`, and padding by
/// `LoadLimits.cellsPerInputByte`: past either the load is refused at the record that
/// crossed it.
@Suite("Hostile input: oversized tables", .timeLimit(.minutes(1)))
struct OversizedInputTests {
    static func header(_ fields: Int) -> String {
        (0..<fields).map { "c\($0)" }.joined(separator: ",")
    }

    @Test func aMillionFieldHeaderIsRefusedWhereItCrossesTheLimit() throws {
        let harness = try SessionHarness.journaled()
        try harness.file("wide.csv", OversizedInputTests.header(1_000_000) + "\n" + "1\n")
        let offset = OversizedInputTests.header(LoadLimits.maximumColumns).utf8.count + 1
        try harness.expectRefused("load $DIR/wide.csv", """
        $DIR/wide.csv:1:\(offset + 1): error: a record with more than 16,384 fields (byte offset \(offset))
        note: nothing was loaded: kensho loads at most 16,384 columns
        note: if this line is not a record (binary junk, a wrong delimiter), remove it from a copy and load the copy

        """)
    }

    @Test func aMillionFieldsInOneDataRowAreRefusedToo() throws {
        let harness = try SessionHarness.journaled()
        try harness.file("junk.csv", "a,b\n1,2\n" + String(repeating: ",", count: 1_000_000) + "\n3,4\n")
        try harness.expectRefused("load $DIR/junk.csv", """
        $DIR/junk.csv:3:16385: error: a record with more than 16,384 fields (byte offset 16392)
        """)
    }

    @Test func exactlyTheColumnLimitLoads() throws {
        let harness = try SessionHarness()
        let fields = LoadLimits.maximumColumns
        try harness.file("limit.csv", OversizedInputTests.header(fields) + "\n"
                         + (0..<fields).map(String.init).joined(separator: ",") + "\n")
        #expect(harness.run("load $DIR/limit.csv"), "\(harness.errors)")
        #expect(harness.errors.contains("limit: 1 row, 16384 columns"), "\(harness.errors)")
        expectCSV(harness, "limit | select c16383", "c16383\n16383\n")
    }

    @Test func aMillionKeysInOneJSONRecordAreRefused() throws {
        let harness = try SessionHarness.journaled()
        let members = (0..<1_000_000).map { "\"k\($0)\": 1" }.joined(separator: ", ")
        try harness.file("keys.json", "[{\(members)}]")
        let offset = "[{".utf8.count + (0..<LoadLimits.maximumColumns).map { "\"k\($0)\": 1, " }.joined().utf8.count
        try harness.expectRefused("load $DIR/keys.json", """
        $DIR/keys.json:1:\(offset + 1): error: more than 16,384 distinct keys: 'k16384' would be column 16,385 (byte offset \(offset))
        note: nothing was loaded
        note: kensho loads at most 16,384 columns (nested keys count as columns)

        """)
    }

    /// Every record brings a new key: each is a column of every row, so a 200 KB file
    /// would be a table of 16,384 × 16,384 empty cells.
    @Test func jsonRecordsThatEachBringANewKeyAreRefused() throws {
        let harness = try SessionHarness.journaled()
        try harness.file("sparse.jsonl", (0..<16_384).map { "{\"k\($0)\": 1}\n" }.joined())
        try harness.expectRefused("load $DIR/sparse.jsonl", """
        $DIR/sparse.jsonl:2131:2: error: the table would have 2,131 columns × 2,131 rows (4,541,161 cells, almost all empty) \
        from 218,266 bytes (byte offset 26581)
        note: nothing was loaded
        note: the records bring ever new keys, each a column; kensho refuses a table with more than 16 cells per byte of its file: \
        the empty cells would take far more memory than the file

        """)
    }

    /// One junk line with 16,000 delimiters in a million-row file would make 16,000
    /// columns of a million (mostly empty) cells each: 128 GB.
    @Test func oneRaggedLineInALongFileIsRefused() throws {
        let harness = try SessionHarness.journaled()
        let rows = String(repeating: "1\n", count: 500_000)
        try harness.file("ragged.csv", "a\n" + rows + String(repeating: ",", count: 15_999) + "\n" + rows)
        try harness.expectRefused("load $DIR/ragged.csv", """
        $DIR/ragged.csv:500002:1: error: the table would have 16,000 columns × 1,000,001 rows (16,000,016,000 cells, almost all empty) \
        from 2,016,002 bytes (byte offset 1000002)
        note: nothing was loaded: records with fewer fields than the header, or more, are padded with empty cells; \
        kensho refuses a table with more than 16 cells per byte of its file: the empty cells would take far more memory than the file

        """)
    }

    /// Memory the system refuses to the scanner's column buffers is an error the load
    /// reports (`Loader` turns it into a diagnostic), not a trap; the binary's tests
    /// provoke it under `ulimit -v`.
    @Test func aRefusedColumnBufferIsAnErrorNotATrap() {
        #expect(throws: OutOfMemory.self) { try ColumnBuffers(columns: 2, capacity: 1 << 58) }
        let buffers = try? ColumnBuffers(columns: 2, capacity: 16)
        #expect(throws: OutOfMemory.self) { try buffers?.ensure(1 << 58) }
    }

    /// Ragged rows within the bound are kept, as ever, and listed.
    @Test func raggedRowsWithinTheBoundAreKeptAndListed() throws {
        let harness = try SessionHarness()
        try harness.file("ok.csv", "a,b\n1,2\n3,4,5,6\n7\n")
        #expect(harness.run("load $DIR/ok.csv"), "\(harness.errors)")
        expectCSV(harness, "ok | select a, b, column_3, column_4", "a,b,column_3,column_4\n1,2,,\n3,4,5,6\n7,,,\n")
        expectCSV(harness, "rejects ok | select line", "line\n3\n4\n")
    }
}
