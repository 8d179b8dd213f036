import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The case key for keyed fingerprints (`set key = env:NAME`), read from the
/// environment so it never appears in a statement, the journal or the history.
///
/// With a key, fingerprints are HMAC-SHA256 instead of SHA-256: two organisations that
/// hold the same key can intersect their records by fingerprint, and nobody without the
/// key can test a guessed name and birth date against them. Only the key's id — a
/// SHA-256 of the key under a fixed label, shortened — is ever shown or journaled.
///
/// HMAC per record through swift-crypto's `HMAC<SHA256>` costs ~2.9 µs; the inner and
/// outer SHA-256 states are computed once here and copied per record (RFC 2104), which
/// measured about 5× faster.
public struct CaseKey: @unchecked Sendable {  // SHA256 is a value type holding only its state
    public let id: String
    let inner: SHA256
    let outer: SHA256

    public init(bytes: [UInt8]) {
        var block = bytes
        if block.count > 64 { block = Array(SHA256.hash(data: block)) }
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
        self.id = "key:" + String(SHA256Digest.hex(of: Array("kensho case key id\0".utf8) + bytes).prefix(16))
    }

    /// Reads `env:NAME`; fails when the variable is missing or empty.
    static func fromSetting(_ setting: String) throws(Diagnostic) -> CaseKey {
        let name = String(setting.dropFirst(4))
        guard let value = getenv(name), value.pointee != 0 else {
            throw Diagnostic("the environment variable '\(name)' holding the case key is not set",
                             notes: ["set it in the shell that starts kensho; the key is never typed into kensho"])
        }
        return CaseKey(bytes: Array(String(cString: value).utf8))
    }
}
