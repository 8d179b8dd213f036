import CKenshoUTF8

/// Strict UTF-8 validation over bytes (RFC 3629: no overlongs, no surrogates, nothing
/// above U+10FFFF).
public enum UTF8Validation {
    /// Inputs from this size on are checked by simdjson first (`kensho_utf8_is_valid`);
    /// below it the call costs more than the scan.
    static let simdThreshold = 256

    /// The offset of the first byte that does not start a valid sequence, or nil.
    /// Valid text (almost every input) is recognised by simdjson's SIMD validator, about
    /// ten times the speed of the scan below; the scan then runs only to find the place
    /// of an error.
    public static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if bytes.count >= simdThreshold, let base = bytes.baseAddress,
           kensho_utf8_is_valid(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), bytes.count) {
            return nil
        }
        return scanForFirstInvalidOffset(in: bytes)
    }

    /// `firstInvalidOffset` by a scan in Swift, byte by byte where it must be.
    ///
    /// Fast paths for what patron data is made of: runs of ASCII are skipped eight bytes
    /// at a time, and a common three-byte sequence (kana and kanji: lead E1–EC or EE–EF
    /// with two continuation bytes) is recognised with one masked compare of a 32-bit
    /// load. Everything else takes the full check. Measured at about twice the speed of
    /// the plain byte-by-byte check on Japanese text.
    static func scanForFirstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var i = 0
        let raw = UnsafeRawPointer(base)
        while i < count {
            // Eight ASCII bytes at a time.
            while i + 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < count else { break }
            let lead = base[i]
            if lead < 0x80 { i += 1; continue }
            // Three-byte characters without the E0 (overlong) and ED (surrogate) special cases.
            if i + 4 <= count {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                if word & 0x00C0_C0F0 == 0x0080_80E0, lead != 0xE0, lead != 0xED {
                    i += 3
                    continue
                }
            }
            guard let (length, lower, upper) = sequence(startingWith: lead), i + length <= count else { return i }
            let second = base[i + 1]
            guard second >= lower, second <= upper else { return i }
            if length > 2 {
                guard base[i + 2] & 0xC0 == 0x80 else { return i }
                if length > 3 { guard base[i + 3] & 0xC0 == 0x80 else { return i } }
            }
            i += length
        }
        return nil
    }

    /// The length of the sequence a lead byte starts and the range its second byte must
    /// be in (which rules out overlongs, surrogates and values above U+10FFFF); nil for
    /// a byte that cannot start a multibyte sequence.
    @inline(__always)
    static func sequence(startingWith lead: UInt8) -> (length: Int, lower: UInt8, upper: UInt8)? {
        switch lead {
        case 0xC2...0xDF: return (2, 0x80, 0xBF)
        case 0xE0: return (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: return (3, 0x80, 0xBF)
        case 0xED: return (3, 0x80, 0x9F)
        case 0xF0: return (4, 0x90, 0xBF)
        case 0xF1...0xF3: return (4, 0x80, 0xBF)
        case 0xF4: return (4, 0x80, 0x8F)
        default: return nil
        }
    }

    /// Whether the bytes from `offset` to the end are the start of a valid sequence that
    /// the end cut off (`E8 97` of a three-byte character): a truncated file, not
    /// another encoding.
    public static func isCutSequence(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        let rest = bytes.count - offset
        guard rest > 0, rest < 4 else { return false }
        guard let (length, lower, upper) = sequence(startingWith: bytes[offset]), rest < length else { return false }
        if rest > 1, !(lower...upper).contains(bytes[offset + 1]) { return false }
        if rest > 2, bytes[offset + 2] & 0xC0 != 0x80 { return false }
        return true
    }

    /// 1-based line and column (in characters) of `offset`, for error messages.
    public static func lineAndColumn(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        let end = min(offset, bytes.count)
        for i in 0..<end where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        var column = 1
        for i in lineStart..<end where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return (line, column)
    }

    /// Up to `count` bytes from `offset` in upper-case hex (`93 8C`), to show what could
    /// not be read.
    public static func hex(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, count: Int = 4) -> String {
        bytes[offset..<min(bytes.count, offset + count)].map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}
