import ArgumentParser
import Crypto
import Foundation
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
        subcommands: [RunCommand.self, ReplayCommand.self, VerifyCommand.self, SignCommand.self, KeygenCommand.self]
    )

    @Option(name: .customShort("c"), help: "Run these statements and exit.")
    var command: String?

    @OptionGroup var common: CommonOptions

    public init() {}

    public mutating func run() throws {
        let runner = try ShellRunner(options: common)
        let ok: Bool
        if let command {
            ok = runner.runSource(SourceText(name: "-c", text: command))
        } else if isatty(STDIN_FILENO) != 0 {
            ok = runner.runInteractive()
        } else {
            ok = runner.runStandardInput()
        }
        throw ExitCode(runner.finish(ok))
    }

    /// Runs with the process's own arguments. They arrive as bytes, and Swift's
    /// `CommandLine.arguments` repairs bytes that are not UTF-8 to U+FFFD, which would
    /// change a `-c` statement or a path silently; such an argument is a usage error.
    public static func main() -> Int32 {
        for index in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)).bindMemory(to: UInt8.self)
            guard let bad = UTF8Validation.firstInvalidOffset(in: bytes) else { continue }
            FileSink.standardError.write("error: argument \(index) is not valid UTF-8 (\(UTF8Validation.hex(bytes, at: bad))"
                                         + " at byte \(bad))\nnote: kensho reads statements and paths as UTF-8; load a file"
                                         + " named in another encoding from a copy with a UTF-8 name (convmv -f cp932 -t utf-8)\n")
            return 2
        }
        return main(arguments: Array(CommandLine.arguments.dropFirst()))
    }

    /// Parses `arguments`, runs, and returns the exit status (DESIGN §7: 0 ok, 1 a
    /// statement failed, 2 usage, 3 divergence).
    public static func main(arguments: [String]) -> Int32 {
        HeapTuning.apply()
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
        var scripts: [(String, String)] = []
        for file in files {
            do { scripts.append((file, try ScriptFile.read(file))) } catch {
                FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
                throw ExitCode(1)
            }
        }
        let runner = try ShellRunner(options: common)
        var ok = true
        for (file, text) in scripts {
            if !runner.runSource(SourceText(name: file, text: text)) {
                ok = false
                if !common.keepGoing { break }
            }
        }
        throw ExitCode(runner.finish(ok))
    }
}

/// `kensho replay LOG`
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-run a saved session and check every input and result.",
        discussion: "Exit status: 0 when every input and result matches, 3 on any divergence or a broken chain.")

    @Argument(help: "The session journal to replay.")
    var log: String

    @Option(name: .long, help: "Find the session's inputs under this directory (by path, file name, or content hash).")
    var data: String?

    @Flag(name: .customLong("allow-writes"), help: "Let exports write where the journal says (default: a scratch folder) and let it attach warehouses (default: refused).")
    var allowWrites = false

    func run() throws {
        let text: String
        do { text = try ScriptFile.read(log) } catch {
            // A journal that is not even UTF-8 was damaged or is not a journal.
            FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
            throw ExitCode(error.message.hasSuffix("is not valid UTF-8") ? 3 : 2)
        }
        let scratch = allowWrites ? "" : ScratchDirectory.make()
        let replayer = Replayer(options: .init(dataDirectory: data, allowWrites: allowWrites, scratchDirectory: scratch))
        let summary = replayer.replay(text, name: log, report: FileSink.standardOutput)
        if !allowWrites { FileSink.standardError.write("exports written during replay went to \(scratch)\n") }
        throw ExitCode(summary.isClean ? 0 : 3)
    }
}

/// `kensho verify LOG`
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a session journal's hash chain and print its head hash.",
        discussion: "Runs nothing. Exit status: 0 when the chain is intact, 3 when it is broken.")

    @Argument(help: "The session journal to verify.")
    var log: String

    @Flag(name: .long, help: "Print only the head hash (for a case file).")
    var head = false

    @Option(name: .long, help: "Also check this signature file (made by 'kensho sign') against the journal's head.")
    var signature: String?

    @Option(name: .customLong("public-key"), help: "The signer's public key file; without it, the key in the signature file.")
    var publicKey: String?

    func run() throws {
        let bytes: [UInt8]
        do { bytes = try FileBytes(path: log).bytes } catch {
            FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
            throw ExitCode(2)
        }
        let report = JournalVerifier.verify(bytes: bytes)
        if let broken = report.broken {
            FileSink.standardError.write("\(log):\(broken.line): error: \(broken.message)\n")
            FileSink.standardOutput.write("broken: \(report.entries) entries verified before line \(broken.line)\n")
            throw ExitCode(3)
        }
        if let signature {
            try checkSignature(signature, report: report)
        }
        if head {
            FileSink.standardOutput.write(report.head + "\n")
        } else {
            FileSink.standardOutput.write("intact: \(report.entries) entries\nhead \(report.head)\n")
            if let line = report.incompleteTail {
                FileSink.standardError.write("\(log):\(line): note: the last statement has no annotation (the session stopped while it ran); it is not covered by the chain\n")
            }
            if let zeros = report.zeroFill {
                FileSink.standardError.write("\(log):\(zeros.line): note: \(JournalDocument.zeroFillNote(zeros.bytes))\n")
            }
        }
    }
}

