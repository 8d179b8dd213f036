import CKenshoCSV
import Testing
@testable import Kensho

/// The C fast path for plain records (`kensho_csv_scan_plain_records`) must read every
/// input exactly as the Swift record loop does: the same cells, lines, escaped cells,
/// issues and errors, whether it takes a record or leaves it to the loop.
@Suite("CSV plain-record fast path")
struct CSVPlainRecordPathTests {
    /// Random texts over an alphabet of the bytes that matter (delimiter, quote, LF, CR,
    /// an ASCII and a three-byte letter, space), with runs of letters long enough to
    /// cross the sixteen-byte compares, read with the fast path and without it, as one
    /// part and split in two, with and without a header.
    @Test func readsRandomTextsAsTheRecordLoopDoes() throws {
        var random = SplitMix64(seed: 0x5eed_c5f)
        let pieces: [[UInt8]] = [[0x2C], [0x22], [0x0A], [0x0D], [0x0D, 0x0A], Array("a".utf8), Array("あ".utf8),
                                 [0x20], Array("abcdefghijklmnopq".utf8), Array("いろはにほへと".utf8)]
        // Plain records dominate, as in real exports, so the fast path takes runs of them.
        let plainRow: () -> [UInt8] = { Array("0001,山田 太郎,1980-01-02,090-1234-5678\n".utf8) }
        var compared = 0
        for _ in 0..<3000 {
            // Half the texts start with a plain row, so the column count is the plain rows'.
            var text: [UInt8] = random.next() % 2 == 0 ? plainRow() : []
            let length = Int(random.next() % 120)
            while text.count < length {
                if random.next() % 4 == 0 {
                    text += plainRow()
                } else {
                    text += pieces[Int(random.next() % UInt64(pieces.count))]
                }
            }
            for hasHeader in [false, true] {
                for split in [false, true] {
                    let fast = Self.scan(text, hasHeader: hasHeader, split: split, plainPath: true)
                    let loop = Self.scan(text, hasHeader: hasHeader, split: split, plainPath: false)
                    #expect(fast == loop, "input \(text.map { String($0, radix: 16) })")
                    compared += 1
                }
            }
        }
        #expect(compared == 12000)
    }

    /// Cells next to the packed layout's limits (a cell 65,535 bytes long or more, or
    /// starting that far into its record) are left to the record loop, which spills them.
    @Test(arguments: [65_534, 65_535, 65_536])
    func cellsAtThePackingLimitsReadAsTheRecordLoopReadsThem(length: Int) {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: length)
        var text: [UInt8] = Array("a,b\n".utf8)
        text += long + Array(",c\n".utf8)
        text += Array("d,".utf8) + long + Array("\n".utf8)
        text += Array("\"".utf8) + long + Array("\",e\nf,g\n".utf8)
        let fast = Self.scan(text, hasHeader: false, split: false, plainPath: true)
        #expect(fast == Self.scan(text, hasHeader: false, split: false, plainPath: false))
        #expect(fast.rows.count == 5)
        #expect(fast.rows[1][0]?.count == length && fast.rows[2][1]?.count == length && fast.rows[3][0]?.count == length)
    }

    /// The quote count behind the split point: every length up to past one summing
    /// round (255 sixteen-byte compares), at every alignment, against a byte loop.
    @Test func countsABytesOccurrences() {
        var random = SplitMix64(seed: 7)
        let bytes = (0..<9000).map { _ in random.next() % 3 == 0 ? UInt8(ascii: "\"") : UInt8(truncatingIfNeeded: random.next()) }
        bytes.withUnsafeBufferPointer { all in
            for start in 0..<16 {
                for length in [0, 1, 15, 16, 17, 255 * 16 - 1, 255 * 16, 255 * 16 + 1, 8000] + (0..<40).map({ $0 * 37 }) {
                    let slice = UnsafeBufferPointer(rebasing: all[start..<(start + length)])
                    let expected = slice.reduce(0) { $0 + ($1 == UInt8(ascii: "\"") ? 1 : 0) }
                    #expect(kensho_count_byte(slice.baseAddress, slice.count, UInt8(ascii: "\"")) == expected, "start \(start), length \(length)")
                }
            }
        }
        #expect(kensho_count_byte(nil, 0, 0) == 0)
    }

    /// A body large enough that the quotes before its middle are counted on both cores
    /// splits on the record boundary a one-byte-at-a-time parity walk finds, and reads
    /// as the one-part scan does.
    @Test func aLargeBodySplitsWhereQuoteParityPutsARecordEnd() throws {
        var text: [UInt8] = Array("id,note\n".utf8)
        var row = 0
        while text.count < 9 << 20 {
            // Every third record holds a quoted line break, every seventh a doubled quote.
            let note = row % 3 == 0 ? "\"line one\nline two\"" : row % 7 == 0 ? "\"say \"\"hi\"\"\"" : "plain note \(row)"
            text += Array("\(row),\(note)\n".utf8)
            row += 1
        }
        let split = text.withUnsafeBufferPointer { buffer in
            CSVScanner(bytes: buffer, dialect: CSVDialect(delimiter: UInt8(ascii: ","), hasHeader: true), start: 0,
                       isCancelled: { false }).splitPoint(from: 8, to: buffer.count)
        }
        // The parity walk: outside quotes, the first line end at or after the middle.
        let middle = 8 + (text.count - 8) / 2
        var inQuotes = false
        var expected: Int?
        for i in 8..<text.count {
            if text[i] == UInt8(ascii: "\"") { inQuotes.toggle() }
            if i >= middle, !inQuotes, text[i] == UInt8(ascii: "\n") { expected = i + 1; break }
        }
        #expect(split == expected)
        let whole = Self.scan(text, hasHeader: true, split: false, plainPath: true)
        #expect(whole == Self.scan(text, hasHeader: true, split: true, plainPath: true))
        #expect(whole.rows.count == row && whole.error == nil)
    }

    /// What a scan produced, as plain values that compare.
    struct Outcome: Equatable {
        var rows: [[[UInt8]?]] = []
        var header: [[UInt8]?] = []
        var lines: [Int32] = []
        var escaped: [[Int32]] = []
        var issues: [String] = []
        var error: String?
    }

    static func scan(_ input: [UInt8], hasHeader: Bool, split: Bool, plainPath: Bool) -> Outcome {
        var text = input
        return text.withUnsafeMutableBufferPointer { text in
            var scanner = CSVScanner(bytes: UnsafeBufferPointer(text), dialect: CSVDialect(delimiter: UInt8(ascii: ","), hasHeader: hasHeader),
                                     start: 0, isCancelled: { false })
            scanner.splitThreshold = split ? 0 : .max
            scanner.usesPlainRecordPath = plainPath
            var outcome = Outcome()
            do {
                var result = try scanner.scan(estimatedRows: 2)
                CSVScanner.unescape(&result, in: text, quote: UInt8(ascii: "\""))
                func cell(_ range: ByteRange) -> [UInt8]? {
                    range.isNull ? nil : Array(text[Int(range.start)..<Int(range.start + range.count)])
                }
                outcome.header = result.header.map(cell)
                outcome.rows = (0..<result.rowCount).map { row in result.columns.map { cell($0[row]) } }
                outcome.lines = result.lines.map { Array($0.buffer) } ?? []
                outcome.escaped = result.escapedCells.map { [$0.column, $0.row] }
                outcome.issues = result.issues.map { "\($0.kind) line \($0.line) byte \($0.byteOffset)" }
            } catch {
                outcome.error = "\(error)"
            }
            return outcome
        }
    }
}
