import Testing
@testable import Kensho

/// The scanner's word-at-a-time field loop finds a field's end from the lowest flagged
/// byte of an eight-byte word: fields of every length, ending in each terminator at
/// every position of a word, read back exactly.
@Suite("CSV scanner field ends")
struct CSVScannerTests {
    /// Cells of every length 0...20, of ASCII (`x`) or three-byte characters (`あ`),
    /// each cut by a delimiter and records by LF, CR or CRLF; the whole text shifted by
    /// 0...7 bytes so each end falls at each offset within a word.
    @Test(arguments: ["\n", "\r", "\r\n"], [false, true])
    func everyFieldLengthAtEveryOffset(lineEnd: String, multibyte: Bool) throws {
        let unit = multibyte ? "あ" : "x"
        var rows: [[String]] = []
        for length in 0...20 {
            let cell = String(repeating: unit, count: length)
            rows.append([cell, String(repeating: unit, count: (length * 7) % 11), cell + "e"])
        }
        for shift in 0..<8 {
            // The shift is a first record of its own, so the rows start at each offset.
            let padding = String(repeating: "p", count: shift + 1)
            let text = ([[padding, "q", "r"]] + rows).map { $0.joined(separator: ",") + lineEnd }.joined()
            let bytes = Array(text.utf8)
            let result = try bytes.withUnsafeBufferPointer { buffer in
                try CSVScanner(bytes: buffer, dialect: CSVDialect(delimiter: UInt8(ascii: ","), hasHeader: false),
                               start: 0, isCancelled: { false }).scan(estimatedRows: 4)
            }
            #expect(result.rowCount == rows.count + 1)
            #expect(result.columns.count == 3)
            for (row, expected) in rows.enumerated() {
                for column in 0..<3 {
                    let range = result.columns[column][row + 1]
                    let read = range.isNull ? "" : String(decoding: bytes[Int(range.start)..<Int(range.start + range.count)], as: UTF8.self)
                    #expect(read == expected[column], "shift \(shift), row \(row), column \(column)")
                    #expect(range.isNull == expected[column].isEmpty)
                }
            }
        }
    }
}
