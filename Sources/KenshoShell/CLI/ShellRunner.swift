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
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if let (text, firstLine) = reader.add(line, lineNumber: lineNumber) {
                if !runChunk(text, firstLine: firstLine) {
                    ok = false
                    if !options.keepGoing { return false }
                }
            }
        }
        if let (text, firstLine) = reader.finish() {
            if !runChunk(text, firstLine: firstLine) { ok = false }
        }
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
