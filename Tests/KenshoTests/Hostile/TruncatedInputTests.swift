import Foundation
import Testing
@testable import Kensho

/// Files cut short — a copy interrupted, a disk full, a download stopped — at every
/// byte: each load either reads what a shorter file would say, or fails naming the
/// place, and never keeps part of a file while saying it loaded the whole.
///
/// What cannot be told from the bytes is documented, not guessed: a CSV cut at a
/// record boundary or inside an unquoted field reads as a shorter file, and JSON Lines
/// cut at a line boundary as fewer records (their SHA-256 differs from the original's).
@Suite("Hostile input: truncated files", .timeLimit(.minutes(1)))
struct TruncatedInputTests {
    static let csv = Array("id,note,name\n1,\"two\nlines, \"\"quoted\"\"\",山田\n2,plain,佐藤\n".utf8)

    /// Loads `bytes` as `name` in a fresh session; returns the session and whether it loaded.
    static func load(_ bytes: [UInt8], as name: String) throws -> (SessionHarness, Bool) {
        let harness = try SessionHarness()
        try harness.file(name, bytes: bytes)
        return (harness, harness.run("load $DIR/\(name)"))
    }

    @Test func aCSVCutAtEveryByteLoadsOrFailsWhole() throws {
        for cut in 1..<TruncatedInputTests.csv.count {
            let (harness, loaded) = try TruncatedInputTests.load(Array(TruncatedInputTests.csv[..<cut]), as: "t.csv")
            if loaded {
                #expect(harness.datasetNames == ["t"])
            } else {
                #expect(harness.errors.contains("nothing was loaded"), "cut at \(cut): \(harness.errors)")
                #expect(harness.datasetNames.isEmpty, "cut at \(cut)")
            }
        }
    }

