import Foundation
import Testing
@testable import Kensho

/// SQLite files that are damaged, forged or encrypted. (`SQLiteLoaderTests` covers
/// random bytes, a text file, half a file and one garbage page; `TruncatedInputTests`
/// cuts at every page.)
///
/// Every case fails with the file, SQLite's message and what the header shows, adds no
/// dataset, and never crashes: SQLite reads the bytes kensho hashed from memory, with
/// `cell_size_check` on and the schema not trusted, once `PRAGMA quick_check` found
/// its b-trees whole. What no reader can tell: SQLite keeps no checksums, so a changed
/// byte inside a value reads as another value.
@Suite("Hostile input: corrupt and encrypted SQLite files", .timeLimit(.minutes(1)))
struct CorruptSQLiteTests {
    /// A database of two tables over a few dozen 1 KiB pages.
    static func database(in harness: SessionHarness) throws -> [UInt8] {
        let path = harness.path("source.sqlite")
        let rows = (1...500).map { "(\($0), 'patron \($0)', '0564-22-\(1000 + $0)')" }.joined(separator: ", ")
        try SQLiteFixture.create(at: path, "PRAGMA page_size=1024; CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT, tel TEXT);"
                                 + " INSERT INTO p VALUES \(rows); CREATE INDEX p_tel ON p (tel);"
                                 + " CREATE TABLE q (a INTEGER); INSERT INTO q VALUES (1), (2);")
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// A valid header over random pages: what a forged file or a wrecked disk image looks like.
    @Test(arguments: [100, 1024, 4096])
    func aValidHeaderOverRandomBytes(keep: Int) throws {
        let harness = try SessionHarness.journaled()
        let whole = try CorruptSQLiteTests.database(in: harness)
        try harness.file("forged.sqlite", bytes: Array(whole[..<keep]) + CorruptSQLiteTests.random(whole.count - keep, seed: UInt64(keep)))
        // SQLite refuses the schema, or the structure check finds the pages do not add up.
        try harness.expectRefused("load $DIR/forged.sqlite", "$DIR/forged.sqlite: error: ")
        #expect(harness.errors.contains("database disk image is malformed") || harness.errors.contains("is damaged: SQLite's structure check found"),
                "\(harness.errors)")
        #expect(harness.errors.contains("note: nothing was loaded"), "\(harness.errors)")
    }

    /// SQLCipher and SEE encrypt the header too: the file is random from its first byte.
    /// With a forged magic, it reads as a damaged database instead.
    @Test func encryptedLookingFiles() throws {
        let harness = try SessionHarness.journaled()
        try harness.file("cipher.db", bytes: CorruptSQLiteTests.random(64 * 1024, seed: 7))
        try harness.expectRefused("load $DIR/cipher.db", """
        $DIR/cipher.db: error: cannot read '$DIR/cipher.db' as an SQLite database: file is not a database
        note: nothing was loaded
        note: the file does not begin with the SQLite header ('SQLite format 3'): it is another kind of file, \
        or an encrypted database (SQLCipher, SEE: decrypt a copy with its key and load the copy)

        """)
        try harness.file("magic.db", bytes: Array("SQLite format 3\0".utf8) + CorruptSQLiteTests.random(64 * 1024 - 16, seed: 8))
        try harness.expectRefused("load $DIR/magic.db", "$DIR/magic.db: error: cannot read '$DIR/magic.db' as an SQLite database: ")
    }

    /// Fields of the header set to what SQLite cannot accept.
    @Test(arguments: [
        (16, [0x30, 0x39], "file is not a database"),     // page size 12345
        (18, [0x07, 0x07], "file is not a database"),     // read and write versions unknown
        (28, [0x7F, 0xFF, 0xFF, 0xFF], "is not a whole SQLite database: its header counts 2,147,483,647 pages"),
    ])
    func aDamagedHeaderField(_ offset: Int, _ bytes: [UInt8], _ message: String) throws {
        let harness = try SessionHarness.journaled()
        var database = try CorruptSQLiteTests.database(in: harness)
        database.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        try harness.file("header.sqlite", bytes: database)
        try harness.expectRefused("load $DIR/header.sqlite", "$DIR/header.sqlite: error: ")
        #expect(harness.errors.contains(message), "\(harness.errors)")
    }

    /// One byte of damage to a leaf page's cell count: SQLite reads such a page without
    /// an error and skips a row. Before the structure check, the load succeeded with
    /// 499 rows of 500.
    @Test func aLeafThatLostACellIsRefusedNotLoadedShort() throws {
        let harness = try SessionHarness.journaled()
        var bytes = try CorruptSQLiteTests.database(in: harness)
        let leaf = try #require(stride(from: 1024, to: bytes.count, by: 1024).first { bytes[$0] == 0x0D })
        bytes[leaf + 4] -= 1
        try harness.file("short.sqlite", bytes: bytes)
        try harness.expectRefused("load $DIR/short.sqlite",
                                  "$DIR/short.sqlite: error: '$DIR/short.sqlite' is damaged: SQLite's structure check found 1 problem\n"
                                      + "note: nothing was loaded: reading it could skip rows without an error\nnote: quick_check: ")
    }

    /// Single bytes changed anywhere: the load fails clearly or succeeds with every row,
    /// and never crashes. (A changed byte inside a value can only change that value:
    /// SQLite keeps no checksums.)
    @Test func singleByteDamageAnywhere() throws {
        let harness = try SessionHarness()
        let whole = try CorruptSQLiteTests.database(in: harness)
        var generator = SplitMix64(seed: 2010)
        var outcomes = (loaded: 0, refused: 0)
        for trial in 0..<150 {
            var damaged = whole
            let offset = Int(generator.next() % UInt64(whole.count))
            damaged[offset] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            try harness.file("damaged.sqlite", bytes: damaged)
            if harness.run("load $DIR/damaged.sqlite as d\(trial)") {
                outcomes.loaded += 1
                expectCSV(harness, "datasets | where name like 'd\(trial).%' | select rows", "rows\n500\n2\n")
            } else {
                outcomes.refused += 1
                #expect(harness.errors.hasPrefix("$DIR/damaged.sqlite: error: "), "byte \(offset): \(harness.errors)")
                #expect(harness.errors.contains("nothing was loaded"), "byte \(offset): \(harness.errors)")
                #expect(!harness.datasetNames.contains { $0.hasPrefix("d\(trial).") })
            }
        }
        #expect(outcomes.refused > 0)
    }
}
