/// Checks a journal's hash chain without running anything (`kensho verify`).
public enum JournalVerifier {
    public struct Report: Sendable {
        public var entries: Int
        /// The chain hash of the last entry that verified.
        public var head: String
        public var broken: (entry: Int, line: Int, message: String)?
        public var incompleteTail: Int?
        /// NUL bytes at the end of the file, as a crash can leave (`JournalDocument`).
        public var zeroFill: (line: Int, bytes: Int)?

        public var isIntact: Bool { broken == nil }
    }

    /// Verifies raw bytes: bytes that are not UTF-8 are themselves a break, after the
    /// entries before their line (which are verified, and counted) — except a character
    /// cut off by the end of the file, which a write cut short leaves behind (it belongs
    /// to the statement in flight, and is dropped).
    public static func verify(bytes: [UInt8]) -> Report {
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Validation.firstInvalidOffset(in: $0) }) {
            if isCutCharacter(bytes[bad...]) { return verify(String(decoding: bytes[..<bad], as: UTF8.self)) }
            let line = bytes[..<bad].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            let lineStart = bytes[..<bad].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            var report = verify(String(decoding: bytes[..<lineStart], as: UTF8.self))
            // An entry changed before the bad bytes is the first break (entry 0 is a text
            // that does not parse, which the cut itself may cause).
            if let broken = report.broken, broken.entry > 0 { return report }
            report.broken = (report.entries + 1, line, "bytes that are not UTF-8 at byte offset \(bad)")
            report.incompleteTail = nil
            report.zeroFill = nil
            return report
        }
        return verify(String(decoding: bytes, as: UTF8.self))
    }

    /// Whether `tail` is the start of a multi-byte UTF-8 character and nothing more
    /// (RFC 3629: the second byte's range depends on the lead).
    static func isCutCharacter(_ tail: ArraySlice<UInt8>) -> Bool {
        guard let lead = tail.first else { return false }
        let (length, second): (Int, ClosedRange<UInt8>) = switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xE1...0xEF: (3, 0x80...0xBF)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: (0, 0x80...0xBF)
        }
        let rest = tail.dropFirst()
        return tail.count < length && rest.first.map(second.contains) != false
            && rest.dropFirst().allSatisfy { $0 & 0xC0 == 0x80 }
    }

    public static func verify(_ text: String) -> Report {
        let document: JournalDocument
        do { document = try JournalDocument.parse(text) } catch {
            return Report(entries: 0, head: "", broken: (0, error.line, error.message), incompleteTail: nil)
        }
        return verify(document)
    }

    public static func verify(_ document: JournalDocument) -> Report {
        var head = JournalChain.genesis(header: document.headerText)
        for (index, entry) in document.entries.enumerated() {
            let computed = JournalChain.next(previous: head, statement: entry.statement,
                                             annotationPrefix: entry.annotationPrefix)
            // The last entry's write was cut inside its chain hash (a crash mid-write can
            // only truncate): it is the statement in flight, not an edit.
            if entry.unterminated, index == document.entries.count - 1, entry.chain.count < 64, computed.hasPrefix(entry.chain) {
                return Report(entries: index, head: head, broken: nil, incompleteTail: entry.line,
                              zeroFill: document.zeroFill)
            }
            guard computed == entry.chain else {
                let what = index == 0
                    ? "the header, this statement or its annotation was changed"
                    : "this statement or its annotation was changed (or the chain before it was)"
                return Report(entries: index, head: head,
                              broken: (index + 1, entry.statementLine,
                                       "entry \(index + 1) does not match its chain hash: \(what)"),
                              incompleteTail: nil)
            }
            head = computed
        }
        return Report(entries: document.entries.count, head: head, broken: nil,
                      incompleteTail: document.incompleteTail?.line, zeroFill: document.zeroFill)
    }
}
