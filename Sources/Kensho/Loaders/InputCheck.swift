/// The first pass over a loaded file: its SHA-256 (the evidence record) and whether it
/// is valid UTF-8.
///
/// The hash starts on a thread of its own (`PendingDigest`) and runs on while the
/// loader goes on: SHA-256 is sequential and the longest pass of a load (about 110 ms
/// for a 157 MB export), while simdjson validates the same bytes in about a tenth of
/// that, so the scan starts as soon as the text is known to be UTF-8.
enum InputCheck {
    struct Result {
        var digest: PendingDigest
        var isValidUTF8: Bool
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>, checkUTF8: Bool) -> Result {
        let digest = bytes.count > 1 << 20 ? PendingDigest(hashing: bytes) : PendingDigest(hex: SHA256Digest.hex(of: bytes))
        return Result(digest: digest, isValidUTF8: checkUTF8 && UTF8Validation.firstInvalidOffset(in: bytes) == nil)
    }
}
