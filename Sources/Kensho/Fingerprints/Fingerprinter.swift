import Crypto
import KenshoKeyers

/// Computes fingerprints: for each row, each field through its keyer, the canonical
/// forms length-prefixed and hashed with the recipe's header.
///
///     SHA-256( "kensho-fingerprint-1" 0x00 header 0x00 (u32 length, canonical bytes)* )
///
/// or HMAC-SHA256 under the case key. A row with any field empty or invalid gets no
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
        let readers = bound.columns.map { CellText(table.columns[$0]) }
        let prefix = Array("kensho-fingerprint-1\0\(bound.recipe.header)\0".utf8)
        let chunks = rows > 20_000 ? 2 : 1
        nonisolated(unsafe) var cancelled = false
        digests.withUnsafeMutableBufferPointer { digestBuffer in
            present.withUnsafeMutableBufferPointer { presentBuffer in
                nonisolated(unsafe) let digestOut = digestBuffer
                nonisolated(unsafe) let presentOut = presentBuffer
                concurrentlyForEach(chunks) { chunk in
                    let lower = rows * chunk / chunks
                    let upper = rows * (chunk + 1) / chunks
                    var message = prefix
                    var canonical: [UInt8] = []
                    for row in lower..<upper {
                        if row & 0x3FFF == 0, isCancelled() { cancelled = true; return }
                        message.removeSubrange(prefix.count...)
                        var complete = true
                        for (part, reader) in readers.enumerated() {
                            canonical.removeAll(keepingCapacity: true)
                            var result = KeyResult.empty
                            reader.withBytes(row) { bytes, _ in
                                if let bytes { result = bound.keyers[part].key(bytes, into: &canonical) }
                            }
                            guard result == .ok else { complete = false; break }
                            let count = UInt32(canonical.count)
                            message += [UInt8(count >> 24), UInt8(truncatingIfNeeded: count >> 16),
                                        UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count)]
                            message += canonical
                        }
                        guard complete else { continue }
                        presentOut[row] = true
                        let out = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digestOut)[(row * 32)..<(row * 32 + 32)])
                        if let key {
                            var inner = key.inner
                            inner.update(data: message)
                            var outer = key.outer
                            outer.update(data: Array(inner.finalize()))
                            outer.finalize().withUnsafeBytes { out.copyMemory(from: $0) }
                        } else {
                            SHA256.hash(data: message).withUnsafeBytes { out.copyMemory(from: $0) }
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
