import Foundation
import Testing
@testable import Kensho

/// What gets told: the report and the notification packets (DESIGN §6, request 5).
@Suite("Reports and notifications")
struct ReportTests {
    static func investigated() throws -> SessionHarness {
        let harness = try FingerprintTests.exampleCase()
        let web = FingerprintTests.root.appendingPathComponent("examples/case/web").path
        #expect(harness.run("""
        shiohama | semijoin minatokita on person | tag from_minatokita note "registered 2009-03-16" | count
        shirasagidai | semijoin kasumida on person | tag from_kasumida | count
        note from_minatokita "163 patrons in Shiohama"
        load \(web)/before
        load \(web)/after
        diff before after | count by class
        """))
        return harness
    }

    @Test func theNotificationHoldsOnlyTheOriginsRecords() throws {
        let harness = try ReportTests.investigated()
        #expect(harness.run("export notification for minatokita using person to $DIR/packet"))
        let files = try FileManager.default.contentsOfDirectory(atPath: harness.path("packet")).sorted()
        #expect(files == ["README.md", "hoshinooka.csv", "midorigase.csv", "shiohama.csv"])
        let truth = try FingerprintTests.truth()
        let planted = Dictionary(uniqueKeysWithValues: (truth["planted"] as! [[String: Any]]).map {
            (FingerprintTests.stem($0["file"] as! String), ($0["origin"] as! String, ($0["copies"] as! [[Any]]).count))
        })
        for file in files where file.hasSuffix(".csv") {
            let system = String(file.dropLast(4))
            let text = try String(contentsOfFile: harness.path("packet/\(file)"), encoding: .utf8)
            #expect(harness.run("load $DIR/packet/\(file) as packet_\(system)\npacket_\(system) | count"))
            let rows = Int(harness.output.split(separator: "\n").last ?? "") ?? -1
            #expect(planted[system]?.0 == "minatokita" && planted[system]?.1 == rows, "\(system): \(rows) rows")
            #expect(text.hasPrefix("利用者番号,氏名,フリガナ,生年月日,電話番号,郵便番号,住所,登録日,origin_line,found_in,found_file_sha256,found_line,registered_there\n"))
        }
        // Nothing about anyone else: no name or phone of a person who is not one of the
        // origin's patrons appears anywhere in the packet.
        var packet = ""
        for file in files { packet += try String(contentsOfFile: harness.path("packet/\(file)"), encoding: .utf8) }
        // (A value the origin itself holds — a common name, a shared phone — is its own.)
        let originValues = Set(try ReportTests.values(harness, of: "minatokita", roles: [.name, .phone]))
        let outsiders = try ReportTests.outsiders(harness).filter { !originValues.contains($0) }
        #expect(outsiders.count > 500)
        let leaked = outsiders.filter { packet.contains($0) }
        #expect(leaked.isEmpty, "\(leaked.prefix(5))")
        let cover = try String(contentsOfFile: harness.path("packet/README.md"), encoding: .utf8)
        #expect(cover.contains("個人情報の流出に関するご通知"))
        #expect(cover.contains("| shiohama | 163 |"))
        let attributes = try FileManager.default.attributesOfItem(atPath: harness.path("packet/shiohama.csv"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    /// The values, as written, of a dataset's columns with these roles.
    static func values(_ harness: SessionHarness, of name: String, roles: [Role]) throws -> [String] {
        let table = harness.session.catalog[name]!.table
        var values: [String] = []
        for role in roles {
            guard let index = table.fields.firstIndex(where: { $0.role == role }) else { continue }
            for row in 0..<table.rowCount { if let text = table.columns[index].value(at: row).text { values.append(text) } }
        }
        return values
    }

    /// Names and phones (as written) of every row in the other systems that is not a
    /// copy of an origin patron, and of the origin's patrons' copies' extra fields.
    static func outsiders(_ harness: SessionHarness) throws -> [String] {
        var values: Set<String> = []
        for name in ["hoshinooka", "kasumida", "shiohama", "shirasagidai", "tsubakihara", "midorigase"] {
            #expect(harness.run("set mask = off\n\(name) | antijoin minatokita on person | fingerprint person as fp"))
            let table = harness.session.catalog[name]!.table
            let csv = harness.output
            let header = csv.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
            let nameIndex = table.fields.firstIndex { $0.role == .name }.flatMap { header.firstIndex(of: table.fields[$0].name) }
            let phoneIndex = table.fields.firstIndex { $0.role == .phone }.flatMap { header.firstIndex(of: table.fields[$0].name) }
            for line in csv.split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                for index in [nameIndex, phoneIndex].compactMap({ $0 }) where index < cells.count && cells[index].count >= 4 {
                    values.insert(cells[index])
                }
            }
        }
        return values.sorted()
    }

    @Test func theHTMLReportIsSelfContainedAndMasked() throws {
        let harness = try ReportTests.investigated()
        harness.session.journal = try JournalWriter(path: harness.path("s.kensho"), header: .current(operatorName: "t"))
        #expect(harness.run("set operator = examiner\nexport findings to $DIR/report.html"))
        let html = try String(contentsOfFile: harness.path("report.html"), encoding: .utf8)
        for section in ["<h2>Inputs</h2>", "<h2>Findings by label and system</h2>", "Whose data is in whose system",
                        "<h2>Web server: before → after</h2>", "<h2>Tagged rows, with provenance</h2>"] {
            #expect(html.contains(section), "missing \(section)")
        }
        #expect(html.contains("head hash <code>"))
        #expect(html.contains("Personal values are masked."))
        // Self-contained: nothing is fetched from anywhere.
        for external in ["http://", "https://", "src=", "<link", "<script", "@import", "url("] {
            #expect(!html.contains(external), "the report refers to \(external)")
        }
        // Masked: no name of a tagged patron appears in clear.
        #expect(harness.run("set mask = off\nshiohama | semijoin minatokita on person | select full_name | limit 20"))
        for name in harness.output.split(separator: "\n").dropFirst() where name.contains(" ") {
            #expect(!html.contains(String(name)), "\(name) is in the report")
        }
        #expect(harness.run("export findings to $DIR/open.md unmasked"))
        let markdown = try String(contentsOfFile: harness.path("open.md"), encoding: .utf8)
        #expect(markdown.contains("personal values: NOT masked"))
        #expect(markdown.contains("| from_minatokita | shiohama | 163 |"))
    }

    @Test func aPipelineExportsAsAnHTMLPageMaskedWhenAsked() throws {
        let harness = try FingerprintTests.exampleCase()
        #expect(harness.run("""
        export shiohama | semijoin minatokita on person | select full_name | limit 3 to $DIR/copies.html masked
        export shiohama | limit 2 to $DIR/open.htm
        """))
        let masked = try String(contentsOfFile: harness.path("copies.html"), encoding: .utf8)
        #expect(masked.hasPrefix("<!doctype html>"))
        #expect(masked.contains("<th>full_name</th>") && masked.contains("<th>_line</th>"))
        #expect(masked.contains("3 rows; personal values masked"))
        #expect(harness.run("set mask = off\nshiohama | semijoin minatokita on person | select full_name | limit 3"))
        for name in harness.output.split(separator: "\n").dropFirst() where name.contains(" ") {
            let clear = name.trimmingCharacters(in: .whitespaces)
            #expect(!masked.contains(clear), "\(clear) is in the masked page")
        }
        let open = try String(contentsOfFile: harness.path("open.htm"), encoding: .utf8)
        #expect(open.contains("NOT masked") && open.contains("2 rows"))
    }
}
