import Crypto

/// The hash chain that makes a journal tamper-evident.
///
///     chain₀ = SHA-256(header block, every header line with its newline)
///     chainₙ = SHA-256(chainₙ₋₁ hex ‖ "\n" ‖ statement text ‖ "\n" ‖ annotation line before " chain=")
///
/// So changing any byte of the header, a statement or an annotation changes that
/// entry's chain hash and every one after it; `kensho verify` recomputes the chain and
/// stops at the first entry whose recorded hash differs. The head hash (the last
/// entry's) is what an examiner writes down or signs outside the log.
public enum JournalChain {
    public static func genesis(header: String) -> String {
        SHA256Digest.hex(of: Array(header.utf8))
    }

    public static func next(previous: String, statement: String, annotationPrefix: String) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(previous.utf8))
        hasher.update(data: [0x0A])
        hasher.update(data: Array(statement.utf8))
        hasher.update(data: [0x0A])
        hasher.update(data: Array(annotationPrefix.utf8))
        return SHA256Digest.hex(hasher.finalize())
    }
}
