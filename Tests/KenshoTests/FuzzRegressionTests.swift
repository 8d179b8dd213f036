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
}
