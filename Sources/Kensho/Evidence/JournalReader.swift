/// Reads a journal back into its header and entries, without running anything.
///
/// The header is every line up to the first empty line; after it, an entry is the
/// lines up to and including the next line that starts with `--= `. Text after the last
/// such line is an incomplete entry (the statement in flight when a session stopped),
/// which is reported but is not an error. So are NUL bytes at the very end: after a
/// crash or power loss a file system can leave a file extended over blocks it never
/// wrote, which read as zeros. They carry nothing, so dropping them hides nothing.
public struct JournalDocument: Sendable {
    public struct Entry: Sendable {
        public var statement: String
        public var annotation: JournalAnnotation
        /// The raw annotation line up to ` chain=`, exactly as written.
        public var annotationPrefix: String
        public var chain: String
        /// 1-based line where the entry starts (its leading comments included), and of
        /// its annotation.
        public var line: Int
        public var annotationLine: Int
        /// The annotation is the file's last line and has no line break: the write of
        /// this entry may have been cut short (`JournalVerifier` decides).
        public var unterminated = false

        /// The line of the statement itself, after any leading comment lines.
        public var statementLine: Int {
            let lines = statement.journalLines
            let skipped = lines.prefix { line in
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                return trimmed.isEmpty || trimmed.utf8.starts(with: "--".utf8)
            }.count
            return line + min(skipped, max(0, lines.count - 1))
        }
    }

    public var headerText: String
    public var header: JournalHeader
    public var entries: [Entry]
    public var incompleteTail: (line: Int, text: String)?
    /// NUL bytes the file ends in (dropped before reading), and the line they start on.
    public var zeroFill: (line: Int, bytes: Int)?

    /// What NUL bytes at the end of a journal are, for verify's and replay's reports.
    public static func zeroFillNote(_ bytes: Int) -> String {
        "the journal ends in \(bytes) NUL byte\(bytes == 1 ? "" : "s"), as a crash leaves a file extended over blocks never"
            + " written; they are not part of the chain"
    }

    public struct ReadError: Error, Sendable {
        public var line: Int
        public var message: String
    }

    public static func parse(_ text: String) throws(ReadError) -> JournalDocument {
        let zeros = text.utf8.reversed().prefix { $0 == 0 }.count
        let text = String(text.utf8.dropLast(zeros))!
        let lines = text.journalLines
        let unterminated = !text.isEmpty && text.utf8.last != 0x0A
        if text.hasPrefix(JournalHeader.magic + "\r\n") {
            throw ReadError(line: 1, message: "the lines end in CR LF: this copy was converted (by an editor, or a transfer"
                                + " in text mode), and the chain is of the original bytes; verify a byte-exact copy,"
                                + " or convert the line ends back (dos2unix)")
        }
        guard lines.first == JournalHeader.magic else {
            throw ReadError(line: 1, message: "not a kensho journal (the first line is not '\(JournalHeader.magic)')")
        }
        var index = 1
        var fields: [(key: String, value: String)] = []
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            guard line.hasBytePrefix("-- "), let colon = line.range(of: ": ", options: .literal) else {
                throw ReadError(line: index + 1, message: "a header line must read '-- key: value'")
            }
            fields.append((String(line[line.index(line.startIndex, offsetBy: 3)..<colon.lowerBound]),
                           String(line[colon.upperBound...])))
            index += 1
        }
        guard index < lines.count else { throw ReadError(line: index, message: "the header does not end with an empty line") }
        let headerText = lines[0...index].joined(separator: "\n") + "\n"
        index += 1

        var entries: [Entry] = []
        var pending: [String] = []
        var pendingStart = index + 1
        while index < lines.count {
            let line = lines[index]
            if line.hasBytePrefix("--= ") {
                guard !pending.isEmpty else { throw ReadError(line: index + 1, message: "an annotation without a statement") }
                let isLast = unterminated && index == lines.count - 1
                let annotation: JournalAnnotation
                do { (annotation, _) = try JournalAnnotation.parse(String(decoding: line.utf8.dropFirst(4), as: UTF8.self)) } catch {
                    // A write cut before the chain field ends (or inside a quoted value that
                    // holds ` chain=`): the statement in flight, not damage.
                    if isLast {
                        pending.append(line)
                        break
                    }
                    guard case .malformed(let why) = error else { throw ReadError(line: index + 1, message: "malformed annotation") }
                    throw ReadError(line: index + 1, message: "malformed annotation: \(why)")
                }
                guard let chainRange = line.range(of: " chain=", options: [.literal, .backwards]) else {
                    throw ReadError(line: index + 1, message: "malformed annotation: no chain hash")
                }
                // The chain is compared as written: not the parsed value, which would forgive
                // a trailing space or other damage after it.
                let rawChain = String(line[chainRange.upperBound...])
                entries.append(Entry(statement: pending.joined(separator: "\n"), annotation: annotation,
                                     annotationPrefix: String(line[..<chainRange.lowerBound]), chain: rawChain,
                                     line: pendingStart, annotationLine: index + 1, unterminated: isLast))
                pending = []
                pendingStart = index + 2
            } else {
                if pending.isEmpty { pendingStart = index + 1 }
                pending.append(line)
            }
            index += 1
        }
        // The file ends with a newline, which leaves one empty last "line".
        if pending.last == "" { pending.removeLast() }
        // A statement in flight when a session stopped has no complete annotation. A tail
        // with a finished line that ends the way an annotation does (` chain=` and 64 hex
        // digits) is a damaged entry: an edited `--= ` would otherwise pass the last entry
        // off as the statement in flight. A statement line merely holding `chain=` (in a
        // string, in a comment) is not one.
        if let line = pending.firstIndex(where: endsWithChainHash), !(unterminated && line == pending.count - 1) {
            throw ReadError(line: pendingStart + line, message: "a damaged entry: an annotation line does not start with '--= '")
        }
        let tail = pending.isEmpty ? nil : (line: pendingStart, text: pending.joined(separator: "\n"))
        return JournalDocument(headerText: headerText, header: JournalHeader(fields: fields), entries: entries,
                               incompleteTail: tail, zeroFill: zeros > 0 ? (lines.count, zeros) : nil)
    }

    /// Whether `line` ends in ` chain=` and a SHA-256 in lower-case hex, as annotations do.
    static func endsWithChainHash(_ line: String) -> Bool {
        let bytes = Array(line.utf8)
        let marker = Array(" chain=".utf8)
        guard bytes.count >= marker.count + 64 else { return false }
        let hash = bytes.suffix(64)
        return bytes.dropLast(64).suffix(marker.count).elementsEqual(marker)
            && hash.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension String {
    /// Whether the text's bytes start with `prefix`'s. The journal's marks are bytes: a
    /// `String` comparison works on characters, and `"--= "` followed by a combining
    /// mark (U+0CD6) is not a character-wise prefix of the line, because the space and
    /// the mark make one character — an annotation line would be read as a statement.
    func hasBytePrefix(_ prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }

    /// The lines of journal text, split at each line feed byte as the writer ends them.
    /// Splitting at the Character "\n" would not split a "\r\n", which Swift counts as
    /// one Character, so a statement ending in "\r" would swallow its annotation line.
    var journalLines: [String] {
        var text = self
        return text.withUTF8 { bytes -> [String] in
            guard let base = bytes.baseAddress else { return [""] }
            var lines: [String] = []
            var start = 0
            while let found = memchr(base + start, 0x0A, bytes.count - start) {
                let end = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                start = end + 1
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return lines
        }
    }
}

import Foundation
