/// A row key over one or more columns: hashing and equality across two tables whose
/// key columns have compatible types (text with text, numbers with numbers).
///
/// For joins a null key equals nothing (`hash` is nil, `equal` is false), so a row with
/// a null key never joins; for grouping (`groupHash`, `sameGroup`) null-keyed rows form
/// one group, as SQL's GROUP BY does.
struct KeyColumns {
    enum Reader {
        case text(TextStorage, [Int32]?)
        case integer([Int64], [Bool], [Int32]?)
        case float([Double], [Bool], [Int32]?)
        case boolean([UInt8], [Int32]?)
    }

    let readers: [Reader]

    init(_ columns: [Column]) {
        readers = columns.map { column in
            let rows = column.rows?.indices
            switch column.storage {
            case .text(let storage): return .text(storage, rows)
            case .integer(let values, let valid): return .integer(values, valid, rows)
            case .float(let values, let valid): return .float(values, valid, rows)
            case .boolean(let values): return .boolean(values, rows)
            }
        }
    }

    @inline(__always)
    private static func physical(_ rows: [Int32]?, _ i: Int) -> Int {
        guard let rows else { return i }
        return Int(rows[i])
    }

    /// Every row's hash (join hash, or group hash with `groupNulls`) and whether the row
    /// has one (a null key part has none for joins), computed on both cores.
    func hashes(rowCount: Int, groupNulls: Bool) -> ([UInt64], [Bool]) {
        var hashes = [UInt64](repeating: 0, count: rowCount)
        var present = [Bool](repeating: false, count: rowCount)
        hashes.withUnsafeMutableBufferPointer { hashBuffer in
            present.withUnsafeMutableBufferPointer { presentBuffer in
                nonisolated(unsafe) let hashOut = hashBuffer
                nonisolated(unsafe) let presentOut = presentBuffer
                let chunks = rowCount > 50_000 ? 2 : 1
                concurrentlyForEach(chunks) { chunk in
                    let rows = (rowCount * chunk / chunks)..<(rowCount * (chunk + 1) / chunks)
                    if readers.count == 1, case .text(let storage, let map) = readers[0] {
                        KeyColumns.textHashes(storage, map, rows: rows, groupNulls: groupNulls, hashOut, presentOut)
                        return
                    }
                    for row in rows {
                        if groupNulls {
                            hashOut[row] = groupHash(row)
                            presentOut[row] = true
                        } else if let hash = hash(row) {
                            hashOut[row] = hash
                            presentOut[row] = true
                        }
                    }
                }
            }
        }
        return (hashes, present)
    }

    /// `hashes` for a key of one text column (a code, a name: the common case), with the
    /// column taken apart once: read a row at a time through `readers`, every row
    /// retained and released the column's buffers. Gives exactly what `hash` and
    /// `groupHash` give.
    private static func textHashes(_ storage: TextStorage, _ map: [Int32]?, rows: Range<Int>, groupNulls: Bool,
                                   _ hashOut: UnsafeMutableBufferPointer<UInt64>,
                                   _ presentOut: UnsafeMutableBufferPointer<Bool>) {
        let bases = storage.arenas.map { UnsafePointer($0.base) }
        @inline(__always) func run(_ physical: (Int) -> Int) {
            storage.ranges.withReader { ranges in
                storage.arenaOfRow.withUnsafeBufferPointer { arenaOfRow in
                    for row in rows {
                        let p = physical(row)
                        let range = p >= 0 ? ranges[p] : .null
                        if range.isNull {
                            if groupNulls {
                                hashOut[row] = 0x1234_5678  // as `groupHash`: nulls form one group
                                presentOut[row] = true
                            }
                            continue
                        }
                        let base = arenaOfRow.isEmpty ? bases[0] : bases[Int(arenaOfRow[p])]
                        hashOut[row] = ByteHash.hash(UnsafeBufferPointer(start: base + Int(range.start), count: Int(range.count)))
                        presentOut[row] = true
                    }
                }
            }
        }
        withExtendedLifetime(storage) {
            if let map {
                map.withUnsafeBufferPointer { map in run { Int(map[$0]) } }
            } else {
                run { $0 }
            }
        }
    }

