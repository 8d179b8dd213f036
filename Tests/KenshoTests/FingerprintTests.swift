import Foundation
import Testing
@testable import Kensho

/// Fingerprints on the example case against its ground truth, and their properties.
@Suite("Fingerprints")
struct FingerprintTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func truth() throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("examples/case/TRUTH.json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// A session with the seven exports loaded and the four reference recipes.
    static func exampleCase() throws -> SessionHarness {
        let harness = try SessionHarness()
        let dir = root.appendingPathComponent("examples/case").path
        #expect(harness.run("""
        load "\(dir)/*.csv"
        load \(dir)/midorigase.tsv
        fingerprint person = name + birthdate + phone
        fingerprint person_kana = kana + birthdate + phone
        fingerprint name_birth = name + birthdate
        fingerprint kana_birth = kana + birthdate
        """))
        return harness
    }

    /// (dataset, line) → fingerprint, from an `occurrences` result.
    static func occurrences(_ harness: SessionHarness, _ recipe: String) -> [String: String] {
        #expect(harness.run("occurrences \(recipe) | select fingerprint, _dataset, _line"))
        var result: [String: String] = [:]
        for line in harness.output.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",").map(String.init)
            result["\(cells[1]):\(cells[2])"] = cells[0]
        }
        return result
    }

    static func stem(_ file: String) -> String { String(file.split(separator: ".").first!) }

    @Test(arguments: ["person", "person_kana"])
    func everyPlantedCopyIsFoundAndNoDecoyMatches(_ recipe: String) throws {
        let harness = try FingerprintTests.exampleCase()
        let truth = try FingerprintTests.truth()
        let found = FingerprintTests.occurrences(harness, recipe)
        let expected = (truth["occurrences"] as! [String: [String: Int]])[recipe]!
        #expect(found.count == expected["rows"]!)
        #expect(Set(found.values).count == expected["fingerprints"]!)
        for planted in truth["planted"] as! [[String: Any]] {
            let receiving = FingerprintTests.stem(planted["file"] as! String)
            let origin = FingerprintTests.stem(planted["origin_file"] as! String)
            for copy in planted["copies"] as! [[Any]] {
                let copyLine = copy[0] as! Int, originLine = copy[1] as! Int
                let a = found["\(receiving):\(copyLine)"], b = found["\(origin):\(originLine)"]
                #expect(a != nil && a == b, "\(recipe): \(receiving):\(copyLine) should match \(origin):\(originLine)")
            }
        }
        for decoy in truth["decoys"] as! [[String: Any]] {
            guard (decoy["must_not_match"] as! [String]).contains(recipe) else { continue }
            let a = decoy["a"] as! [String: Any], b = decoy["b"] as! [String: Any]
            let keyA = found["\(FingerprintTests.stem(a["file"] as! String)):\(a["line"] as! Int)"]
            let keyB = found["\(FingerprintTests.stem(b["file"] as! String)):\(b["line"] as! Int)"]
            #expect(keyB == nil || keyA != keyB, "\(recipe): decoy \(decoy["kind"]!) matched")
        }
    }

    @Test func theMatrixNamesTheTrueOrigins() throws {
        let harness = try FingerprintTests.exampleCase()
        let truth = try FingerprintTests.truth()
        #expect(harness.run("matrix person | select a, b, shared, likely_origin"))
        var found: [Set<String>: (Int, String)] = [:]
        for line in harness.output.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",").map(String.init)
            found[[cells[0], cells[1]]] = (Int(cells[2])!, cells[3])
        }
        let pairs = (truth["matrix"] as! [String: [[String: Any]]])["person"]!
        #expect(found.count == pairs.count)
        for pair in pairs {
            let key: Set<String> = [pair["a"] as! String, pair["b"] as! String]
            #expect(found[key]?.0 == pair["shared"] as? Int, "\(key)")
        }
        for expectation in truth["likely_origin"] as! [[String: Any]] {
            let key: Set<String> = [expectation["a"] as! String, expectation["b"] as! String]
            #expect(found[key]?.1 == expectation["origin"] as? String, "\(key): \(String(describing: found[key]))")
        }
    }

    /// One recipe over datasets whose headers and column orders differ: the fingerprint
    /// depends on what the fields mean, not where they are or what they are called.
    @Test func stableUnderReorderingAndRenaming() throws {
        let harness = try SessionHarness()
        try harness.file("a.csv", "氏名,生年月日,電話番号\n山田 太郎,1975-04-03,090-1234-5678\n")
        try harness.file("b.csv", "tel,dob,full_name\n+81 90 1234 5678,昭和50年4月3日,山田　太郎\n")
        try harness.file("c.csv", "phone,x,birthdate\n09012345678,ヤマダ,S50.4.3\n")
        #expect(harness.run("load $DIR/a.csv; load $DIR/b.csv; load $DIR/c.csv\nrole c.x = name\nfingerprint p = name + birthdate + phone"))
        var prints: [String] = []
        for name in ["a", "b", "c"] {
            #expect(harness.run("\(name) | fingerprint p | select p"))
            prints.append(harness.output)
        }
        #expect(prints[0] == prints[1])
        #expect(prints[0] != prints[2], "a different name must give a different fingerprint")
        // Each field's meaning matters: change one and the fingerprint changes.
        try harness.file("d.csv", "氏名,生年月日,電話番号\n山田 太郎,1975-04-04,090-1234-5678\n")
        try harness.file("e.csv", "氏名,生年月日,電話番号\n山田 太郎,1975-04-03,090-1234-5679\n")
        #expect(harness.run("load $DIR/d.csv; load $DIR/e.csv"))
        for name in ["d", "e"] {
            #expect(harness.run("\(name) | fingerprint p | select p"))
            #expect(harness.output != prints[0])
        }
    }

    @Test func incompleteRowsGetNoFingerprintAndNeverMatch() throws {
        let harness = try SessionHarness()
        try harness.file("a.csv", "氏名,生年月日,電話番号\n山田 太郎,,090-1234-5678\n,1975-04-03,090\n佐藤 花子,平成32年1月1日,03-1234-5678\n鈴木 一郎,1980-01-01,03-1111-2222\n")
        #expect(harness.run("load $DIR/a.csv\nfingerprint p = name + birthdate + phone"))
        expectCSV(harness, "a | fingerprint p | select p is null as missing", "missing\ntrue\ntrue\ntrue\nfalse\n")
        expectCSV(harness, "a | join a on p | count", "n\n1\n")
        #expect(harness.run("describe a"))
        #expect(harness.errors.contains("fingerprint p: 1 rows fingerprinted, 3 without (a field empty or invalid)"))
    }

    @Test func joinOnAFingerprintAndNormalize() throws {
        let harness = try SessionHarness()
        try harness.file("a.csv", "氏名,生年月日\n山田 太郎,1975-04-03\n佐藤 花子,1980-02-01\n")
        try harness.file("b.csv", "name,dob\nﾔﾏﾀﾞ ﾀﾛｳ,S50.4.3\n山田　太郎,S50.4.3\n")
        #expect(harness.run("load $DIR/a.csv; load $DIR/b.csv\nfingerprint nb = name + birthdate"))
        expectCSV(harness, "a | join b on nb | select 氏名, _line", "氏名,_line\n山田 太郎,2\n")
        expectCSV(harness, "a | antijoin b on nb | select 氏名", "氏名\n佐藤 花子\n")
        expectCSV(harness, "b | select normalize(name, kana) as k, normalize(dob, date@1) as d",
                  "k,d\nやまだたろう,1975-04-03\n山田太郎,1975-04-03\n")
        expectDiagnostic(harness, "b | select normalize(name, nam)", """
        query:1:28: error: unknown keyer 'nam'
        1 | b | select normalize(name, nam)
          |                            ^^^ did you mean 'name'?

        """)
    }

    @Test func keyedFingerprintsAndTheKeyNeverAppears() throws {
        setenv("KENSHO_TEST_CASE_KEY", "correct horse battery staple", 1)
        let (harness, path) = try JournalTests.journaled("""
        load $DIR/p.csv
        fingerprint n = name
        p | fingerprint n | select n
        set key = env:KENSHO_TEST_CASE_KEY
        p | fingerprint n | select n
        """)
        let journal = try JournalTests.read(path)
        #expect(!journal.contains("correct horse"))
        #expect(journal.contains("setting=\"key = env:KENSHO_TEST_CASE_KEY (key:"))
        let fingerprints = journal.split(separator: "\n").filter { $0.hasPrefix("--= ") && $0.contains("digest=") }
        #expect(fingerprints.count == 2)
        expectDiagnostic(harness, "set key = env:KENSHO_NO_SUCH_VARIABLE", """
        query:1:11: error: the environment variable 'KENSHO_NO_SUCH_VARIABLE' holding the case key is not set
        1 | set key = env:KENSHO_NO_SUCH_VARIABLE
          |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^
        note: set it in the shell that starts kensho; the key is never typed into kensho

        """)
        expectDiagnostic(harness, "set key = hunter2", """
        query:1:11: error: the case key is read from the environment: set key = env:NAME
        1 | set key = *******
          |           ^^^^^^^ never type the key itself (what was typed is masked, and kept out of the journal and history)

        """)
        // Typed by mistake, in any spelling, the key reaches neither the journal nor `history`.
        #expect(!harness.run("SET KEY = 'correct horse battery staple'; p | count"))
        #expect(harness.run("history"))
        #expect(!harness.output.contains("correct horse") && !harness.output.contains("hunter2"))
        let after = try JournalTests.read(path)
        #expect(!after.contains("correct horse") && !after.contains("hunter2"))
        #expect(after.contains("SET KEY = " + String(repeating: "*", count: 30) + "\n--= "))
    }

    @Test(arguments: [
        ("set key = s3cret", "set key = ******"),
        ("set key=\"a b\"; p | count", "set key=*****; p | count"),
        ("p | count\n  Set  Key =  x1\n", "p | count\n  Set  Key =  **\n"),
        ("set key = env:CASE_KEY", "set key = env:CASE_KEY"),
        ("set key = env:", "set key = ****"),
        ("set keys = abc", "set keys = abc"),
        ("reset key = abc", "reset key = abc"),
        ("-- 鍵 set key = 秘密", "-- 鍵 set key = ******"),
    ])
    func aTypedKeyIsMaskedByteForByte(typed: String, recorded: String) {
        #expect(KeyRedaction.masked(typed) == recorded)
        #expect(KeyRedaction.masked(typed).utf8.count == typed.utf8.count)
    }

    /// Cached fingerprints are reused only for the same columns, recipe and key.
    @Test func cachedFingerprintsFollowRecipeKeyAndRoles() throws {
        setenv("KENSHO_CACHE_TEST_KEY", "k1", 1)
        let harness = try SessionHarness()
        try harness.file("a.csv", "氏名,生年月日,x\n山田 太郎,1975-04-03,佐藤 花子\n")
        #expect(harness.run("load $DIR/a.csv\nfingerprint p = name + birthdate"))
        #expect(harness.run("a | fingerprint p | select p"))
        let plain = harness.output
        #expect(harness.run("a | fingerprint p | select p"))
        #expect(harness.output == plain)
        #expect(harness.run("set key = env:KENSHO_CACHE_TEST_KEY\na | fingerprint p | select p"))
        let keyed = harness.output
        #expect(keyed != plain)
        #expect(harness.run("role a.x = name\na | fingerprint p | select p"))
        #expect(harness.output != keyed)
        #expect(harness.run("fingerprint p = name:text + birthdate\na | fingerprint p | select p"))
        #expect(harness.output != keyed)
    }

    @Test func unknownRolesAndRecipes() throws {
        let harness = try SessionHarness()
        try harness.file("a.csv", "氏名,x\n山田 太郎,1\n")
        #expect(harness.run("load $DIR/a.csv\nfingerprint p = name + phone"))
        expectDiagnostic(harness, "a | fingerprint p", """
        query:1:17: error: 'the input' has no column with role 'phone' for fingerprint 'p'
        1 | a | fingerprint p
          |                 ^ give one the role: role the input.COLUMN = phone  (see: roles the input)

        """)
        expectDiagnostic(harness, "occurrences q", """
        query:1:13: error: unknown fingerprint 'q'
        1 | occurrences q
          |             ^ define one: fingerprint q = name + birthdate + phone

        """)
    }
}

/// Keyed exchange (DESIGN §6): two libraries with the same case key intersect their
/// records by HMAC fingerprints, without either seeing the other's names.
@Suite("Fingerprint exchange")
struct FingerprintExchangeTests {
    @Test func twoLibrariesFindThePlantedOverlapWithoutNames() throws {
        setenv("KENSHO_EXCHANGE_KEY", "shared case key 2010", 1)
        setenv("KENSHO_OTHER_KEY", "another key", 1)
        let harness = try FingerprintTests.exampleCase()
        // Minato-kita's side: export keyed fingerprints only.
        #expect(harness.run("set key = env:KENSHO_EXCHANGE_KEY\nexport fingerprints of minatokita using person to $DIR/mk.csv"))
        let exported = try String(contentsOfFile: harness.path("mk.csv"), encoding: .utf8)
        #expect(exported.hasPrefix("fingerprint,recipe,header,key\n"))
        for personal in ["山本", "ヤマモト", "1986-11-09", "090-4335-0433", "湊北市"] {
            #expect(!exported.contains(personal))
        }
        // Shiohama's side: load the set and ask which of its own records are in it.
        expectCSV(harness, "load $DIR/mk.csv as from_minatokita with format=fingerprints\nshiohama | semijoin from_minatokita on person | count",
                  "n\n163\n")
        // A different key is refused, not silently zero matches.
        #expect(harness.run("set key = env:KENSHO_OTHER_KEY"))
        #expect(!harness.run("shiohama | semijoin from_minatokita on person | count"))
        #expect(harness.errors.contains("holds fingerprints keyed with key:"))
        #expect(harness.errors.contains("this session's key is key:"))
        // Other keyer versions are refused too.
        #expect(harness.run("set key = env:KENSHO_EXCHANGE_KEY\nfingerprint person2 = name + birthdate"))
        #expect(!harness.run("shiohama | semijoin from_minatokita on person2 | count"))
    }

    @Test func unkeyedExportIsRefused() throws {
        let harness = try FingerprintTests.exampleCase()
        expectDiagnostic(harness, "export fingerprints of minatokita using person to $DIR/x.csv", """
        query:1:41: error: exported fingerprints must be keyed: set a case key first
        1 | export fingerprints of minatokita using person to $DIR/x.csv
          |                                         ^^^^^^ set key = env:NAME (unkeyed fingerprints of names and birth dates can be reversed by guessing)

        """)
    }
}
