import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `kensho` with hostile inputs, bounded: a wall-clock timeout (the
/// process is killed and the result says so), resource limits applied with the shell's
/// `ulimit` before `exec`, arguments and standard input as raw bytes (they need not be
/// UTF-8), and the peak memory of the run.
///
/// The peak is the process's high-water mark (`VmHWM`), read from /proc every 10 ms
/// while it runs. `wait4`'s `ru_maxrss` would not do: `posix_spawn` starts the child
/// sharing the test runner's memory, and Linux keeps that high-water mark too.
///
/// Output goes to files rather than pipes, so a child that hangs or floods cannot
/// block the test.
enum BoundedRun {
    struct Limits {
        /// `ulimit -v`: the address space, in KiB.
        var addressSpaceKiB: Int?
        /// `ulimit -n`: open file descriptors.
        var openFiles: Int?
    }

    struct Result {
        /// The exit status, or nil when the process was killed by a signal.
        var status: Int32?
        var signal: Int32?
        var timedOut: Bool
        var stdout: String
        var stderr: String
        /// The most memory the process held at once, in bytes.
        var peakMemory: Int
        var seconds: Double

        /// How the run ended, for failure messages.
        var summary: String {
            let end = timedOut ? "timed out" : status.map { "exit \($0)" } ?? "signal \(signal ?? 0)"
            return "\(end) after \(String(format: "%.1f", seconds)) s\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
        }
    }

    static func run(_ arguments: [String], in directory: URL, stdin: [UInt8] = [], limits: Limits = Limits(),
                    timeout: Double = 45) throws -> Result {
        try run(raw: arguments.map { Array($0.utf8) }, in: directory, stdin: stdin, limits: limits, timeout: timeout)
    }

    static func run(raw arguments: [[UInt8]], in directory: URL, stdin: [UInt8] = [], limits: Limits = Limits(),
                    timeout: Double = 45) throws -> Result {
        let io = directory.appendingPathComponent(".run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: io, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: io) }
        try Data(stdin).write(to: io.appendingPathComponent("stdin"))

        var script = "cd \"$KENSHO_RUN_DIRECTORY\" || exit 97; "
        if let kib = limits.addressSpaceKiB { script += "ulimit -v \(kib) || exit 98; " }
        if let files = limits.openFiles { script += "ulimit -n \(files) || exit 98; " }
        script += "exec \"$0\" \"$@\""
        let argv: [[UInt8]] = [Array("/bin/sh".utf8), Array("-c".utf8), Array(script.utf8),
                               Array(KenshoBinary.url.path.utf8)] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment["KENSHO_RUN_DIRECTORY"] = directory.path

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, io.appendingPathComponent("stdin").path, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, io.appendingPathComponent("stdout").path, O_WRONLY | O_CREAT, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, io.appendingPathComponent("stderr").path, O_WRONLY | O_CREAT, 0o600)
        let cArguments = argv.map { bytes in
            (bytes + [0]).withUnsafeBytes { strdup($0.baseAddress!.assumingMemoryBound(to: CChar.self)) }
        } + [nil]
        defer { cArguments.forEach { free($0) } }
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cEnvironment.forEach { free($0) } }

        let start = Date()
        var child: pid_t = 0
        let spawned = withShellSpawnAttributes { attributes in
            posix_spawn(&child, "/bin/sh", &actions, attributes, cArguments, cEnvironment)
        }
        guard spawned == 0 else { throw POSIXError(.init(rawValue: spawned) ?? .EIO) }

        var status: Int32 = 0
        var timedOut = false
        var peak = 0
        while waitpid(child, &status, WNOHANG) == 0 {
            peak = max(peak, BoundedRun.highWaterMark(of: child))
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                kill(child, SIGKILL)
                _ = waitpid(child, &status, 0)
                break
            }
            usleep(10_000)
        }
        let read = { (name: String) in
            String(decoding: (try? Data(contentsOf: io.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
        }
        let signaled = status & 0x7F != 0
        return Result(status: signaled ? nil : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                      timedOut: timedOut, stdout: read("stdout"), stderr: read("stderr"),
                      peakMemory: peak, seconds: Date().timeIntervalSince(start))
    }

    /// `VmHWM` of a running process, in bytes (0 once it has exited).
    static func highWaterMark(of pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kib * 1024
    }
}
