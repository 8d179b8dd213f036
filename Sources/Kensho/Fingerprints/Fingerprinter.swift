import Crypto
import KenshoKeyers

/// Computes fingerprints: for each row, each field through its keyer, the canonical
/// forms length-prefixed and hashed after the recipe's header.
///
///     SHA-256( P (u32 length, canonical bytes)* )
///     P = "kensho-fingerprint-1" 0x00 header 0x00, zero-padded to a multiple of 64 bytes
///
/// or HMAC-SHA256 of the same message under the case key. `P` fills whole SHA-256
/// blocks, so the hash state after it is computed once and copied for every row: each
/// row then hashes only its own fields (one block for name + birth date + phone), which
/// halved the cost of fingerprinting. A row with any field empty or invalid gets no
/// fingerprint (it never matches anything). Rows are split between the two cores.
struct Fingerprinter {
    let bound: BoundRecipe
    let key: CaseKey?

    struct Result {
        /// 32 bytes per row; meaningful only where `present` is true.
        var digests: [UInt8]
        var present: [Bool]
        var missing: Int { present.lazy.filter { !$0 }.count }

        /// The first 8 bytes of row `i`'s digest, for hash tables.
        @inline(__always)
        func prefix(_ i: Int) -> UInt64 {
            digests.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * 32, as: UInt64.self) }
        }

        /// Appends row `i`'s digest as 64 lower-case hex digits to a text column being built.
        func appendHex(_ i: Int, to builder: inout ColumnBuilder) {
            let digits: StaticString = "0123456789abcdef"
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { out in
                digests.withUnsafeBufferPointer { bytes in
                    for k in 0..<32 {
                        let byte = bytes[i * 32 + k]
                        out[2 * k] = digits.utf8Start[Int(byte >> 4)]
                        out[2 * k + 1] = digits.utf8Start[Int(byte & 15)]
                    }
                }
                builder.appendText(UnsafeBufferPointer(out))
            }
        }

        func hex(_ i: Int) -> String {
            let digits = Array("0123456789abcdef".utf8)
            var out = [UInt8](repeating: 0, count: 64)
            for k in 0..<32 {
                let byte = digests[i * 32 + k]
                out[2 * k] = digits[Int(byte >> 4)]
                out[2 * k + 1] = digits[Int(byte & 15)]
            }
            return String(decoding: out, as: UTF8.self)
        }

        func equal(_ i: Int, _ other: Result, _ j: Int) -> Bool {
            digests.withUnsafeBytes { a in
                other.digests.withUnsafeBytes { b in memcmp(a.baseAddress! + i * 32, b.baseAddress! + j * 32, 32) == 0 }
            }
        }
    }

    func compute(_ table: Table, isCancelled: () -> Bool) throws -> Result {
        let rows = table.rowCount
        var digests = [UInt8](repeating: 0, count: rows * 32)
        var present = [Bool](repeating: false, count: rows)
        // Text readers for every field (numbers are read as their text once, up front).
        let readers: [TextReader] = bound.columns.map { index in
            let column = table.columns[index]
            if column.type == .text { return TextReader(.column(column)) }
            var builder = ColumnBuilder(type: .text, capacity: rows)
            for row in 0..<rows { builder.append(column.value(at: row).text.map(Value.text) ?? .null) }
            return TextReader(.column(builder.finish()))
        }
        let keyers = bound.keyers
        var prefix = Array("kensho-fingerprint-1\0\(bound.recipe.header)\0".utf8)
        prefix += [UInt8](repeating: 0, count: (64 - prefix.count % 64) % 64)
        // The hash state after the prefix (and, keyed, after the HMAC inner pad too).
        var start = key?.inner ?? SHA256()
        start.update(data: prefix)
        let afterPrefix = start
        let chunks = rows > 20_000 ? 2 : 1
        nonisolated(unsafe) var cancelled = false
        digests.withUnsafeMutableBufferPointer { digestBuffer in
            present.withUnsafeMutableBufferPointer { presentBuffer in
                nonisolated(unsafe) let digestOut = digestBuffer
                nonisolated(unsafe) let presentOut = presentBuffer
                concurrentlyForEach(chunks) { chunk in
                    let lower = rows * chunk / chunks
                    let upper = rows * (chunk + 1) / chunks
                    // The message is assembled in one reused buffer: the prefix once, then
                    // per row each field's length and canonical bytes.
                    var message = MessageBuffer(prefix: [])
                    var canonical: [UInt8] = []
                    canonical.reserveCapacity(256)
                    for row in lower..<upper {
                        if row & 0x3FFF == 0, isCancelled() { cancelled = true; return }
                        message.reset()
                        var complete = true
                        for part in 0..<readers.count {
                            guard let bytes = readers[part].bytes(row) else { complete = false; break }
                            canonical.removeAll(keepingCapacity: true)
                            guard keyers[part].key(bytes, into: &canonical) == .ok else { complete = false; break }
                            message.appendField(canonical)
                        }
                        guard complete else { continue }
                        presentOut[row] = true
                        let out = UnsafeMutableRawPointer(digestOut.baseAddress! + row * 32)
                        message.withBytes { bytes in
                            if let key {
                                var inner = afterPrefix
                                inner.update(bufferPointer: bytes)
                                var outer = key.outer
                                inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
                                outer.finalize().withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: 32) }
                            } else {
                                var hasher = afterPrefix
                                hasher.update(bufferPointer: bytes)
                                hasher.finalize().withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: 32) }
                            }
                        }
                    }
                }
            }
        }
        if cancelled { throw Cancelled() }
        return Result(digests: digests, present: present)
    }

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif


/// The bytes a fingerprint hashes, assembled in place: a fixed prefix, then for each
/// field a 32-bit big-endian length and the canonical bytes.
struct MessageBuffer: ~Copyable {
    private var pointer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let prefixCount: Int
    private var count: Int

    init(prefix: [UInt8]) {
        capacity = max(256, prefix.count * 2)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(from: prefix, count: prefix.count)
        prefixCount = prefix.count
        count = prefix.count
    }

    deinit { pointer.deallocate() }

    mutating func reset() { count = prefixCount }

    mutating func appendField(_ bytes: [UInt8]) {
        let needed = count + 4 + bytes.count
        if needed > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: needed * 2)
            grown.initialize(from: pointer, count: count)
            pointer.deallocate()
            pointer = grown
            capacity = needed * 2
        }
        let length = UInt32(bytes.count)
        pointer[count] = UInt8(truncatingIfNeeded: length >> 24)
        pointer[count + 1] = UInt8(truncatingIfNeeded: length >> 16)
        pointer[count + 2] = UInt8(truncatingIfNeeded: length >> 8)
        pointer[count + 3] = UInt8(truncatingIfNeeded: length)
        if !bytes.isEmpty {
            bytes.withUnsafeBufferPointer { (pointer + count + 4).update(from: $0.baseAddress!, count: bytes.count) }
        }
        count = needed
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