extension VerifyCommand {
    func checkSignature(_ path: String, report: JournalVerifier.Report) throws {
        let signatureText: String
        do { signatureText = try ScriptFile.read(path) } catch {
            FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
            throw ExitCode(2)
        }
        guard let signed = HeadSignature.parse(signatureText) else {
            FileSink.standardError.write("\(path): error: not a kensho journal signature\n")
            throw ExitCode(2)
        }
        var expectedKey: Data?
        if let publicKey {
            guard let text = try? ScriptFile.read(publicKey), let key = SigningKeyFile.readPublic(text) else {
                FileSink.standardError.write("\(publicKey): error: not a kensho public key\n")
                throw ExitCode(2)
            }
            expectedKey = key
        }
        guard signed.isValid(publicKey: expectedKey) else {
            FileSink.standardError.write("\(path): error: the signature is not valid for \(publicKey == nil ? "its public key" : "'\(publicKey!)'")\n")
            throw ExitCode(3)
        }
        guard signed.head == report.head, signed.entries == report.entries else {
            FileSink.standardError.write("\(path): error: the signature is for head \(signed.head) (\(signed.entries) entries), the journal's head is \(report.head) (\(report.entries) entries)\n")
            throw ExitCode(3)
        }
        FileSink.standardError.write("signature valid: the journal's head \(report.head) was signed by \(signed.publicKey.base64EncodedString())\n")
    }
}

/// `kensho sign LOG --key KEY`
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a journal's head hash with an Ed25519 key (writes LOG.sig).",
        discussion: "Verify with: kensho verify LOG --signature LOG.sig [--public-key KEY.pub]. Make a key with: kensho keygen KEY")

    @Argument(help: "The session journal to sign (its chain must be intact).")
    var log: String

    @Option(name: .long, help: "The private key file made by 'kensho keygen'.")
    var key: String

    @Option(name: .long, help: "Where to write the signature (default: LOG.sig).")
    var output: String?

    func run() throws {
        let report: JournalVerifier.Report
        let keyText: String
        do {
            report = JournalVerifier.verify(bytes: try FileBytes(path: log).bytes)
            keyText = try ScriptFile.read(key)
        } catch {
            FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
            throw ExitCode(2)
        }
        guard report.isIntact else {
            FileSink.standardError.write("\(log): error: the chain is broken (\(report.broken!.message)); not signing\n")
            throw ExitCode(3)
        }
        guard let privateKey = SigningKeyFile.readPrivate(keyText) else {
            FileSink.standardError.write("\(key): error: not a kensho private key\n")
            throw ExitCode(2)
        }
        let signature = try HeadSignature.sign(head: report.head, entries: report.entries, with: privateKey)
        let target = output ?? log + ".sig"
        do { try FileOutput.writeAtomically(Array(signature.text.utf8), to: target) } catch {
            FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
            throw ExitCode(1)
        }
        FileSink.standardOutput.write("signed \(report.entries) entries, head \(report.head)\nsignature \(target)\n")
    }
}

/// `kensho keygen KEY`
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make an Ed25519 key pair for signing journals (KEY, owner-only, and KEY.pub).")

    @Argument(help: "Where to write the private key; the public key goes to KEY.pub.")
    var key: String

    func run() throws {
        if FileManager.default.fileExists(atPath: key) {
            FileSink.standardError.write("error: '\(key)' exists; a key is never overwritten\n")
            throw ExitCode(1)
        }
        let privateKey = Curve25519.Signing.PrivateKey()
        do {
            try FileOutput.writeAtomically(Array(SigningKeyFile.privateText(privateKey).utf8), to: key)
            try FileOutput.writeAtomically(Array(SigningKeyFile.publicText(privateKey.publicKey).utf8), to: key + ".pub")
        } catch {
            FileSink.standardError.write(DiagnosticFormatter().format(error, in: nil))
            throw ExitCode(1)
        }
        FileSink.standardOutput.write("private key \(key) (keep it secret)\npublic key \(key).pub\n")
    }
}

/// Reads a script or journal file as UTF-8 text.
enum ScriptFile {
    static func read(_ path: String) throws(Diagnostic) -> String {
        let file = try FileBytes(path: path)
        let bytes = file.bytes
        if let bad = bytes.withUnsafeBufferPointer({ UTF8Validation.firstInvalidOffset(in: $0) }) {
            let (line, column) = bytes.withUnsafeBufferPointer { UTF8Validation.lineAndColumn(of: bad, in: $0) }
            throw Diagnostic("'\(path)' is not valid UTF-8", in: FileLocation(path: path, line: line, column: column, byteOffset: bad))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A fresh private folder under the system's temporary directory.
enum ScratchDirectory {
    static func make() -> String {
        let base = String(cString: getenv("TMPDIR") ?? strdup("/tmp"))
        var template = Array("\(base)/kensho-replay-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { return base }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
