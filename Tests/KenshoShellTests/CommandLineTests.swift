import Foundation
import Testing

/// The built binary end to end: `run`, `-c`, piped stdin, formats and exit statuses
/// (DESIGN §7).
@Suite("Command line")
struct CommandLineTests {
    static func scratch() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.file("p.csv", "id,name,city\n1,Aoki,Tokyo\n2,Baba,Osaka\n3,Chiba,Tokyo\n")
        return scratch
    }

    @Test func dashCPrintsResultsOnStdoutAndStatusOnStderr() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal", "-c", "load p.csv; p | count by city", "--format", "csv"],
                                          in: scratch.url)
        #expect(result.status == 0)
        #expect(result.stdout == "city,n\nTokyo,2\nOsaka,1\n")
        #expect(result.stderr.hasPrefix("p: 3 rows, 3 columns from p.csv\n"))
    }

    @Test func severalResultsFollowEachOther() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal", "--format", "jsonl", "-c", "load p.csv\np | count\np | where city = 'Osaka' | select name"],
                                          in: scratch.url)
        #expect(result.status == 0)
        #expect(result.stdout == "{\"n\":3}\n{\"name\":\"Baba\"}\n")
    }

    @Test func jsonFormat() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal", "--format", "json", "-c", "load p.csv; p | select id, name | limit 2"],
                                          in: scratch.url)
        #expect(result.stdout == "[\n  {\"id\": \"1\", \"name\": \"Aoki\"},\n  {\"id\": \"2\", \"name\": \"Baba\"}\n]\n")
    }

    @Test func tableFormatIsTheDefault() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal", "-c", "load p.csv; p | count by city"], in: scratch.url)
        #expect(result.stdout == """
        ┌───────┬───┐
        │ city  │ n │
        ├───────┼───┤
        │ Tokyo │ 2 │
        │ Osaka │ 1 │
        └───────┴───┘
        2 rows

        """)
    }

    @Test func runScriptsInOrder() throws {
        let scratch = try CommandLineTests.scratch()
        try scratch.file("a.kensho", "load p.csv\ntokyo = p | where city = 'Tokyo'\n")
        try scratch.file("b.kensho", "tokyo\n  | select name\n  | sort name desc\n")
        let result = try KenshoBinary.run(["run", "a.kensho", "b.kensho", "--no-journal", "--format", "csv"], in: scratch.url)
        #expect(result.status == 0)
        #expect(result.stdout == "name\nChiba\nAoki\n")
        #expect(result.stderr.contains("tokyo: 2 rows\n"))
    }

    @Test func aFailedStatementExitsOneAndNamesItsPlace() throws {
        let scratch = try CommandLineTests.scratch()
        try scratch.file("bad.kensho", "load p.csv\np | where nme = 'x'\np | count\n")
        let result = try KenshoBinary.run(["run", "bad.kensho", "--no-journal", "--format", "csv"], in: scratch.url)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasSuffix("""
        bad.kensho:2:11: error: unknown column 'nme'
        2 | p | where nme = 'x'
          |           ^^^ did you mean 'name'?

        """))
        let going = try KenshoBinary.run(["run", "bad.kensho", "--no-journal", "--keep-going", "--format", "csv"], in: scratch.url)
        #expect(going.status == 1)
        #expect(going.stdout == "n\n3\n")
    }

    @Test func statementsFromPipedStdin() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal", "--format", "csv"],
                                          stdin: "load p.csv\np\n  | where city = 'Tokyo'\n\n  -- still the same statement\n  | count\n",
                                          in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "n\n2\n")
    }

    @Test func stdinErrorsNameTheirLine() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal"], stdin: "load p.csv\n\np | wher x\n", in: scratch.url)
        #expect(result.status == 1)
        #expect(result.stderr.contains("stdin:3:5: error: unknown operator 'wher'\n3 | p | wher x\n"))
    }

    @Test(arguments: [
        (["--format", "xml", "-c", "datasets"], "unknown format 'xml'"),
        (["run"], "Missing expected argument '<files> ...'"),
        (["--bogus"], "Unknown option '--bogus'"),
        (["--journal", "x", "--no-journal", "-c", "datasets"], "--journal and --no-journal cannot be used together"),
    ])
    func usageErrorsExitTwo(_ arguments: [String], _ message: String) throws {
        let result = try KenshoBinary.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try KenshoBinary.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("An investigation notebook for data-leak cases."))
        let version = try KenshoBinary.run(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }

    @Test func badInputKeepsTheShellRunning() throws {
        let scratch = try CommandLineTests.scratch()
        var binary = [UInt8](repeating: 0, count: 64)
        binary[0] = 0x7F
        try Data(binary).write(to: scratch.url.appendingPathComponent("blob.bin"))
        try scratch.file("broken.csv", "a,b\n1,\"open\n")
        let input = "load blob.bin\nload broken.csv\nload nowhere.csv\nload . with format=csv\nload p.csv\np | where id = 1\np | count\n"
        let result = try KenshoBinary.run(["--no-journal", "--keep-going", "--format", "csv"], stdin: input, in: scratch.url)
        #expect(result.status == 1)
        #expect(result.stdout == "n\n3\n")
        #expect(result.stderr.contains("blob.bin:1:2: error: this looks like binary data, not text: a NUL byte (byte offset 1)"))
        #expect(result.stderr.contains("broken.csv:2:3: error: unterminated quoted field"))
        #expect(result.stderr.contains("nowhere.csv: error: cannot open 'nowhere.csv': no such file"))
        #expect(result.stderr.contains(".: error: '.' is a directory"))
        #expect(result.stderr.contains("error: cannot compare text with an integer"))
    }

    @Test func exportWritesAFileOwnerOnly() throws {
        let scratch = try CommandLineTests.scratch()
        let result = try KenshoBinary.run(["--no-journal", "-c", "load p.csv; export p | where city = 'Tokyo' to out.csv"],
                                          in: scratch.url)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try String(contentsOf: scratch.url.appendingPathComponent("out.csv"), encoding: .utf8)
        // The rows carry their provenance: dataset, the input's SHA-256, and line.
        let inputHash = String(result.stderr.split(separator: "sha256 ")[1].prefix(64))
        #expect(written == "id,name,city,_dataset,_source,_line\n1,Aoki,Tokyo,p,\(inputHash),2\n3,Chiba,Tokyo,p,\(inputHash),4\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.url.appendingPathComponent("out.csv").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let refused = try KenshoBinary.run(["--no-journal", "-c", "load p.csv; export p to p.csv"], in: scratch.url)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing to overwrite 'p.csv': it is a loaded input"))
    }
}
