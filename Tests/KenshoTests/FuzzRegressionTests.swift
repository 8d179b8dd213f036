import Testing
@testable import Kensho

/// What the fuzz harnesses (`Fuzz/`) found, each with the input that showed it, so it
/// stays fixed. The inputs are in the harnesses' corpora too.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    // MARK: - CSV

    /// Records below a header that had blank lines above it were numbered as if the blank
    /// lines were not there.
    @Test func aHeaderBelowBlankLinesKeepsPhysicalLines() throws {
        let input = Array("\n\r\n\nid,name\n1,a\n2,\"b\nc\"\n".utf8)
        let (ok, output, errors) = try CSVLoaderTests.load(input, query: "t | select id, _line")
        #expect(ok, "\(errors)")
        #expect(output == "id,_line\n1,5\n2,6\n")
    }

    /// A doubled quote in a field past the header's width stayed doubled.
    @Test func doubledQuotesInAnExtraFieldAreUnescaped() throws {
        let input = Array("a,b,c\n1,2\n3,4,5,6,\"x\"\"y\"\n\n7,8,9,\n".utf8)
        let (ok, output, errors) = try CSVLoaderTests.load(input, query: "t | select column_5")
        #expect(ok, "\(errors)")
        #expect(output == "column_5\n\n\"x\"\"y\"\n\n")
    }

    /// Scans `text` as a body over 4 MiB is scanned: split in two at a record end found
    /// from quote parity.
    static func splitScan(_ text: String, delimiter: Character = ",") throws -> CSVScanner.Result {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer in
            var scanner = CSVScanner(bytes: UnsafeBufferPointer(buffer), dialect: CSVDialect(delimiter: delimiter.asciiValue!, hasHeader: false),
                                     start: 0, isCancelled: { false })
            scanner.splitThreshold = 0
            return try scanner.scan(estimatedRows: 4)
        }
    }

    /// A quote inside an unquoted field upsets the parity: the split point fell inside the
    /// quoted field below it, and a valid file failed with an unterminated quote.
    @Test func aSplitScanGetsPastAStrayQuote() throws {
        let result = try FuzzRegressionTests.splitScan("ab\"c\n\"x\ny\"\nz\n")
        #expect(result.rowCount == 3)
        #expect(result.lines.map { Array($0.buffer) } == [1, 2, 4])
    }

    /// An unclosed quote in the second part was reported with a line counted from the
    /// split point (found on the committed seed `text-after-quote`).
    @Test func anUnclosedQuoteInTheSecondPartNamesItsLine() throws {
        let cases: [(text: String, delimiter: Character, line: Int, offset: Int)] = [
            ("a\nb\nc\nd\ne\nf\n\"open\ng\n", ",", 7, 12),
            ("name,city\n\"Aoki\"san,Tokyo\n\"Baba\" ,\"Osaka\"x\nab\"cd,\"e\n\"\n", "\t", 5, 52),
        ]
        for (text, delimiter, line, offset) in cases {
            #expect {
                _ = try FuzzRegressionTests.splitScan(text, delimiter: delimiter)
            } throws: { error in
                guard let quote = error as? CSVScanner.UnterminatedQuote else { return false }
                return (quote.line, quote.byteOffset) == (line, offset)
            }
        }
    }

    // MARK: - Language

    /// What follows `load`, `save` and `to` was lexed as an ordinary token before being read
    /// as a path: in `save`;`` that token was a backtick-quoted name running past the `;`,
    /// so in a script the statement parsed as `save`` (the path a lone backtick) while
    /// alone it failed with an unterminated quoted name, and replay parses a journaled
    /// statement alone.
    @Test(arguments: ["save", "load"])
    func aPathAfterItsKeywordParsesAloneAsInItsScript(keyword: String) throws {
        var parser = try Parser(SourceText(name: "s", text: "\(keyword)`;`"))
        let first = try #require(try parser.nextStatement())
        #expect(first.text == "\(keyword)`")
        let alone = try Parser.parseAll(SourceText(name: "s", text: first.text))
        #expect(alone.count == 1)
        #expect(alone.first?.statement.treeDescription == first.statement.treeDescription)
    }

    // MARK: - Journal

    /// A journal in memory, as `JournalWriter` writes one.
    static func journal(_ entries: [(statement: String, annotation: JournalAnnotation)]) -> [UInt8] {
        let header = JournalHeader(fields: [("tool", "kensho test"), ("started", "2026-01-01T00:00:00.000Z")]).text
        var text = header
        var head = JournalChain.genesis(header: header)
        for entry in entries {
            let (entryText, chain) = JournalWriter.entry(statement: entry.statement, annotation: entry.annotation, previous: head)
            text += entryText
            head = chain
        }
        return Array(text.utf8)
    }

    /// Last entries whose write, cut short at any byte, failed to verify: a statement
    /// holding `chain=` (read as a damaged annotation), an annotation value holding
    /// ` chain=` (read as a finished annotation), and a multi-byte character cut in two
    /// (read as bytes that are not UTF-8).
    @Test(arguments: [
        ("set operator = \"chain=x\"", [("time", "2026-01-01T00:00:01.000Z"), ("status", "ok")]),
        ("p | wher x", [("status", "error"), ("error", "unknown operator 'wher' near ' chain=abc'")]),
        ("note found \"山田 太郎\"", [("status", "ok"), ("note", "山田")]),
    ])
    func everyCutOfTheLastEntryVerifies(statement: String, fields: [(String, String)]) {
        let first = (statement: "load p.csv", annotation: JournalAnnotation([("status", "ok"), ("rows", "3")]))
        let before = FuzzRegressionTests.journal([first])
        let full = FuzzRegressionTests.journal([first, (statement, JournalAnnotation(fields.map { (key: $0.0, value: $0.1) }))])
        for cut in before.count..<full.count {
            let report = JournalVerifier.verify(bytes: Array(full[..<cut]))
            #expect(report.isIntact, "cut at \(cut): \(report.broken.map(\.message) ?? "")")
            #expect(report.entries == (cut == full.count - 1 ? 2 : 1), "cut at \(cut)")
        }
        #expect(JournalVerifier.verify(bytes: full).entries == 2)
    }

    /// The `journal` fuzzer's finding: an annotation whose first field's key starts with
    /// a combining mark (U+0CD6). Its line begins `--= ` and the mark, and Swift's
    /// `hasPrefix("--= ")` compares characters, where the space and the mark are one: the
    /// reader took the annotation for a statement line and the good journal for a
    /// damaged one. The marks are now compared as bytes; a statement line beginning
    /// `--=` is still escaped and read back as a statement.
    @Test func anAnnotationWhoseFirstKeyStartsWithACombiningMarkVerifies() throws {
        let statement = " r\"\n--=\u{FFFD}- r\""
        let fields = [("\u{0CD6}-cha?dting", "=se-="), ("status", "ok")]
        let bytes = FuzzRegressionTests.journal([
            (statement: "load p.csv", annotation: JournalAnnotation([("status", "ok")])),
            (statement: statement, annotation: JournalAnnotation(fields.map { (key: $0.0, value: $0.1) })),
        ])
        let report = JournalVerifier.verify(bytes: bytes)
        #expect(report.isIntact, "\(report.broken.map(\.message) ?? "")")
        #expect(report.entries == 2)
        let document = try JournalDocument.parse(String(decoding: bytes, as: UTF8.self))
        #expect(document.entries.last?.annotation.fields.first?.key.utf8.elementsEqual("\u{0CD6}-cha?dting".utf8) == true)
        #expect(document.entries.last?.statement == " r\"\n-- =\u{FFFD}- r\"")
    }

    /// A script with CRLF line ends: a failed statement's journaled text ended in "\r",
    /// and "\r" + the annotation's "\n" is one Character in Swift, so a reader splitting
    /// lines at Characters never saw the annotation line, and verify failed.
    @Test func aJournalOfACRLFScriptVerifies() throws {
        let (harness, path) = try JournalTests.journaled("load $DIR/p.csv\r\np | where\r\np | count\r\n")
        let report = JournalVerifier.verify(bytes: try FileBytes(path: path).bytes)
        #expect(report.isIntact, "\(report.broken.map(\.message) ?? "")")
        #expect(report.entries == 3)
        #expect(report.head == harness.session.journal!.head)
    }
}
