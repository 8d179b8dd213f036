@testable import Kensho
import FuzzSupport

/// The code behind `kensho verify`, on any bytes and on journals known to be good.
///
/// Any bytes: `JournalVerifier.verify(bytes:)` returns a report and never traps.
///
/// A good journal is built from the input, the way `JournalWriter` writes one: from the
/// input's own header and entries when it reads as a journal, else with each line of
/// the input as a statement. It must verify intact, with every entry and the last
/// entry's chain hash as its head. Then, since a crash can cut the last write short at
/// any byte, the journal cut after its header at a place chosen from the input
/// must still verify intact, as the entries written completely before the cut. (Unless
/// a statement line ends the way an annotation line does, with ` chain=` and a hash:
/// cut after it, it reads as a damaged entry, which the format cannot tell apart.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    check(JournalVerifier.verify(bytes: Array(input)), "the input")
    let journal = GoodJournal(from: String(decoding: input, as: UTF8.self))
    let report = JournalVerifier.verify(bytes: journal.bytes)
    invariant(report.isIntact && report.incompleteTail == nil, "a good journal does not verify: \(describe(report))")
    invariant(report.entries == journal.ends.count, "a good journal of \(journal.ends.count) entries verifies \(report.entries)")
    invariant(report.head == journal.head, "a good journal verifies with head \(report.head), not \(journal.head)")
    guard !journal.hasAnnotationLikeStatement else { return 0 }
    if let cut = journal.cut(seed: input.reduce(5381) { ($0 &* 33) ^ UInt64($1) }) {
        let report = JournalVerifier.verify(bytes: Array(journal.bytes[..<cut]))
        // An entry counts once its chain hash is whole, even before its line break.
        let complete = journal.ends.filter { $0 - 1 <= cut }.count
        invariant(report.isIntact, "a good journal cut at byte \(cut) of \(journal.bytes.count) does not verify: \(describe(report))")
        invariant(report.entries == complete, "a good journal cut at byte \(cut) verifies \(report.entries) entries, not \(complete)")
    }
    return 0
}

private func check(_ report: JournalVerifier.Report, _ what: String) {
    if let broken = report.broken {
        invariant(broken.line >= 1 && !broken.message.isEmpty, "\(what): a break without a place: \(describe(report))")
    }
    invariant(report.head.isEmpty || report.head.count == 64, "\(what): head '\(report.head)'")
}

private func describe(_ report: JournalVerifier.Report) -> String {
    guard let broken = report.broken else { return "\(report.entries) entries, tail \(String(describing: report.incompleteTail))" }
    return "entry \(broken.entry), line \(broken.line): \(broken.message)"
}

/// A journal as `JournalWriter` writes it, in memory.
struct GoodJournal {
    private(set) var bytes: [UInt8]
    /// Where the header ends, and where each entry ends (after its line break).
    let headerEnd: Int
    private(set) var ends: [Int] = []
    private(set) var head: String
    /// A statement line ends in ` chain=` and a hash, like an annotation line.
    private(set) var hasAnnotationLikeStatement = false

    init(from text: String) {
        var header = JournalHeader(fields: [("tool", "kensho fuzz"), ("started", "2026-01-01T00:00:00.000Z")])
        var entries: [(statement: String, annotation: JournalAnnotation)]
        if let document = try? JournalDocument.parse(text) {
            header = document.header
            // `chain` is the format's own key, never one of an annotation's fields.
            entries = document.entries.map { entry in
                (entry.statement, JournalAnnotation(entry.annotation.fields.filter { $0.key != "chain" }))
            }
        } else {
            // Split at line feed bytes, so a line may end in "\r" (a CRLF script's).
            entries = text.journalLines.prefix(64).map { line in
                (line, JournalAnnotation([("time", "2026-01-01T00:00:00.000Z"), ("status", "ok"), ("note", line)]))
            }
        }
        let headerText = header.text
        bytes = Array(headerText.utf8)
        headerEnd = bytes.count
        head = JournalChain.genesis(header: headerText)
        for entry in entries {
            hasAnnotationLikeStatement = hasAnnotationLikeStatement
                || entry.statement.journalLines.contains(where: JournalDocument.endsWithChainHash)
            let (text, chain) = JournalWriter.entry(statement: entry.statement, annotation: entry.annotation, previous: head)
            bytes += Array(text.utf8)
            ends.append(bytes.count)
            head = chain
        }
    }

    /// A cut point after the header, one of three kinds by `seed`: inside the last entry
    /// (the usual statement in flight), inside its chain hash, or anywhere.
    func cut(seed: UInt64) -> Int? {
        guard let last = ends.last else { return nil }
        let lastStart = ends.count > 1 ? ends[ends.count - 2] : headerEnd
        let offset = seed / 3
        switch seed % 3 {
        case 0: return lastStart + Int(offset % UInt64(last - lastStart))
        case 1: return last - 2 - Int(offset % 64)
        default: return headerEnd + Int(offset % UInt64(last - headerEnd))
        }
    }
}
