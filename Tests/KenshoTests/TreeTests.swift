import Foundation
import Testing
@testable import Kensho

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Directory trees as manifests (`load DIR`), and `diff A B` between two of them,
/// checked on trees built in the test and on the example case's web trees.
@Suite("Trees")
struct TreeTests {
    // MARK: - Manifests

    @Test func manifestRowsAreRegularFilesSortedByPathBytes() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("b.txt", "abc"), ("a.txt", "hello"), ("a/z.txt", "hello\n"), ("a/b/c.txt", "x"),
                               ("empty", "")])
        try FileManager.default.createDirectory(atPath: harness.path("t/nothing/here"), withIntermediateDirectories: true)
        #expect(harness.run("load $DIR/t\nt | select path, size, sha256, _line, _path_hex"), "\(harness.errors)")
        #expect(harness.output == """
        path,size,sha256,_line,_path_hex
        a.txt,5,2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824,1,612e747874
        a/b/c.txt,1,2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881,2,612f622f632e747874
        a/z.txt,6,5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03,3,612f7a2e747874
        b.txt,3,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,4,622e747874
        empty,0,e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,5,656d707479

        """)
        // The digest is the one the shell recipe in TreeManifest's documentation prints.
        #expect(harness.run("load $DIR/t"))
        #expect(harness.errors == """
        t: 5 files, 15 bytes from $DIR/t
          dir manifest (path, size, sha256, modified): 5 files in 5 directories; names utf-8
          sha256 bc1326cfac1b8e9968427cc08299a560bbba11606664a9994217ed23c8af4015 (of the manifest)

        """)
        expectCSV(harness, "t | select _source | limit 1",
                  "_source\nbc1326cfac1b8e9968427cc08299a560bbba11606664a9994217ed23c8af4015\n")
        expectCSV(harness, "datasets | select name, rows, format, encoding",
                  "name,rows,format,encoding\nt,5,dir,utf-8\n")
    }

    @Test func formatDirIsTheSameAsADirectoryPath() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("a", "1"), ("b/c", "2")])
        #expect(harness.run("load $DIR/t as x with format=dir\nload $DIR/t/ as y"), "\(harness.errors)")
        expectCSV(harness, "x | join y on _path_hex | select path, y.path, sha256 = y.sha256 as same",
                  "path,y.path,same\na,a,true\nb/c,b/c,true\n")
    }

    @Test(arguments: [("t", "t"), ("t/", "t"), ("t/.", "t"), ("t/d/..", "t"), ("web.v2", "web_v2")])
    func datasetsAreNamedAfterTheDirectory(_ path: String, _ name: String) throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("d/a", "a")])
        try harness.tree("web.v2", [("a", "a")])
        expectCSV(harness, "load $DIR/\(path)\ndatasets | select name", "name\n\(name)\n")
    }

    @Test func modifiedIsISO8601UTC() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("old", "1"), ("new", "2")])
        try harness.setModified("t/old", 1_254_268_800)  // 2009-09-30 00:00:00 UTC
        try harness.setModified("t/new", 1_276_605_296)  // 2010-06-15 12:34:56 UTC
        expectCSV(harness, "load $DIR/t\nt | select path, modified",
                  "path,modified\nnew,2010-06-15T12:34:56Z\nold,2009-09-30T00:00:00Z\n")
    }

    @Test func filesLargerThanOneChunkHashAsAWhole() throws {
        let harness = try SessionHarness()
        var big = [UInt8](repeating: 0, count: 5 * FileHasher.chunkSize / 2 + 17)
        for i in big.indices { big[i] = UInt8(truncatingIfNeeded: (i &* 2_654_435_761) >> 13) }
        try harness.file("t/big.bin", bytes: big)
        var expected = "path,size,sha256\nbig.bin,\(big.count),\(SHA256Digest.hex(of: big))\n"
        // Many small files, so both workers take part; each row must get its own file's hash.
        for n in 0..<200 {
            let name = "many/\(String(format: "%03d", n))"
            try harness.file("t/\(name)", "file \(n)")
            expected += "\(name),\("file \(n)".utf8.count),\(SHA256Digest.hex(of: "file \(n)"))\n"
        }
        expectCSV(harness, "load $DIR/t\nt | select path, size, sha256", expected)
    }

    @Test func emptyDirectory() throws {
        let harness = try SessionHarness()
        try harness.tree("empty", [])
        #expect(harness.run("load $DIR/empty"))
        #expect(harness.errors == """
        empty: 0 files, 0 bytes from $DIR/empty
          dir manifest (path, size, sha256, modified): 0 files in 1 directory; names utf-8
          sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 (of the manifest)

        """)
        expectCSV(harness, "empty | count", "n\n0\n")
        expectCSV(harness, "diff empty empty", "class,path,old_path,sha256,old_sha256,size\n")
    }

    @Test func shiftJISNamesShowDecodedButKeepTheirBytes() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("テスト.txt", "utf-8 name")])
        let cp932: [UInt8] = [0x83, 0x65, 0x83, 0x58, 0x83, 0x67]  // テスト in CP932
        try harness.file(in: "t", rawName: cp932 + Array(".txt".utf8), "cp932 name")
        try harness.file(in: "t", rawName: [0x66, 0xFF, 0x67], "not decodable")
        #expect(harness.run("load $DIR/t\nt | select path, _path_hex"), "\(harness.errors)")
        #expect(harness.output == """
        path,_path_hex
        f%FFg,66ff67
        テスト.txt,8365835883672e747874
        テスト.txt,e38386e382b9e383882e747874

        """)
        #expect(harness.errors.contains(
            "3 files in 1 directory; names utf-8, 1 path decoded from cp932, 1 path with undecodable bytes shown as %XX"))
    }

    @Test func aRenameBetweenEncodingsIsAMoveByBytes() throws {
        let harness = try SessionHarness()
        try harness.tree("before", [])
        try harness.file(in: "before", rawName: [0x83, 0x65, 0x83, 0x58, 0x83, 0x67], "same content")
        try harness.tree("after", [("テスト", "same content")])
        expectCSV(harness, "load $DIR/before\nload $DIR/after\ndiff before after | select class, path, old_path, _old_path_hex",
                  "class,path,old_path,_old_path_hex\nmoved,テスト,テスト,836583588367\n")
    }

    @Test func symbolicLinksAreNotFollowedEvenInALoop() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("a.txt", "a"), ("d/b.txt", "b")])
        try harness.symlink("t/d/up", to: "..")
        try harness.symlink("t/d/self", to: "../d")
        try harness.symlink("t/link.txt", to: "a.txt")
        try harness.symlink("t/outside", to: "/")
        #expect(harness.run("load $DIR/t"), "\(harness.errors)")
        #expect(harness.errors.contains("2 files in 2 directories; names utf-8; 4 symbolic links not followed\n"))
        #expect(harness.errors.contains("  note: 4 paths not listed (symbolic links, special files); see: rejects t\n"))
        expectCSV(harness, "t | select path", "path\na.txt\nd/b.txt\n")
        expectCSV(harness, "rejects t", """
        dataset,line,path,severity,reason
        t,,d/self,note,"symbolic link to '../d', not followed"
        t,,d/up,note,"symbolic link to '..', not followed"
        t,,link.txt,note,"symbolic link to 'a.txt', not followed"
        t,,outside,note,"symbolic link to '/', not followed"

        """)
    }

    @Test func fifosAreSkippedWithoutBeingOpened() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("a", "a")])
        try harness.fifo("t/pipe")
        #expect(harness.run("load $DIR/t"), "\(harness.errors)")
        #expect(harness.errors.contains("1 file in 1 directory; names utf-8; 1 special file skipped\n"))
        expectCSV(harness, "rejects t | select path, reason", "path,reason\npipe,\"fifo (named pipe), skipped\"\n")
    }

    /// As root, `chmod 000` does not stop reading, so there is nothing to observe.
    @Test(.enabled(if: geteuid() != 0, "runs as root, where chmod 000 does not make a file unreadable"))
    func unreadableFilesAreListedWithoutHashAndReported() throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("a", "a"), ("secret.csv", "x"), ("locked/inner", "y")])
        chmod(harness.path("t/secret.csv"), 0)
        chmod(harness.path("t/locked"), 0)
        defer { chmod(harness.path("t/locked"), 0o755) }
        #expect(harness.run("load $DIR/t"), "\(harness.errors)")
        #expect(harness.errors.contains("  warning: 'locked': cannot read this directory: permission denied; files under it are not listed\n"))
        #expect(harness.errors.contains("  warning: 'secret.csv': cannot read: permission denied; listed without sha256\n"))
        expectCSV(harness, "t | select path, size, sha256 is null as unknown", "path,size,unknown\na,1,false\nsecret.csv,1,true\n")
        expectCSV(harness, "rejects t | select line, path, severity", "line,path,severity\n,locked,warning\n2,secret.csv,warning\n")
        #expect(!harness.run("diff t t"))
        #expect(harness.errors.contains("error: 't' has 1 file whose content could not be read (first 'secret.csv'), so they cannot be classified"))
    }

    @Test(arguments: [
        ("load $DIR/nope with format=dir", "$DIR/nope: error: cannot open '$DIR/nope': no such file\n"),
        ("load $DIR/file.txt with format=dir", "$DIR/file.txt: error: '$DIR/file.txt' is not a directory\nnote: format=dir loads a directory tree; to load a file, leave it out\n"),
        ("load $DIR/t with format=csv", "$DIR/t: error: '$DIR/t' is a directory\nnote: to load a directory tree as a manifest, use: load $DIR/t with format=dir\n"),
    ])
    func loadErrorsNameThePath(_ statement: String, _ diagnostic: String) throws {
        let harness = try SessionHarness()
        try harness.tree("t", [("a", "a")])
        try harness.file("file.txt", "a\n")
        expectDiagnostic(harness, statement, diagnostic)
    }

    // MARK: - diff

    /// A tree pair (path → content, before and after) and the rows `diff` must give,
    /// as `class path old_path` lines.
    struct DiffCase: Sendable, CustomTestStringConvertible {
        var name: String
        var before: [String: String]
        var after: [String: String]
        var expected: [String]

        init(_ name: String, _ before: [String: String], _ after: [String: String], _ expected: [String]) {
            self.name = name
            self.before = before
            self.after = after
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let diffCases: [DiffCase] = [
        DiffCase("unchanged", ["a": "x"], ["a": "x"], ["same a a"]),
        DiffCase("edited in place", ["a": "x"], ["a": "y"], ["modified a a"]),
        DiffCase("renamed", ["a": "x"], ["b": "x"], ["moved b a"]),
        DiffCase("deleted while an identical copy remains (hashdeep #64)", ["a": "x", "b": "x"], ["b": "x"],
                 ["deleted a a", "same b b"]),
        DiffCase("copied", ["a": "x"], ["a": "x", "b": "x"], ["same a a", "copied b a"]),
        DiffCase("one file became two", ["a": "x"], ["b": "x", "c": "x"], ["deleted a a", "copied b a", "copied c a"]),
        DiffCase("moved while another copy existed before", ["a": "x", "b": "x"], ["b": "x", "c": "x"],
                 ["deleted a a", "same b b", "copied c a"]),
        DiffCase("moved while another copy was made", ["b": "x"], ["a": "x", "c": "x"],
                 ["copied a b", "deleted b b", "copied c b"]),
        DiffCase("content moved onto an existing path", ["a": "x", "b": "y"], ["b": "x"], ["deleted a a", "modified b b"]),
        DiffCase("content left a path that still exists", ["a": "x"], ["a": "y", "b": "x"], ["modified a a", "copied b a"]),
        DiffCase("swapped", ["a": "x", "b": "y"], ["a": "y", "b": "x"], ["modified a a", "modified b b"]),
        DiffCase("new content", ["a": "x"], ["a": "x", "n": "z"], ["same a a", "new n "]),
        DiffCase("gone", ["a": "x", "g": "z"], ["a": "x"], ["same a a", "deleted g g"]),
        DiffCase("copied from the smallest of several paths", ["b": "x", "a/z": "x"], ["b": "x", "a/z": "x", "c": "x"],
                 ["same a/z a/z", "same b b", "copied c a/z"]),
    ]

    @Test(arguments: diffCases)
    func diffClasses(_ example: DiffCase) throws {
        let harness = try SessionHarness()
        try harness.tree("before", example.before.map { ($0.key, $0.value) })
        try harness.tree("after", example.after.map { ($0.key, $0.value) })
        let ok = harness.run("load $DIR/before\nload $DIR/after\nset format = tsv\ndiff before after | select class, path, old_path")
        #expect(ok, "\(harness.errors)")
        let rows = harness.output.split(separator: "\n").dropFirst().map { $0.replacingOccurrences(of: "\t", with: " ") }
        #expect(rows == example.expected)
    }

    @Test func diffColumnsAndProvenance() throws {
        let harness = try SessionHarness()
        try harness.tree("before", [("kept", "abc"), ("gone", "hello")])
        try harness.tree("after", [("kept", "abc"), ("fresh", "x")])
        #expect(harness.run("load $DIR/before as b\nload $DIR/after as a"))
        expectCSV(harness, "diff b a | select class, path, old_path, sha256, old_sha256, size, _dataset, _line", """
        class,path,old_path,sha256,old_sha256,size,_dataset,_line
        new,fresh,,2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881,,1,a,1
        deleted,gone,gone,,2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824,5,b,1
        same,kept,kept,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad,3,a,2

        """)
    }

    @Test func aPartOfATreeCanBeDiffed() throws {
        let harness = try SessionHarness()
        try harness.tree("before", [("news/a", "1"), ("news/b", "2"), ("other", "3")])
        try harness.tree("after", [("news/a", "1"), ("other", "4")])
        #expect(harness.run("load $DIR/before\nload $DIR/after\nnb = before | where path like 'news/%'\nna = after | where path like 'news/%'"))
        expectCSV(harness, "diff nb na | select class, path", "class,path\nsame,news/a\ndeleted,news/b\n")
    }

    @Test(arguments: [
        ("diff t m", "query:1:6: error: 't' is not a directory manifest; diff A B by FP compares tables, which needs a fingerprint\n1 | diff t m\n  |      ^\nnote: load a directory tree as a manifest with: load DIR (or load PATH with format=dir)\n"),
        ("diff m m by person", "query:1:13: error: unknown fingerprint 'person'\n1 | diff m m by person\n  |             ^^^^^^ define one: fingerprint person = name + birthdate + phone\n"),
        ("u = union m, m\ndiff m u", "u: 2 rows\nquery:2:8: error: 'u' lists the path 'a' 2 times; a manifest has one row per path\n2 | diff m u\n  |        ^\n"),
        ("s = m | select path, sha256\ndiff s m", "s: 1 row\nquery:2:6: error: 's' is not a directory manifest; diff A B by FP compares tables, which needs a fingerprint\n2 | diff s m\n  |      ^\nnote: a manifest derived with a pipeline must keep the columns path, size and sha256\n"),
    ])
    func diffErrors(_ statements: String, _ diagnostic: String) throws {
        let harness = try SessionHarness()
        try harness.file("t.csv", "path,sha256,size\na,x,1\n")
        try harness.tree("m", [("a", "a")])
        #expect(harness.run("load $DIR/t.csv\nload $DIR/m"))
        expectDiagnostic(harness, statements, diagnostic)
    }

    // MARK: - The example case

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `diff` of the example web trees gives exactly the classes TRUTH.json expects.
    @Test func exampleWebTreesMatchTheTruth() throws {
        let case_ = TreeTests.repository.appendingPathComponent("examples/case")
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: case_.appendingPathComponent("TRUTH.json")))
        let web = try #require((truth as? [String: Any])?["web"] as? [String: Any])
        let entries = try #require(web["diff"] as? [[String: Any]])
        var expected: [[String]] = []
        for entry in entries {
            let change = try #require(entry["class"] as? String)
            let before = entry["before"] as? String
            let after = entry["after"] as? String
            let sha256 = try #require(entry["sha256"] as? String)
            let oldPath: String
            switch change {
            case "copied":
                let candidates = try #require(entry["old_path_candidates"] as? [String])
                oldPath = try #require(candidates.min { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            case "new": oldPath = ""
            default: oldPath = try #require(before)
            }
            let path = try #require(after ?? before)
            expected.append([change, path, oldPath, change == "deleted" ? "" : sha256, change == "new" ? "" : (change == "modified" ? "*" : sha256)])
        }
        expected.sort { $0[1].utf8.lexicographicallyPrecedes($1[1].utf8) }

        let harness = try SessionHarness()
        let web_ = case_.appendingPathComponent("web").path
        #expect(harness.run("load \"\(web_)/before\"\nload \"\(web_)/after\"\nset format = tsv\ndiff before after | select class, path, old_path, sha256, old_sha256"),
                "\(harness.errors)")
        let rows = harness.output.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
            #expect(Array(row[0..<4]) == Array(want[0..<4]))
            if want[4] == "*" { #expect(row[4] != row[3] && row[4].count == 64) } else { #expect(row[4] == want[4]) }
        }
        var counts: [String: Int] = [:]
        for row in rows { counts[row[0], default: 0] += 1 }
        #expect(counts == (web["counts"] as? [String: Int]))
        #expect(harness.run("before | count; after | count"))
        #expect(harness.output == "n\n\(web["files_before"] as? Int ?? -1)\nn\n\(web["files_after"] as? Int ?? -1)\n")
    }
}
