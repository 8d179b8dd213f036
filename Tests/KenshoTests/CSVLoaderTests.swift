import Testing
@testable import Kensho

/// The CSV scanner and loader on edge cases, checked through what a user sees.
@Suite("CSV loading")
struct CSVLoaderTests {
    /// Loads `bytes` as t.csv (with `options`) and prints `query` as CSV.
    static func load(_ bytes: [UInt8], options: String = "", query: String = "t | select *") throws -> (Bool, String, String) {
        let harness = try SessionHarness()
        try harness.file("t.csv", bytes: bytes)
        let ok = harness.run("load $DIR/t.csv\(options.isEmpty ? "" : " with " + options)\n\(query)")
        return (ok, harness.output, harness.errors)
    }

    static func table(_ text: String, options: String = "", columns: String) throws -> String {
        let (ok, output, errors) = try load(Array(text.utf8), options: options, query: "t | select \(columns)")
        #expect(ok, "\(errors)")
        return output
    }

    @Test func quotedFieldsAndDoubledQuotes() throws {
        let csv = "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"\",plain\n"
        #expect(try CSVLoaderTests.table(csv, columns: "a, b, _line") == "a,b,_line\n\"x, y\",\"say \"\"hi\"\"\",2\n\"\",plain,3\n")
    }

    @Test func embeddedNewlinesCountPhysicalLines() throws {
        let csv = "id,note\n1,\"two\nlines\"\n2,\"three\r\nline\nnote\"\n3,x\n"
        #expect(try CSVLoaderTests.table(csv, columns: "id, _line") == "id,_line\n1,2\n2,4\n3,7\n")
        #expect(try CSVLoaderTests.table(csv, columns: "note") == "note\n\"two\nlines\"\n\"three\r\nline\nnote\"\nx\n")
    }

