/// The first pass over a loaded file: its SHA-256 (the evidence record) and whether it
/// is valid UTF-8, computed together on both cores.
///
/// Hashing and validating are independent reads of the same bytes, and on mostly
/// Japanese text validation costs more than hashing. The work is cut into three pieces —
/// the hash, and the two halves of the validation (split at a character boundary) — so
/// two cores finish it in about half the time one would take.
enum InputCheck {
    struct Result {
        var sha256: String
        var isValidUTF8: Bool
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>, checkUTF8: Bool) -> Result {
        guard checkUTF8, bytes.count > 1 << 20 else {
            return Result(sha256: SHA256Digest.hex(of: bytes),
                          isValidUTF8: checkUTF8 && UTF8Validation.firstInvalidOffset(in: bytes) == nil)
        }
        var middle = bytes.count / 2
        while middle > 0, bytes[middle] & 0xC0 == 0x80 { middle -= 1 }
        nonisolated(unsafe) let halves = [UnsafeBufferPointer(rebasing: bytes[..<middle]),
                                          UnsafeBufferPointer(rebasing: bytes[middle...])]
        nonisolated(unsafe) let whole = bytes
        let valid = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 2)
        valid.initialize(repeating: false)
        defer { valid.deallocate() }
        let digest = UnsafeMutablePointer<String>.allocate(capacity: 1)
        digest.initialize(to: "")
        defer { digest.deinitialize(count: 1); digest.deallocate() }
        concurrentlyForEach(3) { task in
            if task == 0 {
                digest.pointee = SHA256Digest.hex(of: whole)
            } else {
                valid[task - 1] = UTF8Validation.firstInvalidOffset(in: halves[task - 1]) == nil
            }
        }
        return Result(sha256: digest.pointee, isValidUTF8: valid[0] && valid[1])
    }
}
