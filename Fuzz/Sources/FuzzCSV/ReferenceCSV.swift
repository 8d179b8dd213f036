/// A deliberately plain reading of delimited text, byte by byte, with the rules
/// `CSVScanner` documents: RFC 4180 quoting (a quote opens a quoted field only at the
/// start of a field; `""` inside one is a quote), LF, CRLF or a lone CR ends a record,
/// a blank line is no record, text after a closing quote stays in the cell (quote and
/// all), and a delimiter at the very end adds one empty field. The scanner's word-at-a-
/// time loops, column buffers and two-part split must read every input the same way.
struct ReferenceCSV {
    struct Record: Equatable {
        /// 1-based physical line where the record starts, and its byte offset.
        var line: Int
        var offset: Int
        /// Each field's bytes, quotes removed and `""` unescaped; nil for an empty
        /// unquoted field (the scanner's null).
        var fields: [[UInt8]?]
        var textAfterQuote: Bool
    }

    enum Outcome: Equatable {
        case records([Record])
        /// A quoted field never closed: the record's line and the quote's offset.
        case unterminatedQuote(line: Int, offset: Int)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    let quote = UInt8(ascii: "\"")

    func read(from start: Int) -> Outcome {
        var records: [Record] = []
        var position = start
        var line = 1
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        /// Consumes a line break at `position` (CRLF as one), counting the line.
        func consumeLineBreak() {
            if bytes[position] == cr, position + 1 < bytes.count, bytes[position + 1] == lf { position += 1 }
            position += 1
            line += 1
        }
        while position < bytes.count {
            if bytes[position] == lf || bytes[position] == cr {
                consumeLineBreak()
                continue
            }
            var record = Record(line: line, offset: position, fields: [], textAfterQuote: false)
            while true {
                if position < bytes.count, bytes[position] == quote {
                    let open = position
                    var field: [UInt8] = []
                    position += 1
                    while true {
                        guard position < bytes.count else { return .unterminatedQuote(line: record.line, offset: open) }
                        let byte = bytes[position]
                        if byte == quote {
                            if position + 1 < bytes.count, bytes[position + 1] == quote {
                                field.append(quote)
                                position += 2
                                continue
                            }
                            position += 1
                            break
                        }
                        // Line breaks inside the field count as lines; CRLF once.
                        if byte == lf || (byte == cr && (position + 1 >= bytes.count || bytes[position + 1] != lf)) {
                            line += 1
                        }
                        field.append(byte)
                        position += 1
                    }
                    if position < bytes.count, !isEnd(bytes[position]) {
                        // `"ab"cd`: the cell is the text as written, from the opening quote.
                        record.textAfterQuote = true
                        while position < bytes.count, !isEnd(bytes[position]) { position += 1 }
                        field = Array(bytes[open..<position])
                    }
                    record.fields.append(field)
                } else {
                    let fieldStart = position
                    while position < bytes.count, !isEnd(bytes[position]) { position += 1 }
                    record.fields.append(position == fieldStart ? nil : Array(bytes[fieldStart..<position]))
                }
                guard position < bytes.count else { break }
                if bytes[position] == delimiter {
                    position += 1
                    if position == bytes.count {
                        record.fields.append(nil)
                        break
                    }
                    continue
                }
                consumeLineBreak()
                break
            }
            records.append(record)
        }
        return .records(records)
    }

    private func isEnd(_ byte: UInt8) -> Bool {
        byte == delimiter || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