    @Test func crlfAndByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("名前,年齢\r\n佐藤,30\r\n鈴木,41\r\n".utf8)
        let (ok, output, errors) = try CSVLoaderTests.load(bytes, query: "t | select 名前, 年齢 + 1 as next, _line")
        #expect(ok, "\(errors)")
        #expect(output == "名前,next,_line\n佐藤,31,2\n鈴木,42,3\n")
        #expect(errors.contains("utf-8 (auto, confidence 1.00)"))
    }

    @Test func loneCarriageReturnsEndRecords() throws {
        #expect(try CSVLoaderTests.table("a,b\r1,2\r3,4\r", columns: "a, _line") == "a,_line\n1,2\n3,3\n")
    }

    @Test func emptyFieldsAreNullButQuotedEmptyIsText() throws {
        let csv = "a,b,c\n,\"\",x\n1,,\n"
        #expect(try CSVLoaderTests.table(csv, columns: "a is null as an, b is null as bn, c is null as cn")
                == "an,bn,cn\ntrue,false,false\nfalse,true,true\n")
    }

    @Test func noTrailingNewlineAndBlankLines() throws {
        #expect(try CSVLoaderTests.table("a\n1\n\n2", columns: "a, _line") == "a,_line\n1,2\n2,4\n")
    }

    @Test func raggedRowsAreKeptAndReported() throws {
        let csv = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
        let (ok, output, errors) = try CSVLoaderTests.load(Array(csv.utf8), query: "t | select *\nrejects t")
        #expect(ok, "\(errors)")
        #expect(output == """
        a,b,c,column_4
        1,2,3,
        4,5,,
        6,7,8,9
        dataset,line,byte_offset,reason
        t,3,12,2 fields where the header has 3
        t,4,16,4 fields where the header has 3

        """)
        #expect(errors.contains("warning: 2 records kept with problems (first at line 3: 2 fields where the header has 3); see: rejects t"))
    }

    @Test func aOneMegabyteField() throws {
        let big = String(repeating: "長", count: 350_000)  // 1,050,000 bytes
        let csv = "id,text\n1,\"\(big)\"\n2,short\n"
        let (ok, output, errors) = try CSVLoaderTests.load(Array(csv.utf8), query: "t | select id, length(text) as n")
        #expect(ok, "\(errors)")
        #expect(output == "id,n\n1,350000\n2,5\n")
    }

    @Test(arguments: [
        ("a;b;c\n1;2;3\n4;5;6\n", "semicolon"),
        ("a\tb\n1\t2\n", "tab"),
        ("a|b\n1|2\n", "pipe"),
        ("a,b\n\"1;2\",3\n", "comma"),
    ])
    func sniffsTheDelimiter(_ csv: String, _ name: String) throws {
        let (ok, _, errors) = try CSVLoaderTests.load(Array(csv.utf8), query: "t | count")
        #expect(ok)
        #expect(errors.contains("\(name)-separated"), "\(errors)")
    }

    @Test func headerSniffing() throws {
        let (ok, output, errors) = try CSVLoaderTests.load(Array("1,2\n3,4\n".utf8), query: "t | select column_1")
        #expect(ok, "\(errors)")
        #expect(output == "column_1\n1\n3\n")
        #expect(errors.contains("no header"))
        #expect(try CSVLoaderTests.table("x,y\n1,2\n", options: "header=false", columns: "column_1") == "column_1\nx\n1\n")
    }

    @Test func typesKeepCodesAsText() throws {
        let csv = "card_no,postal,phone,count,score,ratio,born,z\n0012,4440001,0564221234,3,1.5,1.50,19750403,007\n0100,4440002,0564221235,12,-2.25,2.00,19800101,8\n"
        let harness = try SessionHarness()
        try harness.file("t.csv", csv)
        #expect(harness.run("load $DIR/t.csv\ndescribe t"))
        #expect(harness.output.hasPrefix("""
        column,type,filled,null,distinct,note
        card_no,text,2,0,2,
        postal,text,2,0,2,
        phone,text,2,0,2,
        count,integer,2,0,2,
        score,float,2,0,2,
        ratio,text,2,0,2,
        born,text,2,0,2,
        z,text,2,0,2,
        """))
    }

    @Test func duplicateAndEmptyHeaderNames() throws {
        #expect(try CSVLoaderTests.table("a,a,,_line\n1,2,3,4\n", columns: "a, a_2, column_3, _line_2, _line")
                == "a,a_2,column_3,_line_2,_line\n1,2,3,4,2\n")
    }

    @Test func unterminatedQuoteFailsWithItsPlace() throws {
        let (ok, _, errors) = try CSVLoaderTests.load(Array("a,b\n1,2\n3,\"open\n4,5\n".utf8))
        #expect(!ok)
        #expect(errors.hasPrefix("$DIR/t.csv:3:3: error: unterminated quoted field: the quote opened here is never closed (byte offset 10)\n"))
    }

    @Test func invalidUTF8NamesItsByte() throws {
        var bytes = Array("a,b\n1,ok\n2,".utf8)
        bytes += [0xE6, 0x97]  // a truncated three-byte sequence
        bytes += Array(",x\n".utf8)
        let (ok, _, errors) = try CSVLoaderTests.load(bytes, options: "encoding=utf-8")
        #expect(!ok)
        #expect(errors.hasPrefix("$DIR/t.csv:3:3: error: bytes that are not valid utf-8 (E6 97 2C 78) (byte offset 11)\n"))
    }

    @Test func binaryDataIsRefused() throws {
        let (ok, _, errors) = try CSVLoaderTests.load([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
        #expect(!ok)
        #expect(errors.contains("this looks like binary data, not text: a NUL byte"))
    }

    @Test func missingFileAndDirectory() throws {
        let harness = try SessionHarness()
        #expect(!harness.run("load $DIR/nope.csv"))
        #expect(harness.errors == "$DIR/nope.csv: error: cannot open '$DIR/nope.csv': no such file\n")
        #expect(!harness.run("load $DIR with format=csv"))
        #expect(harness.errors.hasPrefix("$DIR: error: '$DIR' is a directory\n"))
    }

    @Test func globLoadsEachMatchNamedByTheDifferingSegment() throws {
        let harness = try SessionHarness()
        try harness.file("dumps/okazaki/patrons.csv", "id\n1\n2\n")
        try harness.file("dumps/ebino/patrons.csv", "id\n3\n")
        expectCSV(harness, "load \"$DIR/dumps/*/patrons.csv\"\ndatasets | select name, rows",
                  "name,rows\nebino,1\nokazaki,2\n")
    }

    @Test func emptyFileLoadsNoRows() throws {
        let (ok, output, _) = try CSVLoaderTests.load([], query: "t | count")
        #expect(ok)
        #expect(output == "n\n0\n")
    }

    /// The evidence hash is computed beside the scan (`PendingDigest`) and quoted cells
    /// are unescaped in the file's own buffer after it: the recorded SHA-256 is of the
    /// file as read, for text kept as read (UTF-8, with doubled quotes to unescape) and
    /// for text decoded into a new buffer (CP932), both large enough to be hashed on a
    /// thread of their own.
    @Test(arguments: ["UTF-8", "CP932"])
    func theEvidenceHashIsOfTheFileAsRead(encoding: String) throws {
        var text = "名前,メモ\n"
        for row in 0..<60_000 { text += "佐藤 \(row),\"言った \"\"はい\"\" \(row)\"\n" }
        let bytes = encoding == "UTF-8" ? Array(text.utf8) : EncodingTests.encode(text, to: encoding)
        #expect(bytes.count > 1 << 20)
        let (ok, output, errors) = try CSVLoaderTests.load(bytes, query: "t | where _line = 60001 | select メモ, _source")
        #expect(ok, "\(errors)")
        let digest = SHA256Digest.hex(of: bytes)
        #expect(errors.contains("sha256 \(digest)"), "\(errors)")
        #expect(output == "メモ,_source\n\"言った \"\"はい\"\" 59999\",\(digest)\n")
    }
}

/// Bodies over a few megabytes are split at a record boundary and scanned on both
/// cores: the result must be exactly what one pass gives, lines included.
@Suite("CSV loading in parallel")
struct ParallelCSVTests {
    @Test func aLargeFileGivesTheSameRowsAndLines() throws {
        var csv = "id,note,amount\n"
        var expected: [(id: Int, line: Int, note: String)] = []
        var line = 2
        for id in 0..<60_000 {
            // Every 7th note spans lines; every 5th holds quotes and the delimiter.
            var note = "note \(id) " + String(repeating: "長い備考", count: id % 13)
            if id % 7 == 0 { note += "\nsecond line\r\nthird" }
            if id % 5 == 0 { note += ", with \"quotes\"" }
            let quoted = note.contains(where: { $0 == "\n" || $0 == "," || $0 == "\"" })
                ? "\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : note
            csv += "\(id),\(quoted),\(id * 3)\n"
            expected.append((id, line, note))
            line += 1 + note.unicodeScalars.filter { $0 == "\n" }.count
        }
        #expect(csv.utf8.count > CSVScanner.parallelThreshold)
        let harness = try SessionHarness()
        try harness.file("big.csv", csv)
        #expect(harness.run("load $DIR/big.csv\nbig | select id, _line, note"))
        let rows = harness.session.catalog["big"]!.table
        #expect(rows.rowCount == expected.count)
        let ids = rows.column(named: "id")!, lines = rows.column(named: "_line")!, notes = rows.column(named: "note")!
        for (row, want) in expected.enumerated() {
            guard ids.value(at: row) == .text(String(want.id)), lines.value(at: row) == .integer(Int64(want.line)),
                  notes.value(at: row) == .text(want.note) else {
                Issue.record("row \(row): \(ids.value(at: row)) \(lines.value(at: row)) \(notes.value(at: row)), want \(want)")
                return
            }
        }
    }

    @Test func raggedRowsAcrossTheSplitAreReportedWithTheirLines() throws {
        var csv = "a,b,c\n"
        for i in 0..<200_000 { csv += i % 50_000 == 49_999 ? "\(i),x\n" : "\(i),x,y\n" }
        let harness = try SessionHarness()
        try harness.file("r.csv", csv)
        expectCSV(harness, "load $DIR/r.csv\nrejects r | select line", "line\n50001\n100001\n150001\n200001\n")
    }
}
