@testable import Kensho
import FuzzSupport

/// Scans the input with `CSVScanner` three times — as one part without a header, split
/// in two (the path a body over 4 MiB takes, forced here on small inputs) with one, and
/// as one part by the record loop alone (the C plain-record path off) — and checks each
/// against `ReferenceCSV`: the same records, lines, cells (after
/// unescaping), load issues and errors.
enum ScannerCheck {
    static func run(_ input: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        let reference = ReferenceCSV(bytes: input, delimiter: delimiter).read(from: 0)
        for (split, hasHeader, plainPath) in [(false, false, true), (true, true, true), (false, true, false)] {
            var text = Array(input)
            text.withUnsafeMutableBufferPointer { text in
                var scanner = CSVScanner(bytes: UnsafeBufferPointer(text), dialect: CSVDialect(delimiter: delimiter, hasHeader: hasHeader),
                                         start: 0, isCancelled: { false })
                if split { scanner.splitThreshold = 0 }
                scanner.usesPlainRecordPath = plainPath
                let what = "\(split ? "split" : "one-part") scan\(plainPath ? "" : " without the plain-record path"),"
                    + " delimiter \(delimiter), header \(hasHeader)"
                do {
                    var result = try scanner.scan(estimatedRows: 4)
                    CSVScanner.unescape(&result, in: text, quote: UInt8(ascii: "\""))
                    compare(result, in: UnsafeBufferPointer(text), with: reference, hasHeader: hasHeader, what)
                } catch let error as CSVScanner.UnterminatedQuote {
                    invariant(reference == .unterminatedQuote(line: error.line, offset: error.byteOffset),
                              "\(what): unterminated quote at line \(error.line), byte \(error.byteOffset); reference: \(reference)")
                } catch {
                    invariant(false, "\(what): \(error)")
                }
            }
        }
    }

    private static func compare(_ result: CSVScanner.Result, in text: UnsafeBufferPointer<UInt8>,
                                with reference: ReferenceCSV.Outcome, hasHeader: Bool, _ what: String) {
        guard case .records(var records) = reference else {
            invariant(false, "\(what): scanned, but the reference says \(reference)")
            return
        }
        guard !records.isEmpty else {
            invariant(result.rowCount == 0 && result.columns.isEmpty, "\(what): rows from blank input")
            return
        }
        let columnCount = max(1, records[0].fields.count)
        if hasHeader {
            invariant(result.header.count == records[0].fields.count, "\(what): header of \(result.header.count) fields")
            records.removeFirst()
        }
        invariant(result.rowCount == records.count, "\(what): \(result.rowCount) rows, reference \(records.count)")
        let lines = result.lines.map { $0.buffer.map(Int.init) } ?? []
        invariant(lines == records.map(\.line),
                  "\(what): lines \(lines.prefix(20)), reference \(records.map(\.line).prefix(20))")
        let width = max(columnCount, records.map(\.fields.count).max() ?? 0)
        invariant(result.columns.count == width, "\(what): \(result.columns.count) columns, reference \(width)")
        for (row, record) in records.enumerated() {
            for column in 0..<width {
                let range = result.columns[column][row]
                let cell = range.isNull ? nil : Array(text[Int(range.start)..<Int(range.start + range.count)])
                let expected = column < record.fields.count ? record.fields[column] : nil
                invariant(cell == expected, "\(what): row \(row) column \(column) is \(show(cell)), reference \(show(expected))")
            }
        }
        var issues: [String] = []
        for record in records {
            if record.fields.count != columnCount { issues.append("fields \(record.fields.count) at \(record.line)/\(record.offset)") }
            if record.textAfterQuote { issues.append("text after quote at \(record.line)/\(record.offset)") }
        }
        let found = result.issues.map { issue -> String in
            switch issue.kind {
            case .fieldCount(let count, _): return "fields \(count) at \(issue.line)/\(issue.byteOffset)"
            case .textAfterQuote: return "text after quote at \(issue.line)/\(issue.byteOffset)"
            }
        }
        invariant(found == issues, "\(what): issues \(found.prefix(8)), reference \(issues.prefix(8))")
    }

    private static func show(_ cell: [UInt8]?) -> String {
        cell.map { "\"" + String(decoding: $0, as: UTF8.self) + "\"" } ?? "null"
    }
}
