/// A fast, deterministic 64-bit hash of bytes for in-memory hash tables (joins,
/// grouping, distinct). Deterministic on purpose: nothing kensho prints may depend on
/// a process-seeded hash, and this one is never used for evidence (that is SHA-256).
///
/// Eight bytes at a time with a multiply-xorshift mix (the structure of wyhash and
/// Murmur's finalizer); collisions are resolved by comparing the full key.
public enum ByteHash {
    public static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64 = seed) -> UInt64 {
        var h = seed ^ UInt64(bytes.count) &* 0xA076_1D64_78BD_642F
        guard let base = bytes.baseAddress else { return mix(h, 0xE703_7ED1_A0B4_28DB) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let count = bytes.count
        while i + 8 <= count {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), 0xE703_7ED1_A0B4_28DB)
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail, 0x8EBC_6AF0_9C88_C6E3)
        }
        return mix(h, 0x5899_65CC_7537_4CC3)
    }

    @inline(__always)
    public static func hash(_ value: UInt64) -> UInt64 {
        mix(value ^ seed, 0xE703_7ED1_A0B4_28DB)
    }

    @inline(__always)
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a ^ 0x8EBC_6AF0_9C88_C6E3, b ^ 0x5899_65CC_7537_4CC3)
    }
}
