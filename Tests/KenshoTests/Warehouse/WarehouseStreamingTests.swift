import Foundation
import Testing
@testable import Kensho

/// `push "FILE"` streams a file in slices of whole records and sends exactly the rows
/// `load` then `push` would: the same fingerprints, lines and source hash, so the same
/// digest — in UTF-8, CP932 and EUC-JP, with quoted newlines across slice boundaries.
@Suite(.enabled(if: TestWarehouse.available, "needs a PostgreSQL server (.ci/start-postgres)"))
struct WarehouseStreamingTests {
    /// The digest `push` reported last.
    static func digest(_ harness: SessionHarness) -> String? {
        guard let range = harness.errors.range(of: "digest ") else { return nil }
        return String(harness.errors[range.upperBound...].prefix(64))
    }

    /// Pushes `path` streamed in slices of `sliceSize` bytes, then loaded whole, and
    /// expects the same rows and digest.
    static func expectSameAsLoaded(_ path: String, sliceSize: Int, options: String = "",
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let warehouse = try TestWarehouse()
        let harness = try SessionHarness()
        harness.session.pushSliceSize = sliceSize
        #expect(harness.run("fingerprint person = name + birthdate + phone\nattach postgres \"\(warehouse.url)\" as wh"),
                "\(harness.errors)", sourceLocation: sourceLocation)
        let with = options.isEmpty ? "" : " with \(options)"
        #expect(harness.run("push \"\(path)\" using person to wh\(with)"), "\(harness.errors)", sourceLocation: sourceLocation)
        let streamed = digest(harness)
        let name = Loader.datasetName(forFile: path)
        let rows = try warehouse.values("SELECT rows FROM kensho_datasets WHERE dataset = '\(name)'")
        #expect(harness.run("load \"\(path)\"\(with)\npush \(name) using person to wh"), "\(harness.errors)",
                sourceLocation: sourceLocation)
        #expect(streamed != nil && streamed == digest(harness), "\(path) in slices of \(sliceSize)", sourceLocation: sourceLocation)
        #expect(try warehouse.values("SELECT rows FROM kensho_datasets WHERE dataset = '\(name)'") == rows, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["shiohama.csv", "midorigase.tsv", "encoded/hoshinooka.cp932.csv", "encoded/shirasagidai.eucjp.csv"])
    func aStreamedFileSendsWhatALoadedOneDoes(_ file: String) throws {
        let path = "\(WarehouseAnswerTests.caseDirectory)/\(file)"
        try WarehouseStreamingTests.expectSameAsLoaded(path, sliceSize: 1 << 20)
        try WarehouseStreamingTests.expectSameAsLoaded(path, sliceSize: 1500)
    }

    @Test func quotedNewlinesAcrossSliceBoundariesKeepTheirRecordsAndLines() throws {
        let harness = try SessionHarness()
        var text = "name,birthdate,phone,note\r\n"
        for row in 0..<400 {
            let note = row % 3 == 0 ? "\"line one\r\nline \"\"two\"\", part \(row)\nthree\"" : "plain \(row)"
            text += "山田 太郎\(row),1980-01-\(String(format: "%02d", row % 28 + 1)),090-1234-\(String(format: "%04d", row)),\(note)\r\n"
        }
        let path = try harness.file("multiline.csv", text)
        for size in [97, 700, 4096] { try WarehouseStreamingTests.expectSameAsLoaded(path, sliceSize: size) }
    }

    @Test func anUnterminatedQuoteFailsAtItsLineAndLeavesNothing() throws {
        let warehouse = try TestWarehouse()
        let harness = try SessionHarness()
        var text = "name,birthdate,phone\n"
        for row in 0..<200 { text += "佐藤 花子\(row),1990-02-03,03-1234-\(String(format: "%04d", row))\n" }
        text += "\"never closed,1990-02-03,03-0000-0000\n"
        for row in 0..<50 { text += "x\(row),1990-02-03,03-1234-5678\n" }
        let path = try harness.file("broken.csv", text)
        harness.session.pushSliceSize = 1024
        #expect(harness.run("fingerprint person = name + birthdate + phone\nattach postgres \"\(warehouse.url)\" as wh"))
        #expect(!harness.run("push \"\(path)\" using person to wh"))
        #expect(harness.errors.contains("broken.csv:202:1: error: unterminated quoted field"), "\(harness.errors)")
        #expect(try warehouse.values("SELECT to_regclass('kensho_datasets') IS NULL") == ["t"])
    }

    @Test func aFileThatIsNotDelimitedTextIsRefusedBeforeAnythingIsSent() throws {
        let warehouse = try TestWarehouse()
        let harness = try SessionHarness()
        let path = try harness.file("p.json", "[{\"name\": \"x\"}]")
        #expect(harness.run("fingerprint person = name\nattach postgres \"\(warehouse.url)\" as wh"))
        #expect(!harness.run("push \"\(path)\" using person to wh with format=json"))
        #expect(harness.errors.contains("error: push \"FILE\" streams CSV and TSV files, not json"))
        #expect(!harness.run("push \"$DIR/missing.csv\" using person to wh"))
        #expect(harness.errors.contains("missing.csv"))
    }
}
