import Foundation
import Testing
@testable import Kensho

/// SQLite loading, on database files written through SQLite's C API.
@Suite("SQLite loading")
struct SQLiteLoaderTests {
    /// A vendor's database: every storage class, a WITHOUT ROWID table, a mixed column,
    /// a table name with a space, Japanese text, and a view.
    static let vendorSQL = """
    CREATE TABLE patrons (id INTEGER PRIMARY KEY, name TEXT, born TEXT, score REAL, photo BLOB, note);
    INSERT INTO patrons VALUES (1, '山田 太郎', '1975-04-03', 1.5, x'00ff10', NULL);
    INSERT INTO patrons VALUES (2, '佐藤 花子', NULL, 2.25, NULL, 42);
    INSERT INTO patrons VALUES (5, 'Ōno ｶﾞ', '1980-01-01', -0.5, x'', 'text');
    CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT, n INTEGER) WITHOUT ROWID;
    INSERT INTO codes VALUES ('b', 'ビー', 2), ('a', 'エー', 1), ('c', 'シー', NULL);
    CREATE TABLE mixed (v);
    INSERT INTO mixed VALUES (1), (2.5), ('three'), (x'04'), (NULL), (0.1);
    CREATE TABLE "loan list" (patron INTEGER, _line TEXT);
    INSERT INTO "loan list" VALUES (1, 'x');
    CREATE VIEW named AS SELECT name FROM patrons;
    """

    /// A harness with the vendor database at `$DIR/vendor.sqlite`.
    static func vendor(_ file: String = "vendor.sqlite") throws -> SessionHarness {
        let harness = try SessionHarness()
        try SQLiteFixture.create(at: harness.path(file), vendorSQL)
        return harness
    }

