import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program on a pseudo-terminal, the way a person at a terminal runs it: keys
/// are written to the terminal's master side and the screen output read back, with
/// escape sequences stripped for assertions.
final class PseudoTerminal {
    private let master: Int32
    private let pid: pid_t
    private(set) var transcript = ""
    /// Something that must live as long as the terminal (its working directory).
    var keepAlive: AnyObject?

    init(executable: String, arguments: [String] = [], directory: String, environment: [String: String]) throws {
        // posix_openpt and friends are not exported by the Glibc module; this is what
        // they do on Linux: open the multiplexer, unlock the pair, read its number.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, PseudoTerminal.setLock, &unlock) == 0,
              ioctl(master, PseudoTerminal.getNumber, &number) == 0 else {
            throw PseudoTerminalError.openFailed
        }
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: 40, ws_col: 160, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        posix_spawn_file_actions_addclose(&actions, master)
        // Started through the shell to set the working directory (posix_spawn's chdir
        // action is a GNU extension Swift cannot see).
        let command = "cd '\(directory)' && exec '\(executable)' " + arguments.map { "'\($0)'" }.joined(separator: " ")
        // setsid --ctty makes the terminal the controlling one, so Ctrl-C typed on it
        // raises SIGINT in kensho as it does at a real terminal.
        let shellArguments: [String] = ["/usr/bin/setsid", "--ctty", "/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = shellArguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        // A terminal's child must start with no signal blocked and Ctrl-C's default action.
        let status = withShellSpawnAttributes(defaults: [SIGINT]) { attributes in
            posix_spawn(&child, "/usr/bin/setsid", &actions, attributes, argv, envp)
        }
        guard status == 0 else { throw PseudoTerminalError.spawnFailed(status) }
        pid = child
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
    }

    /// Linux ioctl numbers (`_IOW('T', 0x31, int)`, `_IOR('T', 0x30, unsigned)`), which
    /// Swift cannot import from their macros.
    static let setLock: UInt = 0x4004_5431
    static let getNumber: UInt = 0x8004_5430

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(master)
    }

    /// Types text (keys as bytes: "\r" is Enter, "\t" Tab, "\u{1B}[A" the up arrow).
    func type(_ keys: String) {
        let bytes = Array(keys.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if n > 0 { written += n } else { usleep(1000) }
        }
    }

    /// Waits until the visible text (escapes stripped) contains `text` at least
    /// `occurrences` times.
    @discardableResult
    func waitFor(_ text: String, occurrences: Int = 1, timeout: Double = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            drain()
            let visible = PseudoTerminal.visible(transcript)
            if visible.components(separatedBy: text).count - 1 >= occurrences {
                // libedit switches the terminal mode (flushing typed-ahead input) just after
                // it prints the prompt; give it a moment, as a person's reaction time would.
                usleep(150_000)
                return true
            }
            usleep(20_000)
        }
        return false
    }

    /// The screen text so far with escape sequences removed.
    var screen: String {
        drain()
        return PseudoTerminal.visible(transcript)
    }

    /// Waits for the process to exit; returns its status.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            drain()
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return (status >> 8) & 0xFF }
            usleep(20_000)
        }
        return nil
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { return }
            transcript += String(decoding: buffer[0..<n], as: UTF8.self)
        }
    }

    /// Strips CSI/OSC escape sequences and carriage returns.
    static func visible(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\u{1B}" {
                guard let next = scalars.next() else { break }
                if next == "[" {
                    while let c = scalars.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
                } else if next == "]" {
                    while let c = scalars.next(), c != "\u{07}" {}
                }
                continue
            }
            if scalar == "\r" || scalar == "\u{07}" || scalar == "\u{08}" { continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

enum PseudoTerminalError: Error {
    case openFailed
    case spawnFailed(Int32)
}
