import Foundation
import Testing
@testable import Kensho

@Suite("Roles and masking")
struct RolesAndMaskingTests {
    @Test(arguments: [
        ("山田 太郎", Role.name, "山田 *"),
        ("佐々木　花子", .name, "佐々木 *"),
        ("佐々木太郎", .name, "佐*"),
        ("ヤマダ タロウ", .kana, "ヤマダ *"),
        ("090-1234-5678", .phone, "***-****-5678"),
        ("０９０（１２３４）５６７８", .phone, "＊＊＊（＊＊＊＊）５６７８".replacingOccurrences(of: "＊", with: "*")),
        ("+81 90 1234 5678", .phone, "+** ** **** 5678"),
        ("taro@example.jp", .email, "****@example.jp"),
        ("1975-04-03", .birthdate, "1975-**-**"),
        ("昭和50年4月3日", .birthdate, "昭和**"),
        ("444-0001", .postal, "444-****"),
        ("湊北市宮前4丁目27-9", .address, "湊北市宮前***"),
        ("2100010000", .id, "******0000"),
        ("2009-03-16", .registered, "2009-03-16"),
    ])
    func masks(_ value: String, _ role: Role, _ expected: String) {
        #expect(Masking.mask(value, as: role) == expected)
    }

    @Test func rolesFromHeadersAndValues() throws {
        let harness = try SessionHarness()
        try harness.file("v.csv", """
        氏名,col_a,col_b,col_c,col_d,note
        山田 太郎,090-1234-5678,1975-04-03,444-0001,taro@example.jp,x
        鈴木 花子,0564-22-1234,S50.4.3,〒4440002,hana@example.com,y
        佐藤 一郎,09012345678,19750403,4440003,ichi@example.org,z

        """)
        expectCSV(harness, "load $DIR/v.csv\nroles v", """
        column,role,keyer,evidence
        氏名,name,name,header '氏名'
        col_a,phone,phone,values: 100% phone-shaped (3 of 3)
        col_b,birthdate,date,values: 100% birthdate-shaped (3 of 3)
        col_c,postal,postal,values: 100% postal-shaped (3 of 3)
        col_d,email,email,values: 100% email-shaped (3 of 3)
        note,,,

        """)
        #expect(harness.run("role v.note = kana"))
        expectCSV(harness, "roles v | where column = 'note' | select role, evidence", "role,evidence\nkana,set by: role v.note = kana\n")
        expectDiagnostic(harness, "role v.note = phon", """
        query:1:15: error: unknown role 'phon'
        1 | role v.note = phon
          |               ^^^^ did you mean 'phone'?

        """)
    }

    @Test func rolesOfTheExampleExports() throws {
        let harness = try SessionHarness()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(harness.run("load \"\(root.path)/examples/case/*.csv\"\nload \(root.path)/examples/case/midorigase.tsv"))
        for dataset in harness.session.catalog.datasets {
            let roles = Set(dataset.roles.values.map(\.role))
            #expect(roles.isSuperset(of: [.name, .kana, .birthdate, .phone, .postal, .address, .id]),
                    "\(dataset.name): \(dataset.roles)")
        }
    }

    /// What a person sees in a table holds no personal value of the dataset in clear.
    @Test func tablesShowNoPersonalValueUnmasked() throws {
        let harness = try SessionHarness(format: .table)
        let csv = "氏名,電話番号,生年月日,メール,住所\n山田 太郎,090-1234-5678,1975-04-03,taro@example.jp,湊北市宮前4丁目27-9\n"
        try harness.file("p.csv", csv)
        #expect(harness.run("load $DIR/p.csv\np\np | select 氏名 as who, 電話番号\np | join p on 氏名 | limit 1\nunion p, p"))
        for secret in ["太郎", "1234-5678", "04-03", "taro@", "4丁目27-9"] {
            #expect(!harness.output.contains(secret), "'\(secret)' shown in:\n\(harness.output)")
        }
        #expect(harness.output.contains("山田 *"))
        #expect(harness.run("set mask = off\np | select 氏名"))
        #expect(harness.output.contains("山田 太郎"))
    }

    @Test func machineFormatsCarryValuesUnlessMaskAll() throws {
        let harness = try SessionHarness(format: .csv)
        try harness.file("p.csv", "氏名,電話番号\n山田 太郎,090-1234-5678\n")
        expectCSV(harness, "load $DIR/p.csv\np", "氏名,電話番号\n山田 太郎,090-1234-5678\n")
        expectCSV(harness, "set mask = all\np", "氏名,電話番号\n山田 *,***-****-5678\n")
    }

    @Test func exportsSayWhetherTheyAreMasked() throws {
        let harness = try SessionHarness()
        try harness.file("p.csv", "氏名,電話番号\n山田 太郎,090-1234-5678\n")
        #expect(harness.run("load $DIR/p.csv\nexport p to $DIR/plain.csv\nexport p to $DIR/masked.csv masked"))
        #expect(harness.errors.contains("plain.csv (csv, unmasked)"))
        #expect(harness.errors.contains("masked.csv (csv, masked)"))
        let plain = try String(contentsOfFile: harness.path("plain.csv"), encoding: .utf8)
        let masked = try String(contentsOfFile: harness.path("masked.csv"), encoding: .utf8)
        #expect(plain.contains("山田 太郎,090-1234-5678,p,"))
        #expect(masked.contains("山田 *,***-****-5678,p,"))
    }
}
