import Foundation
import Testing
@testable import Kensho

/// The warehouse answers as the embedded engine does: the example case pushed to a real
/// PostgreSQL, then `occurrences`, `matrix`, `WH.name` and joins compared row for row.
@Suite(.enabled(if: TestWarehouse.available, "needs a PostgreSQL server (.ci/start-postgres)"))
struct WarehouseAnswerTests {
    static let caseDirectory = FingerprintTests.root.appendingPathComponent("examples/case").path
    static let systems = ["hoshinooka", "kasumida", "minatokita", "shiohama", "shirasagidai", "tsubakihara", "midorigase"]

    /// The example case loaded, the `person` recipe defined, the warehouse attached and
    /// every system pushed with `personal`.
    static func pushedCase(_ warehouse: TestWarehouse, personal: String, key: Bool = false) throws -> SessionHarness {
        let harness = try SessionHarness()
        var script = """
            load "\(caseDirectory)/*.csv"
            load \(caseDirectory)/midorigase.tsv
            fingerprint person = name + birthdate + phone
            attach postgres "\(warehouse.url)" as wh

            """
        if key { script = "set key = env:KENSHO_TEST_CASE_KEY\n" + script }
        for system in systems { script += "push \(system) using person to wh with personal=\(personal)\n" }
        #expect(harness.run(script), "\(harness.errors)")
        return harness
    }

    /// stdout of `statement`, which must succeed.
    static func answer(_ harness: SessionHarness, _ statement: String) -> String {
        let ok = harness.run(statement)
        #expect(ok, "\(statement): \(harness.errors)")
        return harness.output
    }