    @Test func loadsEveryTableAsItsOwnDataset() throws {
        let harness = try SQLiteLoaderTests.vendor()
        #expect(harness.run("load $DIR/vendor.sqlite"), "\(harness.errors)")
        #expect(harness.errors.contains("""
        vendor.patrons: 3 rows, 6 columns from $DIR/vendor.sqlite
          sqlite, table 'patrons', _line is the rowid; not loaded: view 'named'; utf-8 (declared by the database);
        """), "\(harness.errors)")
        #expect(harness.errors.contains("WITHOUT ROWID: _line is the row number in primary-key order"))
        expectCSV(harness, "datasets | select name, rows, columns, format",
                  "name,rows,columns,format\nvendor.codes,3,3,sqlite\nvendor.loan_list,1,2,sqlite\nvendor.mixed,6,1,sqlite\nvendor.patrons,3,6,sqlite\n")
    }

    @Test func storageClassesBecomeColumnTypes() throws {
        let harness = try SQLiteLoaderTests.vendor()
        #expect(harness.run("load $DIR/vendor.sqlite"), "\(harness.errors)")
        expectCSV(harness, "vendor.patrons | select *, _line", """
        id,name,born,score,photo,note,_line
        1,山田 太郎,1975-04-03,1.5,x'00ff10',,1
        2,佐藤 花子,,2.25,,42,2
        5,Ōno ｶﾞ,1980-01-01,-0.5,x'',text,5

        """)
        #expect(harness.run("describe vendor.patrons"))
        #expect(harness.output.hasPrefix("""
        column,type,filled,null,distinct,note
        id,integer,3,0,3,
        name,text,3,0,3,
        born,text,2,1,3,
        score,float,3,0,3,
        photo,text,2,1,3,
        note,text,2,1,3,
        """), "\(harness.output)")
        expectCSV(harness, "vendor.patrons | where score > 0 | select id + 10 as k, score * 2 as s", "k,s\n11,3.0\n12,4.5\n")
        expectCSV(harness, "vendor.mixed | select v, _line", "v,_line\n1,1\n2.5,2\nthree,3\nx'04',4\n,5\n0.1,6\n")
        expectCSV(harness, "vendor.loan_list | select patron, _line_2, _line", "patron,_line_2,_line\n1,x,1\n")
    }

    @Test func withoutRowidTablesAreNumberedInKeyOrder() throws {
        let harness = try SQLiteLoaderTests.vendor()
        #expect(harness.run("load $DIR/vendor.sqlite"), "\(harness.errors)")
        expectCSV(harness, "vendor.codes | select code, label, n, _line", "code,label,n,_line\na,エー,1,1\nb,ビー,2,2\nc,シー,,3\n")
        expectCSV(harness, "vendor.codes | join vendor.patrons on n = id | select label, name",
                  "label,name\nエー,山田 太郎\nビー,佐藤 花子\n")
    }

    @Test func sourceIsTheFileHash() throws {
        let harness = try SQLiteLoaderTests.vendor()
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: harness.path("vendor.sqlite"))))
        #expect(harness.run("load $DIR/vendor.sqlite"), "\(harness.errors)")
        expectCSV(harness, "vendor.codes | select _source | limit 1", "_source\n\(SHA256Digest.hex(of: bytes))\n")
    }

    @Test(arguments: [
        ("load $DIR/vendor.sqlite with table=codes", "vendor.codes"),
        ("load $DIR/vendor.sqlite as v with table=codes", "v"),
        ("load $DIR/vendor.sqlite as v with table=CODES", "v"),
        ("load $DIR/vendor.db as v", "v.codes"),
        ("load $DIR/vendor.data with format=sqlite, table=codes", "vendor.codes"),
    ])
    func tableOptionAliasAndFormat(_ statement: String, _ name: String) throws {
        let harness = try SessionHarness()
        for file in ["vendor.sqlite", "vendor.db", "vendor.data"] {
            try SQLiteFixture.create(at: harness.path(file), SQLiteLoaderTests.vendorSQL)
        }
        #expect(harness.run(statement), "\(harness.errors)")
        expectCSV(harness, "\(name) | count", "n\n3\n")
        if statement.contains("table=") {
            expectCSV(harness, "datasets | count", "n\n1\n")
        }
    }

    @Test func unknownTableSuggestsTheNearest() throws {
        let harness = try SQLiteLoaderTests.vendor()
        #expect(!harness.run("load $DIR/vendor.sqlite with table=patrns"))
        #expect(harness.errors.hasPrefix("query:1:1: error: no table 'patrns' in '$DIR/vendor.sqlite'\n"), "\(harness.errors)")
        #expect(harness.errors.contains(" did you mean 'patrons'?\n"), "\(harness.errors)")
        #expect(harness.errors.hasSuffix("note: tables: 'codes', 'loan list', 'mixed', 'patrons'\n"), "\(harness.errors)")
        #expect(!harness.run("load $DIR/vendor.sqlite with table=named"))
        #expect(harness.errors.hasPrefix("$DIR/vendor.sqlite: error: 'named' is a view, not a stored table\n"),
                "\(harness.errors)")
    }

    /// The evidence is untouched: same bytes, same modification time to the nanosecond,
    /// and no -wal, -shm or -journal file appears — for a rollback-journal database and
    /// for one in WAL mode (which a normal read-only open would give a -shm file).
    @Test(arguments: ["DELETE", "WAL"])
    func theFileIsNeverTouched(_ journalMode: String) throws {
        let harness = try SessionHarness()
        let path = harness.path("vendor.sqlite")
        try SQLiteFixture.create(at: path, "PRAGMA journal_mode=\(journalMode);\n" + SQLiteLoaderTests.vendorSQL)
        // Let the modification time fall visibly in the past.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_285_000_000.25)],
                                              ofItemAtPath: path)
        let before = try FileSnapshot(path)
        #expect(before.folder == ["vendor.sqlite"])
        #expect(harness.run("load $DIR/vendor.sqlite"), "\(harness.errors)")
        expectCSV(harness, "vendor.patrons | count", "n\n3\n")
        #expect(try FileSnapshot(path) == before)
    }

    @Test func aWriteAheadLogBesideTheFileIsRefused() throws {
        let harness = try SessionHarness()
        let path = harness.path("live.sqlite")
        let writer = try SQLiteFixture(path: path)
        try writer.execute("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (a); INSERT INTO t VALUES (1), (2);")
        // The rows are in live.sqlite-wal only: the database file alone holds no table at all.
        #expect(!harness.run("load $DIR/live.sqlite"))
        #expect(harness.errors.hasPrefix(
            "$DIR/live.sqlite: error: '$DIR/live.sqlite' has a write-ahead log beside it ('$DIR/live.sqlite-wal') whose changes may not be in the database file yet\n"),
            "\(harness.errors)")
        writer.close()  // checkpoints and removes the log
        #expect(harness.run("load $DIR/live.sqlite"), "\(harness.errors)")
        expectCSV(harness, "live.t | select a", "a\n1\n2\n")
    }

    @Test func aHotJournalBesideTheFileIsRefused() throws {
        let harness = try SQLiteLoaderTests.vendor()
        // What an interrupted transaction leaves: a journal that starts with its magic number.
        let magic: [UInt8] = [0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7]
        try harness.file("vendor.sqlite-journal", bytes: magic + [UInt8](repeating: 0, count: 504))
        #expect(!harness.run("load $DIR/vendor.sqlite"))
        #expect(harness.errors.hasPrefix(
            "$DIR/vendor.sqlite: error: '$DIR/vendor.sqlite' has a hot journal beside it ('$DIR/vendor.sqlite-journal'): a transaction was interrupted\n"),
            "\(harness.errors)")
        // A journal left empty (journal_mode=TRUNCATE) or zeroed (PERSIST) holds nothing.
        try harness.file("vendor.sqlite-journal", bytes: [UInt8](repeating: 0, count: 512))
        #expect(harness.run("load $DIR/vendor.sqlite"), "\(harness.errors)")
    }

    @Test func textThatIsNotUTF8() throws {
        let harness = try SessionHarness()
        try SQLiteFixture.create(at: harness.path("bad.sqlite"),
                                 "CREATE TABLE t (name TEXT); INSERT INTO t VALUES ('ok'), (CAST(x'41ff42' AS TEXT));")
        #expect(!harness.run("load $DIR/bad.sqlite"))
        #expect(harness.errors.hasPrefix(
            "$DIR/bad.sqlite: error: table 't', rowid 2, column 'name': text that is not valid utf-8 (FF 42)\n"),
            "\(harness.errors)")
        #expect(harness.run("load $DIR/bad.sqlite with errors=replace"), "\(harness.errors)")
        expectCSV(harness, "bad.t | select name", "name\nok\nA\u{FFFD}B\n")
    }

    // MARK: - Files that are not (whole) databases

    @Test func randomBytesAreNotADatabase() throws {
        var generator = SplitMix64(seed: 20100901)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let harness = try SessionHarness()
        try harness.file("random.sqlite", bytes: bytes)
        #expect(!harness.run("load $DIR/random.sqlite"))
        #expect(harness.errors == """
        $DIR/random.sqlite: error: cannot read '$DIR/random.sqlite' as an SQLite database: file is not a database
        note: nothing was loaded
        note: the file does not begin with the SQLite header ('SQLite format 3'): it is another kind of file, or an encrypted database (SQLCipher, SEE: decrypt a copy with its key and load the copy)
        note: if it is a text export, load it with format=csv, format=json or format=jsonl

        """)
    }

    @Test func aTextFileNamedSqlite() throws {
        let harness = try SessionHarness()
        try harness.file("dump.sqlite", "id,name\n1,山田\n")
        #expect(!harness.run("load $DIR/dump.sqlite"))
        #expect(harness.errors.hasPrefix(
            "$DIR/dump.sqlite: error: cannot read '$DIR/dump.sqlite' as an SQLite database: file is not a database\n"))
        #expect(harness.errors.contains("note: if it is a text export, load it with format=csv, format=json or format=jsonl\n"))
        expectCSV(harness, "load $DIR/dump.sqlite with format=csv\ndump | select name", "name\n山田\n")
    }

    @Test func aTruncatedDatabase() throws {
        let harness = try SessionHarness()
        let path = harness.path("cut.sqlite")
        let rows = (1...400).map { "(\($0), '\(String(repeating: "記録", count: 20))')" }.joined(separator: ", ")
        try SQLiteFixture.create(at: path, "PRAGMA page_size=1024; CREATE TABLE t (id INTEGER, text TEXT); INSERT INTO t VALUES \(rows);")
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let pages = whole.count / 1024
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(!harness.run("load $DIR/cut.sqlite"))
        #expect(harness.errors.hasPrefix("""
            $DIR/cut.sqlite: error: '$DIR/cut.sqlite' is not a whole SQLite database: its header counts \(pages) pages \
            of 1,024 bytes (\(TableRenderer.grouped(whole.count)) bytes), but the file holds \(TableRenderer.grouped(whole.count / 2))
            note: nothing was loaded: the file was cut short, or its header is damaged

            """), "\(harness.errors)")
        #expect(harness.errors.contains("recover a copy (sqlite3 COPY .recover | sqlite3 RECOVERED)"))
    }

    @Test func aDamagedPage() throws {
        let harness = try SessionHarness()
        let path = harness.path("damaged.sqlite")
        let rows = (1...400).map { "(\($0), '\(String(repeating: "x", count: 60))')" }.joined(separator: ", ")
        try SQLiteFixture.create(at: path, "PRAGMA page_size=1024; CREATE TABLE t (id INTEGER, text TEXT); INSERT INTO t VALUES \(rows);")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        // Page 2 is the table's root: overwrite it with garbage, keeping the file's size.
        for index in 1024..<2048 { bytes[index] = UInt8(truncatingIfNeeded: index &* 37) }
        try harness.file("damaged.sqlite", bytes: bytes)
        #expect(!harness.run("load $DIR/damaged.sqlite"))
        #expect(harness.errors.hasPrefix("$DIR/damaged.sqlite: error: '$DIR/damaged.sqlite' is damaged: SQLite's structure check found"),
                "\(harness.errors)")
        #expect(harness.errors.contains("note: nothing was loaded: reading it could skip rows without an error\n"))
    }

    @Test func anEmptyFileAndADatabaseWithoutTables() throws {
        let harness = try SessionHarness()
        try harness.file("empty.db", bytes: [])
        #expect(!harness.run("load $DIR/empty.db"))
        #expect(harness.errors == "$DIR/empty.db: error: '$DIR/empty.db' is empty (0 bytes), not an SQLite database\nnote: nothing was loaded\n")
        try SQLiteFixture.create(at: harness.path("views.db"), "PRAGMA user_version=1; CREATE VIEW v AS SELECT 1 AS one;")
        #expect(!harness.run("load $DIR/views.db"))
        #expect(harness.errors == "$DIR/views.db: error: '$DIR/views.db' holds no tables\nnote: nothing was loaded\nnote: it holds only view 'v'\n")
    }

    @Test func encodingDoesNotApply() throws {
        let harness = try SQLiteLoaderTests.vendor()
        #expect(!harness.run("load $DIR/vendor.sqlite with encoding=cp932"))
        #expect(harness.errors.contains("error: option 'encoding' does not apply to format sqlite"), "\(harness.errors)")
    }
}
