import Crypto

/// The digest of a result: SHA-256 over a canonical serialization of the table, so a
/// replay can tell whether a statement still gives the same answer.
///
/// The serialization depends only on the table's content — column names, types,
/// provenance flags and values in row order — never on display settings, hash seeds,
/// locale or time zone. Layout (all integers big-endian):
///
///     "kensho-table-v1" 0x00
///     u32 column count, u64 row count
///     per column: u32 name length, name UTF-8, u8 type (1 text, 2 integer, 3 float,
///                 4 boolean), u8 provenance flag
///     per column, per row: a cell
///         null    0x00
///         text    0x01 u32 length, UTF-8 bytes
///         integer 0x02 i64
///         float   0x03 u64 IEEE-754 bits (-0 written as +0, every NaN as one NaN)
///         boolean 0x04 u8
///
/// Columns are written one after another (column-major), which reads each column's
/// storage sequentially.
public enum TableDigest {
    public static func sha256(_ table: Table) -> String {
        var hasher = SHA256()
        var buffer = DigestBuffer()
        buffer.append(Array("kensho-table-v1".utf8))
        buffer.append(UInt8(0))
        buffer.append(UInt32(table.fields.count))
        buffer.append(UInt64(table.rowCount))
        for field in table.fields {
            let name = Array(field.name.utf8)
            buffer.append(UInt32(name.count))
            buffer.append(name)
            buffer.append(typeTag(field.type))
            buffer.append(UInt8(field.isProvenance ? 1 : 0))
        }
        buffer.flush(into: &hasher)
        for column in table.columns {
            write(column, rows: table.rowCount, into: &buffer, hasher: &hasher)
        }
        buffer.flush(into: &hasher)
        return SHA256Digest.hex(hasher.finalize())
    }

    static func typeTag(_ type: ColumnType) -> UInt8 {
        switch type {
        case .text: return 1
        case .integer: return 2
        case .float: return 3
        case .boolean: return 4
        }
    }

    private static func write(_ column: Column, rows: Int, into buffer: inout DigestBuffer, hasher: inout SHA256) {
        switch column.storage {
        case .text(let storage):
            for row in 0..<rows {
                let p = column.physical(row)
                if p < 0 { buffer.append(UInt8(0)); continue }
                guard let bytes = storage.bytes(p) else { buffer.append(UInt8(0)); continue }
                buffer.append(UInt8(1))
                buffer.append(UInt32(bytes.count))
                buffer.append(bytes)
                if buffer.count >= DigestBuffer.flushSize { buffer.flush(into: &hasher) }
            }
        case .integer(let values, let valid):
            for row in 0..<rows {
                let p = column.physical(row)
                if p < 0 || (!valid.isEmpty && !valid[p]) { buffer.append(UInt8(0)); continue }
                buffer.append(UInt8(2))
                buffer.append(UInt64(bitPattern: values[p]))
                if buffer.count >= DigestBuffer.flushSize { buffer.flush(into: &hasher) }
            }
        case .float(let values, let valid):
            for row in 0..<rows {
                let p = column.physical(row)
                if p < 0 || (!valid.isEmpty && !valid[p]) { buffer.append(UInt8(0)); continue }
                var value = values[p]
                if value == 0 { value = 0 }
                buffer.append(UInt8(3))
                buffer.append(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
                if buffer.count >= DigestBuffer.flushSize { buffer.flush(into: &hasher) }
            }
        case .boolean(let values):
            for row in 0..<rows {
                let p = column.physical(row)
                if p < 0 || values[p] == 2 { buffer.append(UInt8(0)); continue }
                buffer.append(UInt8(4))
                buffer.append(values[p])
                if buffer.count >= DigestBuffer.flushSize { buffer.flush(into: &hasher) }
            }
        }
    }
}

/// Bytes gathered before they are fed to the hasher in large blocks (one hasher call
/// per cell costs more than the hashing itself).
struct DigestBuffer {
    static let flushSize = 1 << 16
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(DigestBuffer.flushSize + 1024) }

    var count: Int { bytes.count }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }
    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
    mutating func append(_ other: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: other) }
    mutating func append(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
    mutating func append(_ value: UInt64) {
        append(UInt32(truncatingIfNeeded: value >> 32))
        append(UInt32(truncatingIfNeeded: value))
    }

    mutating func flush(into hasher: inout SHA256) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