    @Test func occurrencesAndMatrixMatchTheEmbeddedEngineRowForRow() throws {
        let warehouse = try TestWarehouse()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "all")
        let local = WarehouseAnswerTests.answer(harness, "occurrences person")
        #expect(local.split(separator: "\n").count > 400)
        #expect(WarehouseAnswerTests.answer(harness, "occurrences person in wh.*") == local)
        let listed = "occurrences person in wh.minatokita, wh.shiohama, wh.kasumida, wh.shirasagidai"
        #expect(WarehouseAnswerTests.answer(harness, listed)
                == WarehouseAnswerTests.answer(harness, "occurrences person in minatokita, shiohama, kasumida, shirasagidai"))
        let matrix = WarehouseAnswerTests.answer(harness, "matrix person")
        #expect(matrix.contains("minatokita,shiohama,163,minatokita,"))
        #expect(WarehouseAnswerTests.answer(harness, "matrix person in wh.*") == matrix)
        // Pipelines go on from a warehouse answer as from any table.
        #expect(WarehouseAnswerTests.answer(harness, "occurrences person in wh.* | count by _dataset")
                == WarehouseAnswerTests.answer(harness, "occurrences person | count by _dataset"))
    }

    @Test func warehouseDatasetsAndJoinsGiveTheEmbeddedAnswers() throws {
        let warehouse = try TestWarehouse()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "all")
        #expect(WarehouseAnswerTests.answer(harness, "wh.kasumida | count") == "n\n72\n")
        #expect(WarehouseAnswerTests.answer(harness, "datasets | where format = 'warehouse' | select name, rows | limit 2")
                == "name,rows\nwh.hoshinooka,250\nwh.kasumida,72\n")
        #expect(WarehouseAnswerTests.answer(harness, "wh.kasumida | select _line, name | limit 3")
                == WarehouseAnswerTests.answer(harness, "kasumida | select _line, name | limit 3"))
        for kind in ["semijoin", "antijoin", "join", "left join"] {
            let local = WarehouseAnswerTests.answer(harness, "shiohama | \(kind) minatokita on person | count")
            #expect(WarehouseAnswerTests.answer(harness, "shiohama | \(kind) wh.minatokita on person | count") == local, "\(kind)")
        }
        #expect(WarehouseAnswerTests.answer(harness, "shiohama | semijoin wh.minatokita on person | count by registered")
                == WarehouseAnswerTests.answer(harness, "shiohama | semijoin minatokita on person | count by registered"))
    }

    @Test func withoutPersonalDataTheWarehouseHoldsNoNamesAndFindsTheSameCopies() throws {
        let warehouse = try TestWarehouse()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "none")
        let provenance = "select fingerprint, spread, _dataset, _source, _line"
        #expect(WarehouseAnswerTests.answer(harness, "occurrences person in wh.* | \(provenance)")
                == WarehouseAnswerTests.answer(harness, "occurrences person | \(provenance)"))
        #expect(WarehouseAnswerTests.answer(harness, "matrix person in wh.*") == WarehouseAnswerTests.answer(harness, "matrix person"))
        for column in ["name", "kana", "birthdate", "phone", "email", "postal", "address", "id"] {
            #expect(try warehouse.values("SELECT count(*) FROM kensho_rows WHERE \(column) IS NOT NULL") == ["0"], "\(column)")
        }
        #expect(try warehouse.values("SELECT DISTINCT personal FROM kensho_datasets") == ["none"])
        // Registration dates are not personal: they are kept, for the matrix and for people.
        #expect(try warehouse.values("SELECT count(*) > 0 FROM kensho_rows WHERE registered IS NOT NULL") == ["t"])
    }

    @Test func maskedPushesHoldWhatTheScreenShows() throws {
        let warehouse = try TestWarehouse()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "masked")
        let names = try warehouse.values("SELECT name FROM kensho_rows WHERE dataset = 'minatokita' ORDER BY ordinal LIMIT 20")
        let local = harness.session.catalog["minatokita"]!.table
        let column = local.fields.firstIndex { $0.role == .name }!
        for (row, pushed) in names.enumerated() {
            let original = local.columns[column].value(at: row).text!
            #expect(pushed == Masking.mask(original, as: .name))
            #expect(pushed != original)
        }
    }

    @Test func aPushRecordsHowItsFingerprintsWereMadeAndAPushAgainReplacesIt() throws {
        let warehouse = try TestWarehouse()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "none")
        let row = try warehouse.connect().execute(
            "SELECT seq, recipe, recipe_header, key_id, rows, fingerprinted, sources, digest FROM kensho_datasets WHERE dataset = 'kasumida'")
        #expect(row.count == 1)
        #expect(row[0][1] == "person" && row[0][2] == "name@1+date@1+phone@1" && row[0][3] == nil && row[0][4] == "72")
        #expect(row[0][6]!.hasSuffix("kasumida.csv sha256:2c56bfad16cb3b91e6ea77f25692a6cd72c007256118e9b7846e246b7ca281b7"))
        #expect(harness.run("push kasumida using person to wh"), "\(harness.errors)")
        #expect(harness.errors.contains("pushed kasumida to wh: 72 rows"))
        #expect(harness.errors.contains("digest \(row[0][7]!)"))
        let again = try warehouse.values("SELECT seq FROM kensho_datasets WHERE dataset = 'kasumida'")
        #expect(again == [row[0][0]])
        #expect(try warehouse.values("SELECT count(*) FROM kensho_rows WHERE dataset = 'kasumida'") == ["72"])
        #expect(try warehouse.values("SELECT count(*) FROM pg_class WHERE relname LIKE 'kensho_staging_%'") == ["0"])
    }

    @Test func anAdministeredLayoutHashPartitionedOnTheFingerprintGivesTheSameAnswers() throws {
        let warehouse = try TestWarehouse()
        let connection = try warehouse.connect()
        try connection.execute(WarehouseSchema.createRows.replacingOccurrences(of: "PARTITION BY LIST (dataset)",
                                                                                 with: "PARTITION BY HASH (fingerprint)")
            + "; CREATE TABLE kensho_rows_0 PARTITION OF kensho_rows FOR VALUES WITH (MODULUS 2, REMAINDER 0)"
            + "; CREATE TABLE kensho_rows_1 PARTITION OF kensho_rows FOR VALUES WITH (MODULUS 2, REMAINDER 1)")
        connection.close()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "all")
        #expect(WarehouseAnswerTests.answer(harness, "occurrences person in wh.*") == WarehouseAnswerTests.answer(harness, "occurrences person"))
        #expect(WarehouseAnswerTests.answer(harness, "matrix person in wh.*") == WarehouseAnswerTests.answer(harness, "matrix person"))
        let split = try warehouse.values("SELECT count(*) FROM kensho_rows_0 UNION ALL SELECT count(*) FROM kensho_rows_1")
        #expect(split.count == 2 && split.allSatisfy { Int($0 ?? "0")! > 300 })
        // Pushed again: replaced, not doubled.
        #expect(harness.run("push kasumida using person to wh"), "\(harness.errors)")
        #expect(try warehouse.values("SELECT count(*) FROM kensho_rows WHERE dataset = 'kasumida'") == ["72"])
    }

    @Test func fingerprintsMadeDifferentlyAreNeverCompared() throws {
        let warehouse = try TestWarehouse()
        let harness = try WarehouseAnswerTests.pushedCase(warehouse, personal: "none")
        let ok = harness.run("fingerprint person = name + birthdate\noccurrences person in wh.*")
        #expect(!ok)
        #expect(harness.errors.contains("'wh.hoshinooka' was pushed with fingerprints made as name@1+date@1+phone@1, unkeyed, not as 'person' (name@1+date@1, unkeyed): they cannot be compared"))
        #expect(!harness.run("occurrences person in wh.minatokita, shiohama"))
        #expect(harness.errors.contains("'shiohama' is not in warehouse 'wh': a comparison runs either here or in one warehouse"))
    }

    @Test func aSessionWithAWarehouseReplaysAndItsJournalRecordsTheSQL() throws {
        let warehouse = try TestWarehouse()
        let (harness, path) = try TestWarehouse.journaledHarness()
        #expect(harness.run("""
            load \(WarehouseAnswerTests.caseDirectory)/minatokita.csv
            load \(WarehouseAnswerTests.caseDirectory)/shiohama.csv
            fingerprint person = name + birthdate + phone
            attach postgres "\(warehouse.url)" as wh
            push minatokita using person to wh
            push shiohama using person to wh with personal=masked
            occurrences person in wh.* | count by _dataset
            matrix person in wh.*
            """), "\(harness.errors)")
        let journal = try String(contentsOfFile: path, encoding: .utf8)
        #expect(journal.contains("warehouse=wh sql=\"COPY (WITH scope(dataset, seq) AS (VALUES ('minatokita'::text, 1::bigint)"))
        #expect(journal.contains(" warehouse=wh dataset=minatokita rows=166 digest="))
        let report = BufferSink()
        let summary = Replayer(options: .init(allowWrites: true, scratchDirectory: harness.path("scratch")))
            .replay(journal, name: "s", report: report)
        #expect(summary.isClean, "\(report.text)")
        #expect(summary.diverged == 0 && summary.matched == 8)
        // Someone else's journal connects nowhere unless allowed to write.
        let refused = BufferSink()
        let untrusted = Replayer(options: .init(scratchDirectory: harness.path("scratch"))).replay(journal, name: "s", report: refused)
        #expect(!untrusted.isClean)
        #expect(refused.text.contains("DIVERGED  attach postgres"))
        #expect(refused.text.contains("replay does not connect to a warehouse a journal names unless given --allow-writes"))
    }
}
