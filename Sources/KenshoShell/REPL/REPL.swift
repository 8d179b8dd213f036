import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive shell: reads statements with line editing, runs them in the
/// session, and keeps going after errors. A statement left open (an unclosed bracket
/// or string, or a trailing `|`) continues on a `...>` prompt; Ctrl-C abandons the
/// line being typed, or cancels the running statement; Ctrl-D leaves.
final class REPL {
    let session: Session
    private var lineNumber = 1

    init(session: Session) {
        self.session = session
    }

    func run() {
        let completer = Mutex(Completer(datasets: [:]))
        let editor = LineEditor(historyPath: REPL.historyPath()) { request in
            completer.withLock { $0 }.candidates(for: request)
        }
        FileSink.standardError.write("kensho \(KenshoVersion.string) — type 'help' for the language, Ctrl-D to leave\n")
        var pending: [String] = []
        while true {
            let prompt = pending.isEmpty ? "kensho> " : "   ...> "
            switch editor.read(prompt: prompt) {
            case .end:
                FileSink.standardError.write("\n")
                return
            case .interrupted:
                FileSink.standardError.write("^C\n")
                pending = []
                continue
            case .line(let bytes):
                let line: String
                do { line = try StatementBytes.text(bytes, name: "repl", line: lineNumber + pending.count) } catch {
                    FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
                    pending = []
                    continue
                }
                pending.append(line)
                let text = pending.joined(separator: "\n")
                if Lexer.needsContinuation(text) { continue }
                pending = []
                editor.remember(KeyRedaction.masked(text))
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed == "quit" || trimmed == "exit" || trimmed == ".quit" { return }
                let width = Int(ce_terminal_width_or_zero(STDOUT_FILENO))
                if width > 0 { session.terminalWidth = width }
                Interrupts.flag.reset()
                session.run(SourceText(name: "repl", text: text, firstLine: lineNumber), stopOnError: false)
                lineNumber += text.split(separator: "\n", omittingEmptySubsequences: false).count
                let warehouses = session.warehouseDatasets
                completer.withLock {
                    $0.datasets = REPL.columnsByDataset(session.catalog)
                    $0.warehouses = warehouses
                }
            }
        }
    }

    static func columnsByDataset(_ catalog: Catalog) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for dataset in catalog.datasets {
            result[dataset.name] = dataset.table.fields.map(\.name)
        }
        return result
    }

    /// `$XDG_STATE_HOME/kensho/history` (or `~/.local/state/kensho/history`), in a
    /// folder only the user can read. Nil when neither variable is set.
    static func historyPath() -> String? {
        var base: String
        if let state = getenv("XDG_STATE_HOME"), state.pointee != 0 {
            base = String(cString: state)
        } else if let home = getenv("HOME"), home.pointee != 0 {
            base = String(cString: home) + "/.local/state"
        } else {
            return nil
        }
        base += "/kensho"
        var path = ""
        for part in base.split(separator: "/") {
            path += "/" + part
            mkdir(path, 0o700)
        }
        chmod(base, 0o700)
        return base + "/history"
    }
}

import Foundation
import Synchronization
