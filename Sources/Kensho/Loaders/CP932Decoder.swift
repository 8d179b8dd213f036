#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CP932 (Windows Shift_JIS) to UTF-8 through a lookup table, on both cores.
///
/// The mapping is glibc iconv's own: every one- and two-byte CP932 code is converted
/// once through iconv (about 11,000 codes, a few milliseconds) into a 64K-entry table of
/// UTF-8 bytes. Decoding is then a table lookup per character. iconv itself converted
/// 180 MB/s here, slower than loading the same data as UTF-8; the table runs several
/// times faster, and the input is cut after a line feed (which is never a trail byte)
/// so each half decodes on its own core. Undecodable bytes are reported by offset, or
/// with `replace` become U+FFFD and are counted, exactly as the iconv path does.
enum CP932Decoder {
    /// For a one-byte code `b`, entry `b`; for a two-byte code, `lead << 8 | trail`.
    /// Each entry holds the UTF-8 bytes in its low three bytes and their count in the
    /// top byte; 0 means not a valid code.
    static let table: [UInt32] = buildTable()

    private static func buildTable() -> [UInt32] {
        var table = [UInt32](repeating: 0, count: 65536)
        for byte in 0..<0x80 { table[byte] = 1 << 24 | UInt32(byte) }
        let descriptor = iconv_open("UTF-8", "CP932")
        guard descriptor != iconv_t(bitPattern: -1) else { return table }
        defer { iconv_close(descriptor) }
        func convert(_ input: [UInt8]) -> UInt32 {
            var input = input
            var output = [UInt8](repeating: 0, count: 8)
            let produced = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuffer.count
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    iconv(descriptor, nil, nil, nil, nil)
                    guard iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return 0 }
                    return outBuffer.count - outLeft
                }
            }
            guard produced >= 1, produced <= 3 else { return 0 }
            var entry = UInt32(produced) << 24
            for index in 0..<produced { entry |= UInt32(output[index]) << (8 * UInt32(index)) }
            return entry
        }
        for byte in 0x80...0xFF { table[byte] = convert([UInt8(byte)]) }
        for lead in 0x81...0xFC where isLead(UInt8(lead)) {
            for trail in 0x40...0xFC where trail != 0x7F {
                table[lead << 8 | trail] = convert([UInt8(lead), UInt8(trail)])
            }
        }
        return table
    }

    @inline(__always)
    static func isLead(_ byte: UInt8) -> Bool { (byte >= 0x81 && byte <= 0x9F) || (byte >= 0xE0 && byte <= 0xFC) }

    struct Failure: Error {
        var offset: Int
        var truncated: Bool
    }

    /// Decodes all of `bytes` into a new arena; the count of replaced bytes with `replace`.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, replace: Bool) throws(Failure) -> (ByteArena, Int) {
        let table = CP932Decoder.table
        // Cut after a line feed near the middle: both halves start on a character.
        var middle = bytes.count / 2
        while middle < bytes.count, bytes[middle] != 0x0A { middle += 1 }
        let parts = bytes.count > 1 << 20 && middle < bytes.count
            ? [0..<(middle + 1), (middle + 1)..<bytes.count] : [0..<bytes.count]
        // At most three bytes out per byte in (a half-width katakana or a replacement);
        // untouched pages of the mapping cost nothing.
        let capacities = parts.map { $0.count * 3 + 16 }
        let total = capacities.reduce(0, +)
        let output = LargeAllocation.allocate(bytes: total).assumingMemoryBound(to: UInt8.self)
        var written = [Int](repeating: 0, count: parts.count)
        var replaced = [Int](repeating: 0, count: parts.count)
        var failures = [Failure?](repeating: nil, count: parts.count)
        written.withUnsafeMutableBufferPointer { writtenOut in
            replaced.withUnsafeMutableBufferPointer { replacedOut in
                failures.withUnsafeMutableBufferPointer { failureOut in
                    nonisolated(unsafe) let (w, r, f) = (writtenOut, replacedOut, failureOut)
                    concurrentlyForEach(parts.count) { index in
                        let start = capacities[..<index].reduce(0, +)
                        let result = table.withUnsafeBufferPointer { lookup in
                            decodePart(bytes, range: parts[index], into: output + start, table: lookup, replace: replace)
                        }
                        switch result {
                        case .success(let done): (w[index], r[index]) = done
                        case .failure(let failure): f[index] = failure
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first {
            LargeAllocation.deallocate(UnsafeMutableRawPointer(output), bytes: total)
            throw failure
        }
        // Close the gap between the parts, then give back the pages past the text: the
        // second part's own pages, written before the move, would otherwise stay
        // resident as long as the table (half the decoded size again).
        if parts.count == 2 {
            (output + written[0]).update(from: output + capacities[0], count: written[1])
        }
        let count = written.reduce(0, +)
        LargeAllocation.releaseUnused(UnsafeMutableRawPointer(output), used: count, bytes: total)
        return (ByteArena(takingLarge: output, count: count, allocated: total), replaced.reduce(0, +))
    }

    private static func decodePart(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, into output: UnsafeMutablePointer<UInt8>,
                                   table: UnsafeBufferPointer<UInt32>, replace: Bool) -> Result<(Int, Int), Failure> {
        var i = range.lowerBound
        let end = range.upperBound
        var o = 0
        var replaced = 0
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                output[o] = b
                o += 1
                i += 1
                continue
            }
            var entry: UInt32
            var length = 1
            if isLead(b) {
                // A lead byte at the very end: the file was cut inside a character.
                guard i + 1 < end else {
                    guard replace else { return .failure(Failure(offset: i, truncated: true)) }
                    emitReplacement(output, &o)
                    replaced += 1
                    i += 1
                    continue
                }
                entry = table[Int(b) << 8 | Int(bytes[i + 1])]
                length = 2
            } else {
                entry = table[Int(b)]
            }
            if entry == 0 {
                guard replace else { return .failure(Failure(offset: i, truncated: false)) }
                emitReplacement(output, &o)
                replaced += 1
                i += 1
                continue
            }
            let count = Int(entry >> 24)
            output[o] = UInt8(truncatingIfNeeded: entry)
            if count > 1 { output[o + 1] = UInt8(truncatingIfNeeded: entry >> 8) }
            if count > 2 { output[o + 2] = UInt8(truncatingIfNeeded: entry >> 16) }
            o += count
            i += length
        }
        return .success((o, replaced))
    }

    @inline(__always)
    private static func emitReplacement(_ output: UnsafeMutablePointer<UInt8>, _ o: inout Int) {
        output[o] = 0xEF
        output[o + 1] = 0xBF
        output[o + 2] = 0xBD
        o += 3
    }
}
