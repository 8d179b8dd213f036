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
        #expect(result.lines == [1, 2, 4])
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
}
