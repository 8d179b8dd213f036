import ArgumentParser
import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sets up a session for one invocation and feeds it statements from wherever they
/// come: a script, `-c`, standard input or the REPL. Every path ends in `Session.run`.
final class ShellRunner {
    let options: CommonOptions
    let session: Session

    init(options: CommonOptions) throws {
        self.options = options
        session = Session(output: FileSink.standardOutput, status: FileSink.standardError,
                          cancellation: Interrupts.flag)
        if let format = options.outputFormat { session.settings.format = format }
        let width = Int(ce_terminal_width_or_zero(STDOUT_FILENO))
        if width > 0 { session.terminalWidth = width }
        if isatty(STDERR_FILENO) != 0 {
            let progress = ProgressLine(sink: FileSink.standardError)
            session.loadProgress = { progress.report(done: $0, total: $1) }
            let pushing = ProgressLine(sink: FileSink.standardError, verb: "pushing", unit: .rows)
            session.pushProgress = { pushing.report(done: $0, total: $1) }
        }
        if !options.noJournal {
            let path = options.journal ?? JournalWriter.defaultPath()
            do {
                session.journal = try JournalWriter(path: path, header: .current(operatorName: nil))
            } catch {
                FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
                throw ExitCode(1)
            }
        }
        Interrupts.install()
    }

    /// Says where the journal is and its head hash; a journal write failure fails the run.
    func finish(_ ok: Bool) -> Int32 {
        var flushed = true
        if let journal = session.journal {
            do { try journal.waitUntilFlushed() } catch {
                FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
                flushed = false
            }
            FileSink.standardError.write("journal \(journal.path): \(journal.entryCount) entr\(journal.entryCount == 1 ? "y" : "ies"), head \(journal.head)\n")
        }
        return ok && flushed && !session.journalFailed ? 0 : 1
    }

    /// Runs a whole source; stops at the first failure unless --keep-going.
    func runSource(_ source: SourceText) -> Bool {
        session.run(source, stopOnError: !options.keepGoing)
    }

    /// Reads statements from a pipe or file on stdin, running each as soon as it is
    /// complete (a line starting with `|` continues the statement before it).
    func runStandardInput() -> Bool {
        var reader = StatementAssembler()
        var ok = true
        var lineNumber = 0
        var input = LineReader(descriptor: STDIN_FILENO)
        // Lines that are not UTF-8, by number: the statement holding one is not run.
        var undecodable: [Int: Diagnostic] = [:]
        func run(_ chunk: (text: String, firstLine: Int)) -> Bool {
            let lines = chunk.firstLine..<(chunk.firstLine + chunk.text.split(separator: "\n", omittingEmptySubsequences: false).count)
            let errors = undecodable.filter { lines.contains($0.key) }.sorted { $0.key < $1.key }
            guard errors.isEmpty else {
                // Not run, nor journaled: the journal holds statements as UTF-8 text.
                for (_, error) in errors { FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil)) }
                return false
            }
            return runChunk(chunk.text, firstLine: chunk.firstLine)
        }
        while let bytes = input.next() {
            lineNumber += 1
            let line: String
            do { line = try StatementBytes.text(bytes, name: "stdin", line: lineNumber) } catch {
                undecodable[lineNumber] = error
                // Read as well as it can be only to see where its statement ends.
                line = String(decoding: bytes, as: UTF8.self)
            }
            if let chunk = reader.add(line, lineNumber: lineNumber), !run(chunk) {
                ok = false
                if !options.keepGoing { return false }
            }
        }
        if let chunk = reader.finish(), !run(chunk) { ok = false }
        return ok
    }

    private func runChunk(_ text: String, firstLine: Int) -> Bool {
        session.run(SourceText(name: "stdin", text: text, firstLine: firstLine), stopOnError: !options.keepGoing)
    }

    func runInteractive() -> Bool {
        REPL(session: session).run()
        return true
    }
}

/// Groups input lines into complete statements: a statement continues while brackets
/// or a string are open, after a trailing `|`, and when the next line starts with `|`.
/// Blank and comment lines wait with the statement before them.
struct StatementAssembler {
    private var pending: [String] = []
    private var pendingStart = 1

    /// Adds a line; returns a complete chunk (and its first line number) when the new
    /// line shows that the pending statement is over.
    mutating func add(_ line: String, lineNumber: Int) -> (String, Int)? {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
        if pending.isEmpty {
            pending = [line]
            pendingStart = lineNumber
            return nil
        }
        let text = pending.joined(separator: "\n")
        let isFiller = trimmed.isEmpty || trimmed.hasPrefix("--")
        if isFiller || trimmed.hasPrefix("|") || Lexer.needsContinuation(text) || !hasStatement(text) {
            pending.append(line)
            return nil
        }
        let chunk = (text, pendingStart)
        pending = [line]
        pendingStart = lineNumber
        return chunk
    }

    mutating func finish() -> (String, Int)? {
        guard !pending.isEmpty else { return nil }
        defer { pending = [] }
        return (pending.joined(separator: "\n"), pendingStart)
    }

    /// False while the pending lines are only blanks and comments.
    private func hasStatement(_ text: String) -> Bool {
        text.split(separator: "\n").contains { line in
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
            return !trimmed.isEmpty && !trimmed.hasPrefix("--")
        }
    }
}

@inline(__always)
func ce_terminal_width_or_zero(_ fd: Int32) -> Int32 {
    isatty(fd) != 0 ? ce_terminal_width(fd) : 0
}

import CEditLine
