import CSQLite

/// Reads one stored table into typed columns that keep SQLite's storage classes.
///
/// A column whose values are all INTEGER (or NULL) is an integer column, all REAL a
/// float column, all TEXT a text column. A BLOB is shown as text in SQLite's own
/// literal form, `x'0a1b…'` (lower-case hex), which cannot be mistaken for a text
/// value and which `sqlite3` reads back as the same blob. A column holding more than
/// one storage class is text, each value keeping its own text: integers in decimal,
/// reals as the shortest text that reads back as the same double, blobs as above.
/// SQLite does not check that TEXT is UTF-8; text that is not fails the load with the
/// table, row and column, unless `errors=replace`.
///
/// `_line` is the rowid, rows in rowid order. A WITHOUT ROWID table has no rowid: its
/// `_line` is the 1-based row number in ascending primary-key order. (So is a rowid
/// table's, in the odd case that columns named `rowid`, `_rowid_` and `oid` hide it.)
struct SQLiteTableReader {
    let database: SQLiteDatabase
    let table: SQLiteTable
    let path: String
    let replaceInvalidUTF8: Bool
    let isCancelled: @Sendable () -> Bool

    struct Result {
        var fields: [Field]
        var columns: [Column]
        var lines: [Int64]
        /// What `_line` means for this table, for the load's layout line.
        var lineMeaning: String
        var replacedBytes: Int
    }

    /// Storage classes as stored per cell: 0 null, then SQLite's codes 1...4.
    private enum Class {
        static let integer: UInt8 = 1, real: UInt8 = 2, text: UInt8 = 3, blob: UInt8 = 4
    }

    func read() throws -> Result {
        let (sql, lineMeaning, lineFromRowid) = try query()
        let statement = try database.prepare(sql)
        let handle = statement.handle
        let first = lineFromRowid ? 1 : 0
        let count = statement.columnCount - first
        var classes = [[UInt8]](repeating: [], count: count)
        // INTEGER values, REAL bit patterns, or TEXT/BLOB ranges (start << 32 | count).
        var payloads = [[UInt64]](repeating: [], count: count)
        var seen = [UInt8](repeating: 0, count: count)
        var arena = ByteArenaBuilder(capacity: 1 << 16)
        var lines: [Int64] = []
        var replaced = 0
        while try statement.step() {
            let line = lineFromRowid ? sqlite3_column_int64(handle, 0) : Int64(lines.count + 1)
            lines.append(line)
            if lines.count & 0x3FFF == 0, isCancelled() { throw LoadCancelled() }
            for column in 0..<count {
                let index = Int32(column + first)
                var storage = UInt8(truncatingIfNeeded: sqlite3_column_type(handle, index))
                var payload: UInt64 = 0
                switch storage {
                case Class.integer:
                    payload = UInt64(bitPattern: sqlite3_column_int64(handle, index))
                case Class.real:
                    payload = sqlite3_column_double(handle, index).bitPattern
                case Class.text:
                    let bytes = UnsafeBufferPointer(start: sqlite3_column_text(handle, index),
                                                    count: Int(sqlite3_column_bytes(handle, index)))
                    payload = try appendText(bytes, to: &arena, replaced: &replaced,
                                             column: { statement.columnName(Int(index)) }, line: line)
                case Class.blob:
                    let raw = sqlite3_column_blob(handle, index)
                    let bytes = UnsafeRawBufferPointer(start: raw, count: Int(sqlite3_column_bytes(handle, index)))
                    payload = try appendBlob(bytes, to: &arena)
                default:
                    storage = 0
                }
                classes[column].append(storage)
                payloads[column].append(payload)
                if storage != 0 { seen[column] |= 1 << storage }
            }
        }

        // Mixed columns render their numbers into the arena, so it is finished last.
        var typed: [Column?] = []
        var textRanges: [[ByteRange]?] = []
        for column in 0..<count {
            switch seen[column] {
            case 1 << Class.integer:
                typed.append(Column(.integer(payloads[column].map { Int64(bitPattern: $0) },
                                             valid: validity(classes[column]))))
                textRanges.append(nil)
            case 1 << Class.real:
                typed.append(Column(.float(payloads[column].map { Double(bitPattern: $0) },
                                           valid: validity(classes[column]))))
                textRanges.append(nil)
            default:
                typed.append(nil)
                textRanges.append(try ranges(classes[column], payloads[column], arena: &arena))
            }
        }
        let shared = arena.finish()
        var names: [String] = []
        var taken = Set(Field.provenanceNames)
        for column in 0..<count {
            let name = statement.columnName(column + first)
            var unique = name.isEmpty ? "column_\(column + 1)" : name
            var suffix = 2
            while taken.contains(unique) {
                unique = "\(name)_\(suffix)"
                suffix += 1
            }
            taken.insert(unique)
            names.append(unique)
        }
        let columns = (0..<count).map { column in
            typed[column] ?? Column(.text(TextStorage(arena: shared, ranges: textRanges[column]!)))
        }
        let fields = zip(names, columns).map { Field(name: $0, type: $1.type) }
        return Result(fields: fields, columns: columns, lines: lines, lineMeaning: lineMeaning, replacedBytes: replaced)
    }

