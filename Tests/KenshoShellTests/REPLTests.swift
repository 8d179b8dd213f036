import Foundation
import Testing

/// The REPL on a real pseudo-terminal with real libedit: a statement and its result,
/// history recall, tab completion, Japanese input, continuation lines, Ctrl-C.
@Suite("REPL", .serialized)
struct REPLTests {
    static func start() throws -> (PseudoTerminal, Scratch) {
        let scratch = try Scratch()
        try scratch.file("m.csv", "利用者番号,氏名,電話番号\n0001,佐々木 太郎,090-1234-5678\n0002,髙橋 一郎,0564-22-1234\n")
        let terminal = try PseudoTerminal(
            executable: KenshoBinary.url.path, arguments: ["--no-journal"], directory: scratch.path,
            environment: ["TERM": "xterm", "LANG": "C.UTF-8", "SWIFT_BACKTRACE": "enable=no", "HOME": scratch.path, "XDG_STATE_HOME": scratch.path + "/state"])
        terminal.keepAlive = scratch
        expectScreen(terminal, "kensho> ")
        return (terminal, scratch)
    }

    @Test func statementAndResult() throws {
        let (terminal, _) = try REPLTests.start()
        terminal.type("load m.csv\r")
        expectScreen(terminal, "m: 2 rows, 3 columns from m.csv")
        terminal.type("m | count\r")
        expectScreen(terminal, "│ 2 │")
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
    }

    @Test func historyRecallWithTheUpArrow() throws {
        let (terminal, scratch) = try REPLTests.start()
        terminal.type("load m.csv\r")
        expectScreen(terminal, "sha256")
        terminal.type("m | where 利用者番号 = '0002' | select 氏名\r")
        expectScreen(terminal, "│ 髙橋 * │")
        terminal.type("help\r")
        expectScreen(terminal, "help topics")
        // Up twice recalls the query; edit its end and run it again.
        terminal.type("\u{1B}[A\u{1B}[A")
        terminal.type("\u{7F}\u{7F}電話番号\r")
        expectScreen(terminal, "****-**-1234")
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
        // The history was saved, owner-only.
        let history = scratch.url.appendingPathComponent("state/kensho/history").path
        #expect(FileManager.default.fileExists(atPath: history))
        let attributes = try FileManager.default.attributesOfItem(atPath: history)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func aKeyTypedInClearIsMaskedOnScreenAndNeverSaved() throws {
        let (terminal, scratch) = try REPLTests.start()
        terminal.type("set key = tiger-lily-42\r")
        expectScreen(terminal, "set key = *************")
        expectScreen(terminal, "never type the key itself")
        terminal.type("help\r")
        expectScreen(terminal, "help topics")
        terminal.type("\u{04}")
        #expect(terminal.waitForExit() == 0)
        let history = try String(contentsOfFile: scratch.url.appendingPathComponent("state/kensho/history").path, encoding: .utf8)
        #expect(history.contains("help"))
        #expect(!history.contains("tiger-lily"))
    }

    @Test func tabCompletesAColumnName() throws {
        let (terminal, _) = try REPLTests.start()
        terminal.type("load m.csv\r")
        expectScreen(terminal, "sha256")
        terminal.type("m | select 電\t")
        expectScreen(terminal, "m | select 電話番号")
        terminal.type("\r")
        expectScreen(terminal, "***-****-5678")
        terminal.type("m | sel\t氏名\r")
        expectScreen(terminal, "│ 佐々木 * │")
    }

    @Test func japaneseTextTypedAndEchoed() throws {
        let (terminal, _) = try REPLTests.start()
        terminal.type("load m.csv\r")
        expectScreen(terminal, "sha256")
        terminal.type("m | where 氏名 like '%太郎' | select 氏名 as 名前\r")
        expectScreen(terminal, "m | where 氏名 like '%太郎' | select 氏名 as 名前")
        expectScreen(terminal, "│ 佐々木 * │")
        // Personal columns are masked on screen until the investigator says otherwise.
        terminal.type("set mask = off\r")
        expectScreen(terminal, "kensho> ", occurrences: 4)
        terminal.type("m | where 氏名 like '%太郎' | select 氏名 as 名前\r")
        expectScreen(terminal, "│ 佐々木 太郎 │")
    }

    @Test func continuationPromptAndErrorsKeepTheShell() throws {
        let (terminal, _) = try REPLTests.start()
        terminal.type("load m.csv\r")
        expectScreen(terminal, "sha256")
        terminal.type("m |\r")
        expectScreen(terminal, "...> ")
        terminal.type("count\r")
        expectScreen(terminal, "│ 2 │")
        terminal.type("m | wher x\r")
        expectScreen(terminal, "did you mean 'where'?")
        terminal.type("m | count\r")
        // The fifth prompt: the statement has finished, so Ctrl-C hits the line editor.
        #expect(terminal.waitFor("kensho> ", occurrences: 5), "\(terminal.screen)")
        terminal.type("m | whe\u{03}")
        expectScreen(terminal, "^C")
        terminal.type("quit\r")
        #expect(terminal.waitForExit() == 0)
    }
}

/// Waits for `text` on the terminal; on failure the screen so far is in the message.
func expectScreen(_ terminal: PseudoTerminal, _ text: String, occurrences: Int = 1,
                  sourceLocation: SourceLocation = #_sourceLocation) {
    let found = terminal.waitFor(text, occurrences: occurrences)
    #expect(found, "waiting for \(text) on:\n\(terminal.screen)", sourceLocation: sourceLocation)
}
