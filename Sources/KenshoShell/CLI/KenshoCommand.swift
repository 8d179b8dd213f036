import ArgumentParser
import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kensho`: the REPL on a terminal, statements from stdin otherwise, or `-c`.
public struct KenshoCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kensho",
        abstract: "An investigation notebook for data-leak cases.",
        discussion: """
        With no arguments, kensho starts an interactive shell on a terminal, or reads
        statements from standard input. Type 'help' in the shell for the language.
        Exit status: 0 ok, 1 a statement failed, 2 usage, 3 replay or verify found a divergence.
        """,
        version: KenshoVersion.string,
        subcommands: [RunCommand.self, ReplayCommand.self, VerifyCommand.self]
    )

    @Option(name: .customShort("c"), help: "Run these statements and exit.")
    var command: String?

    @OptionGroup var common: CommonOptions

    public init() {}

    public mutating func run() throws {
        let runner = ShellRunner(options: common)
        if let command {
            let ok = runner.runSource(SourceText(name: "-c", text: command))
            throw ExitCode(ok ? 0 : 1)
        }
        if isatty(STDIN_FILENO) != 0 {
            try runner.runInteractive()
            return
        }
        throw ExitCode(runner.runStandardInput() ? 0 : 1)
    }

    /// Parses `arguments`, runs, and returns the exit status (DESIGN §7: 0 ok, 1 a
    /// statement failed, 2 usage, 3 divergence).
    public static func main(arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                FileSink.standardOutput.write(message + "\n")
                return 0
            }
            FileSink.standardError.write("error: " + message.replacingOccurrences(of: "Error: ", with: "") + "\n")
            return 2
        }
    }
}

/// `kensho run FILE...`
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run statements from files, in order.")

    @Argument(help: "Script files of kensho statements.")
    var files: [String]

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to run") }
    }

    func run() throws {
        let runner = ShellRunner(options: common)
        var ok = true
        for file in files {
            guard let text = ScriptFile.read(file) else {
                FileSink.standardError.write("error: cannot read '\(file)'\n")
                throw ExitCode(ok ? 1 : 1)
            }
            if !runner.runSource(SourceText(name: file, text: text)) {
                ok = false
                if !common.keepGoing { break }
            }
        }
        throw ExitCode(ok ? 0 : 1)
    }
}

/// `kensho replay LOG`
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Re-run a saved session and check every input and result.")

    @Argument(help: "The session journal to replay.")
    var log: String

    @Option(name: .long, help: "Find the session's inputs under this directory.")
    var data: String?

    func run() throws {
        FileSink.standardError.write("error: 'replay' is not implemented in this version of kensho\n")
        throw ExitCode(1)
    }
}

/// `kensho verify LOG`
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Check a session journal's hash chain and print its head hash.")

    @Argument(help: "The session journal to verify.")
    var log: String

    func run() throws {
        FileSink.standardError.write("error: 'verify' is not implemented in this version of kensho\n")
        throw ExitCode(1)
    }
}

/// Reads a script file as UTF-8 text.
enum ScriptFile {
    static func read(_ path: String) -> String? {
        guard let file = try? FileBytes(path: path) else { return nil }
        guard UTF8Validation.firstInvalidOffset(in: file.buffer) == nil else { return nil }
        return String(decoding: file.buffer, as: UTF8.self)
    }
}
