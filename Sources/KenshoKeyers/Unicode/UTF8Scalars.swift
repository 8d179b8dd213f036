/// Reading and writing UTF-8 one scalar at a time, for the byte-level paths.
///
/// The decoder validates as it goes (no overlong forms, no surrogates, nothing above
/// U+10FFFF, no truncated sequence), so a keyer never misreads malformed input: it
/// reports it instead.
enum UTF8Scalars {
    /// The scalar starting at `index` and its length in bytes, or nil when the bytes
    /// there are not well-formed UTF-8.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int)? {
        let count = bytes.count
        let b0 = bytes[index]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xC2 { return nil }
        if b0 < 0xE0 {
            guard index + 1 < count else { return nil }
            let b1 = bytes[index + 1]
            guard b1 & 0xC0 == 0x80 else { return nil }
            return (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard index + 2 < count else { return nil }
            let b1 = bytes[index + 1]
            let b2 = bytes[index + 2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return nil }
            let value = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
            guard value >= 0x800, value & 0xF800 != 0xD800 else { return nil }
            return (value, 3)
        }
        if b0 < 0xF5 {
            guard index + 3 < count else { return nil }
            let b1 = bytes[index + 1]
            let b2 = bytes[index + 2]
            let b3 = bytes[index + 3]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return nil }
            let value =
                UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6
                | UInt32(b3 & 0x3F)
            guard value >= 0x10000, value <= 0x10FFFF else { return nil }
            return (value, 4)
        }
        return nil
    }

    /// True when a well-formed scalar in U+4000–U+9FFF (CJK ideographs; lead bytes
    /// E4–E9, which admit no overlong form or surrogate) starts at `index`.
    @inline(__always)
    static func isIdeograph(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        bytes[index] &- 0xE4 < 6 && index + 2 < bytes.count && bytes[index + 1] & 0xC0 == 0x80
            && bytes[index + 2] & 0xC0 == 0x80
    }

    /// Writes `value` (a valid scalar) at `destination` and returns how many bytes it took.
    @inline(__always)
    static func encode(_ value: UInt32, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        if value < 0x80 {
            destination[0] = UInt8(value)
            return 1
        }
        if value < 0x800 {
            destination[0] = UInt8(0xC0 | value >> 6)
            destination[1] = UInt8(0x80 | value & 0x3F)
            return 2
        }
        if value < 0x10000 {
            destination[0] = UInt8(0xE0 | value >> 12)
            destination[1] = UInt8(0x80 | value >> 6 & 0x3F)
            destination[2] = UInt8(0x80 | value & 0x3F)
            return 3
        }
        destination[0] = UInt8(0xF0 | value >> 18)
        destination[1] = UInt8(0x80 | value >> 12 & 0x3F)
        destination[2] = UInt8(0x80 | value >> 6 & 0x3F)
        destination[3] = UInt8(0x80 | value & 0x3F)
        return 4
    }

    /// Appends `value` (a valid scalar) to `bytes`.
    static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        var buffer: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { raw in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let length = encode(value, to: start)
            bytes.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
        }
    }
}