    /// The hash of row `i`, or nil when any key part is null.
    @inline(__always)
    func hash(_ i: Int) -> UInt64? {
        var h: UInt64 = 0
        for (index, reader) in readers.enumerated() {
            let part: UInt64
            switch reader {
            case .text(let storage, let rows):
                let p = KeyColumns.physical(rows, i)
                guard p >= 0, let bytes = storage.bytes(p) else { return nil }
                part = ByteHash.hash(bytes)
            case .integer(let values, let valid, let rows):
                let p = KeyColumns.physical(rows, i)
                guard p >= 0, valid.isEmpty || valid[p] else { return nil }
                part = ByteHash.hash(Double(values[p]).bitPattern)
            case .float(let values, let valid, let rows):
                let p = KeyColumns.physical(rows, i)
                guard p >= 0, valid.isEmpty || valid[p] else { return nil }
                let value = values[p] == 0 ? 0 : values[p]  // -0 == 0
                part = ByteHash.hash(value.bitPattern)
            case .boolean(let values, let rows):
                let p = KeyColumns.physical(rows, i)
                guard p >= 0, values[p] != 2 else { return nil }
                part = ByteHash.hash(UInt64(values[p]))
            }
            h = index == 0 ? part : ByteHash.combine(h, part)
        }
        return h
    }

    /// Whether row `i` of `self` and row `j` of `other` have equal keys (non-null).
    @inline(__always)
    func equal(_ i: Int, _ other: KeyColumns, _ j: Int) -> Bool {
        for (a, b) in zip(readers, other.readers) {
            switch (a, b) {
            case (.text(let sa, let ra), .text(let sb, let rb)):
                let pa = KeyColumns.physical(ra, i)
                let pb = KeyColumns.physical(rb, j)
                guard pa >= 0, pb >= 0, let x = sa.bytes(pa), let y = sb.bytes(pb), x.count == y.count else { return false }
                if x.count > 0, memcmp(x.baseAddress!, y.baseAddress!, x.count) != 0 { return false }
            case (.integer(let va, let wa, let ra), .integer(let vb, let wb, let rb)):
                let pa = KeyColumns.physical(ra, i)
                let pb = KeyColumns.physical(rb, j)
                guard pa >= 0, pb >= 0, wa.isEmpty || wa[pa], wb.isEmpty || wb[pb], va[pa] == vb[pb] else { return false }
            case (.boolean(let va, let ra), .boolean(let vb, let rb)):
                let pa = KeyColumns.physical(ra, i)
                let pb = KeyColumns.physical(rb, j)
                guard pa >= 0, pb >= 0, va[pa] != 2, va[pa] == vb[pb] else { return false }
            default:
                guard let x = number(a, i), let y = number(b, j), x == y else { return false }
            }
        }
        return true
    }

    /// Whether two rows have the same key, treating null as equal to null (grouping).
    @inline(__always)
    func sameGroup(_ i: Int, _ j: Int) -> Bool {
        for reader in readers {
            switch reader {
            case .text(let storage, let rows):
                let pa = KeyColumns.physical(rows, i)
                let pb = KeyColumns.physical(rows, j)
                let x = pa >= 0 ? storage.bytes(pa) : nil
                let y = pb >= 0 ? storage.bytes(pb) : nil
                switch (x, y) {
                case (nil, nil): continue
                case (let x?, let y?):
                    guard x.count == y.count else { return false }
                    if x.count > 0, memcmp(x.baseAddress!, y.baseAddress!, x.count) != 0 { return false }
                default: return false
                }
            default:
                let x = number(reader, i)
                let y = number(reader, j)
                if x != y { return false }
            }
        }
        return true
    }

    /// Group hash: like `hash`, but null parts hash to a constant.
    @inline(__always)
    func groupHash(_ i: Int) -> UInt64 {
        var h: UInt64 = 0
        for (index, reader) in readers.enumerated() {
            let part: UInt64
            switch reader {
            case .text(let storage, let rows):
                let p = KeyColumns.physical(rows, i)
                if p >= 0, let bytes = storage.bytes(p) { part = ByteHash.hash(bytes) } else { part = 0x1234_5678 }
            default:
                part = number(reader, i).map { ByteHash.hash(($0 == 0 ? 0 : $0).bitPattern) } ?? 0x1234_5678
            }
            h = index == 0 ? part : ByteHash.combine(h, part)
        }
        return h
    }

    @inline(__always)
    private func number(_ reader: Reader, _ i: Int) -> Double? {
        switch reader {
        case .integer(let values, let valid, let rows):
            let p = KeyColumns.physical(rows, i)
            return p >= 0 && (valid.isEmpty || valid[p]) ? Double(values[p]) : nil
        case .float(let values, let valid, let rows):
            let p = KeyColumns.physical(rows, i)
            return p >= 0 && (valid.isEmpty || valid[p]) ? values[p] : nil
        case .boolean(let values, let rows):
            let p = KeyColumns.physical(rows, i)
            return p >= 0 && values[p] != 2 ? Double(values[p]) : nil
        case .text:
            return nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