    @Test func aCSVCutInsideAQuotedFieldNamesTheQuote() throws {
        let cut = TruncatedInputTests.csv.firstIndex(of: UInt8(ascii: "q"))!
        let (harness, loaded) = try TruncatedInputTests.load(Array(TruncatedInputTests.csv[..<cut]), as: "t.csv")
        #expect(!loaded)
        #expect(harness.errors == """
        $DIR/t.csv:2:3: error: unterminated quoted field: the quote opened here is never closed (byte offset 15)
        note: nothing was loaded: every byte after this quote would belong to one field; close or remove the quote in a copy of the file and load the copy

        """)
    }

    @Test func aUTF8CSVCutInsideACharacterNamesTheCut() throws {
        // Cut after the first byte of 藤: the file is UTF-8 up to there.
        let (harness, loaded) = try TruncatedInputTests.load(Array(TruncatedInputTests.csv.dropLast(3)), as: "t.csv")
        #expect(!loaded)
        #expect(harness.errors == """
        $DIR/t.csv:4:10: error: a multibyte sequence cut off by the end of the file (E8) (byte offset 57)
        note: nothing was loaded
        note: to load it anyway, replacing such bytes with U+FFFD and counting them: with errors=replace

        """)
    }

    @Test func aCP932CSVCutInsideACharacterIsDetectedAndNamesTheCut() throws {
        let bytes = EncodingTests.encode("id,氏名,住所\n1,山田太郎,愛知県岡崎市\n2,佐藤花子,東京都\n", to: "CP932")
        let (harness, loaded) = try TruncatedInputTests.load(Array(bytes.dropLast(2)), as: "t.csv")
        #expect(!loaded)
        #expect(harness.errors.hasPrefix("$DIR/t.csv:3:10: error: a multibyte sequence cut off by the end of the file (93) (byte offset 52)\n"),
                "\(harness.errors)")
    }

    static let json = Array("""
    [
      {"id": 1, "name": "山田", "tags": ["a", "b"], "address": {"city": "岡崎"}},
      {"id": 2, "name": "佐藤\\u0020", "note": null}
    ]

    """.utf8)

    @Test func aJSONDocumentCutAnywhereFailsWithItsPlace() throws {
        for cut in 1..<(TruncatedInputTests.json.count - 1) {
            let (harness, loaded) = try TruncatedInputTests.load(Array(TruncatedInputTests.json[..<cut]), as: "t.json")
            #expect(!loaded, "cut at \(cut) loaded")
            #expect(harness.errors.hasPrefix("$DIR/t.json"), "cut at \(cut): \(harness.errors)")
            #expect(harness.errors.contains("nothing was loaded"), "cut at \(cut): \(harness.errors)")
            #expect(harness.datasetNames.isEmpty)
        }
        let (whole, loaded) = try TruncatedInputTests.load(TruncatedInputTests.json, as: "t.json")
        #expect(loaded, "\(whole.errors)")
        expectCSV(whole, "t | count", "n\n2\n")
    }

    @Test func aJSONDocumentCutMidObject() throws {
        let text = String(decoding: TruncatedInputTests.json, as: UTF8.self)
        let cut = Array(text.components(separatedBy: "\"note\"")[0].utf8)
        let (harness, loaded) = try TruncatedInputTests.load(cut, as: "t.json")
        #expect(!loaded)
        #expect(harness.errors == """
        $DIR/t.json:3:33: error: expected a string key in an object, found the end of the file (byte offset 120)
        note: nothing was loaded

        """)
    }

    @Test func jsonLinesCutMidRecordFailsButAtALineBoundaryReadsAsFewerRecords() throws {
        let lines = Array("{\"a\": 1}\n{\"a\": 2, \"b\": \"x\"}\n".utf8)
        let (cutMid, loadedMid) = try TruncatedInputTests.load(Array(lines.dropLast(6)), as: "t.jsonl")
        #expect(!loadedMid)
        #expect(cutMid.errors.hasPrefix("$DIR/t.jsonl:2:14: error: expected a value, found the end of the file (byte offset 22)\n"),
                "\(cutMid.errors)")
        let (cutLine, loadedLine) = try TruncatedInputTests.load(Array(lines[...8]), as: "t.jsonl")
        #expect(loadedLine, "\(cutLine.errors)")
        expectCSV(cutLine, "t | count", "n\n1\n")
    }

    /// Cut at every page boundary and inside pages: refused before SQLite reads it,
    /// because SQLite reads missing bytes as zeros (a cut of one byte turned the last
    /// value into NULL).
    @Test func anSQLiteFileCutAnywhereIsRefused() throws {
        let harness = try SessionHarness.journaled()
        let path = harness.path("whole.sqlite")
        let rows = (1...300).map { "(\($0), 'record \($0)')" }.joined(separator: ", ")
        try SQLiteFixture.create(at: path, "PRAGMA page_size=1024; CREATE TABLE t (id INTEGER, text TEXT); INSERT INTO t VALUES \(rows);"
                                 + " CREATE TABLE last (a INTEGER); INSERT INTO last VALUES (1);")
        let whole = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let size = TableRenderer.grouped(whole.count)
        var cuts = Array(stride(from: 1024, to: whole.count, by: 1024)) + [100, 1500, whole.count - 1]
        cuts.sort()
        for cut in cuts {
            try harness.file("cut.sqlite", bytes: Array(whole[..<cut]))
            try harness.expectRefused("load $DIR/cut.sqlite", """
            $DIR/cut.sqlite: error: '$DIR/cut.sqlite' is not a whole SQLite database: its header counts \(whole.count / 1024) pages \
            of 1,024 bytes (\(size) bytes), but the file holds \(TableRenderer.grouped(cut))
            note: nothing was loaded: the file was cut short, or its header is damaged

            """)
        }
        try harness.file("cut.sqlite", bytes: Array(whole[..<50]))
        try harness.expectRefused("load $DIR/cut.sqlite", """
        $DIR/cut.sqlite: error: '$DIR/cut.sqlite' is not a whole SQLite database: it is 50 bytes, less than SQLite's 100-byte header

        """)
    }

    /// A header whose page count is not vouched for (written by an old SQLite) gives no
    /// size to compare; a cut inside a page is still seen.
    @Test func anSQLiteFileWithoutAPageCountCutInsideAPage() throws {
        let harness = try SessionHarness()
        let path = harness.path("old.sqlite")
        try SQLiteFixture.create(at: path, "PRAGMA page_size=1024; CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2);")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[95] &+= 1  // "version valid for" no longer equals the change counter
        try harness.file("old.sqlite", bytes: Array(bytes.dropLast()))
        try harness.expectRefused("load $DIR/old.sqlite", """
        $DIR/old.sqlite: error: '$DIR/old.sqlite' is not a whole SQLite database: it ends inside a page: \
        \(TableRenderer.grouped(bytes.count - 1)) bytes is not a whole number of 1,024-byte pages

        """)
    }
}
