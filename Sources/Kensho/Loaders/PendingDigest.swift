import Dispatch
import Foundation

/// A SHA-256 computed on a thread of its own while the loader goes on reading the same
/// bytes (validating, decoding, scanning them on both cores).
///
/// The hash is the longest single pass of a load that cannot be split — SHA-256 is
/// sequential — so it starts first and runs beside everything else instead of holding
/// a core while the rest waits for it. Contract: the bytes stay alive and unchanged until
/// `wait()` has returned; a loader that writes into its buffer (unescaping quoted
/// cells) or frees it waits first.
final class PendingDigest: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written by the hashing thread before it signals `finished`; read after `wait`.
    nonisolated(unsafe) private var digest = ""
    private var hasFinished = false

    /// A digest already known (a small input, hashed in place).
    init(hex: String) {
        digest = hex
        hasFinished = true
    }

    /// Starts hashing `bytes` on a new thread.
    init(hashing bytes: UnsafeBufferPointer<UInt8>) {
        nonisolated(unsafe) let bytes = bytes
        let thread = Thread { [self] in
            digest = SHA256Digest.hex(of: bytes)
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The digest in lower-case hex, once the thread is done with the bytes.
    func wait() -> String {
        if !hasFinished {
            finished.wait()
            hasFinished = true
        }
        return digest
    }
}
