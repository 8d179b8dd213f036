import CEditLine
import Kensho
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libedit's line editor: Emacs keys, history (persisted), Tab completion, UTF-8.
///
/// libedit calls completion through C function pointers that cannot capture context,
/// so the completer reaches the REPL's candidate function through one process-wide
/// slot; there is only one line editor per process.
final class LineEditor {
    enum Input {
        /// The line's bytes, as typed (not yet checked to be UTF-8).
        case line([UInt8])
        case interrupted
        case end
    }

    private let historyPath: String?

    init(historyPath: String?, complete: @escaping @Sendable (CompletionRequest) -> [String]) {
        self.historyPath = historyPath
        _ = setlocale(LC_ALL, "")  // without it libedit drops non-ASCII input
        if String(cString: setlocale(LC_CTYPE, nil)) == "C" || String(cString: setlocale(LC_CTYPE, nil)) == "POSIX" {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        CompletionSlot.provider.withLock { $0 = complete }
        ce_set_readline_name(strdup("kensho"))
        ce_set_word_breaks(strdup(" \t\n\"'`(),=|;<>"))
        ce_install_completer(LineEditor.completer)
        using_history()
        stifle_history(5000)
        if let historyPath { _ = read_history(historyPath) }
    }

    func read(prompt: String) -> Input {
        _ = Interrupts.takeLineInterrupt()
        guard let pointer = readline(prompt) else {
            return Interrupts.takeLineInterrupt() ? .interrupted : .end
        }
        defer { free(pointer) }
        if Interrupts.takeLineInterrupt() { return .interrupted }
        return .line(Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))))
    }

    /// Adds an entry to the history and saves the history file (owner-only).
    func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(entry)
        guard let historyPath else { return }
        // Created owner-only before libedit writes it, so it is never readable by others
        // even for a moment (write_history keeps an existing file's mode).
        let descriptor = open(historyPath, O_WRONLY | O_CREAT, 0o600)
        if descriptor >= 0 { fchmod(descriptor, 0o600); close(descriptor) }
        _ = write_history(historyPath)
    }

    // MARK: - Completion bridge

    private static let completer: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
        ce_completion_over()
        let word = text.map { String(cString: $0) } ?? ""
        let line = ce_line_buffer().map { String(cString: $0) } ?? ""
        let request = CompletionRequest(line: line, wordStart: Int(start), word: word)
        let candidates = CompletionSlot.provider.withLock { $0 }?(request) ?? []
        CompletionSlot.candidates.withLock { $0 = candidates }
        // A path that ends in '/' should not get a trailing space.
        ce_set_append_character(candidates.count == 1 && (candidates[0].hasSuffix("/") || candidates[0].hasSuffix(".")) ? 0 : Int32(UInt8(ascii: " ")))
        return rl_completion_matches(text, LineEditor.generator)
    }

    private static let generator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
        if state == 0 { CompletionSlot.index.store(0, ordering: .relaxed) }
        let candidates = CompletionSlot.candidates.withLock { $0 }
        let index = CompletionSlot.index.add(1, ordering: .relaxed).oldValue
        guard index < candidates.count else { return nil }
        return strdup(candidates[index])  // libedit frees it
    }
}

/// What the user is completing: the whole line and the word under the cursor.
struct CompletionRequest: Sendable {
    var line: String
    /// UTF-8 offset where the word starts.
    var wordStart: Int
    var word: String

    /// The line before the word.
    var before: String {
        let bytes = Array(line.utf8)
        return String(decoding: bytes[..<min(wordStart, bytes.count)], as: UTF8.self)
    }
}

enum CompletionSlot {
    static let provider = Mutex<(@Sendable (CompletionRequest) -> [String])?>(nil)
    static let candidates = Mutex<[String]>([])
    static let index = Atomic<Int>(0)
}

import Foundation
