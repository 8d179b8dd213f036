import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kensho verify` and `kensho replay` as a user runs them, journals written by real
/// sessions, crash safety under `kill -9`, and the repository's own saved sessions.
@Suite("Evidence commands")
struct EvidenceCommandTests {
    static func repositoryRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func scratch() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.file("p.csv", "id,name,city\n1,Aoki,Tokyo\n2,Baba,Osaka\n3,Chiba,Tokyo\n")
        return scratch
    }

    @Test func sessionsAreJournaledByDefaultUnderSessions() throws {
        let scratch = try EvidenceCommandTests.scratch()
        let result = try KenshoBinary.run(["-c", "load p.csv; p | count"], in: scratch.url)
        #expect(result.status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/sessions")
        #expect(files.count == 1)
        #expect(files[0].hasSuffix(".kensho"))
        #expect(result.stderr.contains("journal sessions/\(files[0]): 2 entries, head "))
        let directory = try FileManager.default.attributesOfItem(atPath: scratch.path + "/sessions")
        #expect((directory[.posixPermissions] as? Int) == 0o700)
    }

    @Test func verifyAndReplayExitStatuses() throws {
        let scratch = try EvidenceCommandTests.scratch()
        _ = try KenshoBinary.run(["--journal", "s.kensho", "-c", "load p.csv; t = p | where city = 'Tokyo'; t | count"], in: scratch.url)
        let verify = try KenshoBinary.run(["verify", "s.kensho"], in: scratch.url)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("intact: 3 entries\nhead "))
        let head = try KenshoBinary.run(["verify", "--head", "s.kensho"], in: scratch.url)
        #expect(head.stdout.count == 65)
        #expect(verify.stdout.hasSuffix(head.stdout))
        let replay = try KenshoBinary.run(["replay", "s.kensho"], in: scratch.url)
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("replayed 3 statements: 3 matched, 0 diverged, 0 skipped"))

        // Change the evidence: replay diverges (3) and names the file.
        try scratch.file("p.csv", "id,name,city\n1,Aoki,Tokyo\n")
        let changed = try KenshoBinary.run(["replay", "s.kensho"], in: scratch.url)
        #expect(changed.status == 3)
        #expect(changed.stdout.contains("p.csv: sha256 was "))

        // Edit the log: verify fails (3) at the edited entry.
        var text = try String(contentsOfFile: scratch.path + "/s.kensho", encoding: .utf8)
        text = text.replacingOccurrences(of: "t | count", with: "t | limit 1")
        try text.write(toFile: scratch.path + "/s.kensho", atomically: true, encoding: .utf8)
        let broken = try KenshoBinary.run(["verify", "s.kensho"], in: scratch.url)
        #expect(broken.status == 3)
        #expect(broken.stderr.contains("s.kensho:12: error: entry 3 does not match its chain hash"))
        #expect(try KenshoBinary.run(["replay", "s.kensho"], in: scratch.url).status == 3)
        #expect(try KenshoBinary.run(["verify", "nowhere.kensho"], in: scratch.url).status == 2)
    }

    @Test func signAndVerifyTheHead() throws {
        let scratch = try EvidenceCommandTests.scratch()
        _ = try KenshoBinary.run(["--journal", "s.kensho", "-c", "load p.csv; p | count"], in: scratch.url)
        #expect(try KenshoBinary.run(["keygen", "examiner"], in: scratch.url).status == 0)
        #expect(try KenshoBinary.run(["keygen", "stranger"], in: scratch.url).status == 0)
        let key = try FileManager.default.attributesOfItem(atPath: scratch.path + "/examiner")
        #expect((key[.posixPermissions] as? Int) == 0o600)
        let signed = try KenshoBinary.run(["sign", "s.kensho", "--key", "examiner"], in: scratch.url)
        #expect(signed.status == 0, "\(signed.stderr)")
        let good = try KenshoBinary.run(["verify", "s.kensho", "--signature", "s.kensho.sig", "--public-key", "examiner.pub"],
                                        in: scratch.url)
        #expect(good.status == 0)
        #expect(good.stderr.contains("signature valid"))
        let wrongKey = try KenshoBinary.run(["verify", "s.kensho", "--signature", "s.kensho.sig", "--public-key", "stranger.pub"],
                                            in: scratch.url)
        #expect(wrongKey.status == 3)
        // Another journal (or this one grown by more statements) does not match the signature.
        _ = try KenshoBinary.run(["--journal", "t.kensho", "-c", "load p.csv; p | count; p | limit 1"], in: scratch.url)
        let other = try KenshoBinary.run(["verify", "t.kensho", "--signature", "s.kensho.sig"], in: scratch.url)
        #expect(other.status == 3)
        #expect(other.stderr.contains("the signature is for head"))
        #expect(try KenshoBinary.run(["keygen", "examiner"], in: scratch.url).status == 1)
    }

    @Test func anExistingJournalIsNeverOverwritten() throws {
        let scratch = try EvidenceCommandTests.scratch()
        #expect(try KenshoBinary.run(["--journal", "s.kensho", "-c", "load p.csv"], in: scratch.url).status == 0)
        let second = try KenshoBinary.run(["--journal", "s.kensho", "-c", "load p.csv"], in: scratch.url)
        #expect(second.status == 1)
        #expect(second.stderr.contains("journal 's.kensho' already exists"))
    }

    /// `kill -9` at random moments of a scripted session: the journal always verifies,
    /// losing at most the statement that was running.
    @Test func killNineNeverLeavesAnUnreadableJournal() throws {
        let scratch = try EvidenceCommandTests.scratch()
        var script = "load p.csv\n"
        for i in 0..<400 { script += "t\(i) = p | where city = 'Tokyo' | select name, \(i) as k\nt\(i) | count\n" }
        try scratch.file("long.kensho", script)
        var generator = SystemRandomNumberGenerator()
        var lengths: Set<Int> = []  // entries verified per trial
        for trial in 0..<50 {
            let journal = scratch.path + "/k\(trial).kensho"
            let process = Process()
            process.executableURL = KenshoBinary.url
            process.arguments = ["run", "long.kensho", "--journal", journal, "--format", "csv"]
            process.currentDirectoryURL = scratch.url
            process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...250_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            guard FileManager.default.fileExists(atPath: journal) else { continue }
            let verify = try KenshoBinary.run(["verify", journal], in: scratch.url)
            #expect(verify.status == 0, "trial \(trial): \(verify.stdout)\(verify.stderr)")
            let entries = verify.stdout.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? -1
            lengths.insert(entries)
        }
        // The kills landed at different moments, not all before or after the session.
        #expect(lengths.count > 5)
    }

    @Test func digestsDoNotDependOnTimeZoneOrLocale() throws {
        let scratch = try EvidenceCommandTests.scratch()
        let script = "load p.csv; p | count by city; p | sort name desc"
        _ = try KenshoBinary.run(["--journal", "a.kensho", "-c", script], in: scratch.url,
                                 environment: ["TZ": "Asia/Tokyo", "LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8"])
        _ = try KenshoBinary.run(["--journal", "b.kensho", "-c", script], in: scratch.url,
                                 environment: ["TZ": "UTC", "LANG": "C", "LC_ALL": "C"])
        func digests(_ name: String) throws -> [String] {
            let text = try String(contentsOfFile: scratch.path + "/" + name, encoding: .utf8)
            return text.split(separator: " ").filter { $0.hasPrefix("digest=") || $0.hasPrefix("sha256=") }.map(String.init)
        }
        #expect(try digests("a.kensho") == digests("b.kensho"))
        #expect(try digests("a.kensho").count == 3)
    }

    /// Every journal in the repository's sessions/ folder verifies and replays: a change
    /// that alters any recorded result fails here.
    @Test func repositorySessionsVerifyAndReplay() throws {
        let root = EvidenceCommandTests.repositoryRoot()
        let sessions = root.appendingPathComponent("sessions")
        let names = try FileManager.default.contentsOfDirectory(atPath: sessions.path).filter { $0.hasSuffix(".kensho") }.sorted()
        #expect(!names.isEmpty)
        for name in names {
            let path = "sessions/" + name
            let verify = try KenshoBinary.run(["verify", path], in: root)
            #expect(verify.status == 0, "\(name): \(verify.stderr)")
            let replay = try KenshoBinary.run(["replay", path], in: root)
            #expect(replay.status == 0, "\(name):\n\(replay.stdout)\(replay.stderr)")
        }
    }
}
