/// The first pass over a loaded file: its SHA-256 (the evidence record) and whether it
/// is valid UTF-8.
///
/// The hash starts on a thread of its own (`PendingDigest`) and runs on while the
/// loader goes on; the validation is cut in two halves (split at a character boundary)
/// for the two cores. On a 157 MB export the hash takes about 110 ms and the
/// validation about as long on each core, so waiting for the hash before scanning left
/// a core idle; now the scan starts as soon as the text is known to be UTF-8.
enum InputCheck {
    struct Result {
        var digest: PendingDigest
        var isValidUTF8: Bool
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>, checkUTF8: Bool) -> Result {
        guard bytes.count > 1 << 20 else {
            return Result(digest: PendingDigest(hex: SHA256Digest.hex(of: bytes)),
                          isValidUTF8: checkUTF8 && UTF8Validation.firstInvalidOffset(in: bytes) == nil)
        }
        let digest = PendingDigest(hashing: bytes)
        guard checkUTF8 else { return Result(digest: digest, isValidUTF8: false) }
        var middle = bytes.count / 2
        while middle > 0, bytes[middle] & 0xC0 == 0x80 { middle -= 1 }
        nonisolated(unsafe) let halves = [UnsafeBufferPointer(rebasing: bytes[..<middle]),
                                          UnsafeBufferPointer(rebasing: bytes[middle...])]
        let valid = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2)
        valid.initialize(repeating: false)
        defer { valid.deallocate() }
        concurrentlyForEach(2) { half in
            valid[half] = UTF8Validation.firstInvalidOffset(in: halves[half]) == nil
        }
        return Result(digest: digest, isValidUTF8: valid[0] && valid[1])
    }
}
