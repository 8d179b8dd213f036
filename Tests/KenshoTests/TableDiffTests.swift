import Testing
@testable import Kensho

/// `diff A B by FP`: two versions of a patron table compared person by person.
@Suite("Table diff")
struct TableDiffTests {
    @Test func addedRemovedAndChangedRowsWithTheChangedFieldsNamed() throws {
        let harness = try SessionHarness()
        try harness.file("v1.csv", """
        氏名,生年月日,電話番号,住所
        山田 太郎,1975-04-03,090-1111-2222,湊北市本町1-1
        佐藤 花子,1980-01-02,090-3333-4444,湊北市本町2-2
        鈴木 一郎,1990-05-06,090-5555-6666,湊北市本町3-3
        高橋 次郎,,090-7777-8888,湊北市本町4-4

        """)
        try harness.file("v2.csv", """
        氏名,生年月日,電話番号,住所
        佐藤　花子,1980/1/2,09033334444,潮浜市北町9-9
        山田太郎,S50.4.3,090-1111-2222,湊北市本町1-1
        田中 三郎,1985-07-08,090-9999-0000,湊北市本町5-5

        """)
        #expect(harness.run("load $DIR/v1.csv; load $DIR/v2.csv\nfingerprint person = name + birthdate + phone"))
        expectCSV(harness, "diff v1 v2 by person | select class, changed, old_line, _dataset, _line", """
        class,changed,old_line,_dataset,_line
        changed,"氏名, 生年月日, 電話番号, 住所",3,v2,2
        changed,"氏名, 生年月日",2,v2,3
        added,,,v2,4
        removed,,,v1,4

        """)
        #expect(harness.errors.contains("1 rows of 'v1' and 0 of 'v2' have no 'person' fingerprint"))
    }

    @Test func identicalVersionsGiveNothing() throws {
        let harness = try SessionHarness()
        try harness.file("a.csv", "氏名,生年月日\n山田 太郎,1975-04-03\n山田 太郎,1975-04-03\n")
        #expect(harness.run("load $DIR/a.csv\nfingerprint p = name + birthdate"))
        expectCSV(harness, "diff a a by p | count", "n\n0\n")
    }
}