    /// The SELECT for the table, what `_line` is, and whether column 0 is the rowid.
    private func query() throws -> (sql: String, lineMeaning: String, lineFromRowid: Bool) {
        let quoted = table.quotedName
        if !table.isWithoutRowid {
            let probe = try database.prepare("SELECT * FROM \(quoted) LIMIT 0")
            let names = Set((0..<probe.columnCount).map { probe.columnName($0).lowercased() })
            if let alias = ["rowid", "_rowid_", "oid"].first(where: { !names.contains($0) }) {
                return ("SELECT \(alias), * FROM \(quoted) ORDER BY \(alias)", "_line is the rowid", true)
            }
            return ("SELECT * FROM \(quoted)", "_line is the row number: columns named rowid, _rowid_ and oid hide the rowid",
                    false)
        }
        let keys = try database.prepare(
            "SELECT name FROM pragma_table_info(\(SQLiteTable.quoteLiteral(table.name))) WHERE pk > 0 ORDER BY pk")
        var order: [String] = []
        while try keys.step() { if let name = keys.text(0) { order.append(SQLiteTable.quote(name)) } }
        let orderBy = order.isEmpty ? "" : " ORDER BY " + order.joined(separator: ", ")
        return ("SELECT * FROM \(quoted)\(orderBy)", "WITHOUT ROWID: _line is the row number in primary-key order", false)
    }

    private func validity(_ classes: [UInt8]) -> [Bool] {
        classes.contains(0) ? classes.map { $0 != 0 } : []
    }

    /// Text ranges for a text, blob or mixed column; numbers are rendered as text.
    private func ranges(_ classes: [UInt8], _ payloads: [UInt64], arena: inout ByteArenaBuilder) throws -> [ByteRange] {
        var ranges: [ByteRange] = []
        ranges.reserveCapacity(classes.count)
        for (storage, payload) in zip(classes, payloads) {
            switch storage {
            case Class.integer:
                ranges.append(try append(String(Int64(bitPattern: payload)), to: &arena))
            case Class.real:
                ranges.append(try append(Value.format(Double(bitPattern: payload)), to: &arena))
            case Class.text, Class.blob:
                ranges.append(ByteRange(start: UInt32(payload >> 32), count: UInt32(payload & 0xFFFF_FFFF)))
            default:
                ranges.append(.null)
            }
        }
        return ranges
    }

    private func append(_ text: String, to arena: inout ByteArenaBuilder) throws -> ByteRange {
        try reserve(text.utf8.count, in: arena)
        return arena.append(text)
    }

    /// Appends a TEXT value, checked to be UTF-8; returns its packed range.
    private func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to arena: inout ByteArenaBuilder, replaced: inout Int,
                            column: () -> String, line: Int64) throws -> UInt64 {
        let start = arena.count
        if let bad = UTF8Validation.firstInvalidOffset(in: bytes) {
            guard replaceInvalidUTF8 else {
                let shown = bytes[bad..<min(bytes.count, bad + 4)].map { byte in
                    let hex = String(byte, radix: 16, uppercase: true)
                    return hex.count == 1 ? "0" + hex : hex
                }.joined(separator: " ")
                let row = table.isWithoutRowid ? "row \(line)" : "rowid \(line)"
                throw Diagnostic("table '\(table.name)', \(row), column '\(column())': text that is not valid utf-8 (\(shown))",
                                 in: FileLocation(path: path),
                                 notes: ["nothing was loaded",
                                         "to load it anyway, replacing such bytes with U+FFFD and counting them: with errors=replace"])
            }
            let (repaired, count) = TextDecoding.repairUTF8(bytes)
            replaced += count
            try reserve(repaired.count, in: arena)
            arena.appendBytes(UnsafeBufferPointer(start: repaired.base, count: repaired.count))
        } else {
            try reserve(bytes.count, in: arena)
            arena.appendBytes(bytes)
        }
        return UInt64(start) << 32 | UInt64(arena.count - start)
    }

    /// Appends a BLOB as `x'…'` in lower-case hex; returns its packed range.
    private func appendBlob(_ bytes: UnsafeRawBufferPointer, to arena: inout ByteArenaBuilder) throws -> UInt64 {
        let start = arena.count
        try reserve(bytes.count * 2 + 3, in: arena)
        @inline(__always) func digit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }
        arena.appendByte(UInt8(ascii: "x"))
        arena.appendByte(UInt8(ascii: "'"))
        for byte in bytes {
            arena.appendByte(digit(byte >> 4))
            arena.appendByte(digit(byte & 0x0F))
        }
        arena.appendByte(UInt8(ascii: "'"))
        return UInt64(start) << 32 | UInt64(arena.count - start)
    }

    /// Text cells are addressed with 32-bit offsets; a table's text must fit in 4 GiB.
    private func reserve(_ count: Int, in arena: borrowing ByteArenaBuilder) throws {
        guard arena.count + count <= ByteArena.maximumSize else {
            throw Diagnostic("table '\(table.name)' holds more than \(ByteArena.maximumSize) bytes of text",
                             in: FileLocation(path: path),
                             notes: ["nothing was loaded; push it to a warehouse, or load a smaller extract"])
        }
    }
}
