import Testing
@testable import KenshoShell

/// What Tab offers, by context, without a terminal (`REPLTests` types Tab for real).
@Suite("Tab completion")
struct CompletionTests {
    static let completer = Completer(datasets: ["hoshinooka": ["氏名", "電話番号"], "kasumida": ["name"]],
                                     warehouses: ["wh": ["hoshinooka", "kasumida", "odd name"]])

    static func offered(_ line: String) -> [String] {
        let start = line.utf8.count - (line.split(separator: " ", omittingEmptySubsequences: false).last?.utf8.count ?? 0)
        let word = String(line.split(separator: " ", omittingEmptySubsequences: false).last ?? "")
        return completer.candidates(for: CompletionRequest(line: line, wordStart: start, word: word))
    }

    @Test func aWarehousesPushedDatasetsAfterItsName() {
        #expect(Self.offered("occurrences person in wh.") == ["wh.hoshinooka", "wh.kasumida", "wh.`odd name`", "wh.*"])
        #expect(Self.offered("occurrences person in wh.ka") == ["wh.kasumida"])
        #expect(Self.offered("wh.h") == ["wh.hoshinooka"])
        #expect(Self.offered("p | join wh.") .contains("wh.kasumida"))
    }

    @Test func warehousesWhereADatasetMayBeOne() {
        #expect(Self.offered("occurrences person in w") == ["wh."])
        #expect(Self.offered("occurrences person in wh.hoshinooka, ") == ["hoshinooka", "kasumida", "wh."])
        #expect(Self.offered("hoshinooka | join ") == ["hoshinooka", "kasumida", "wh."])
        #expect(Self.offered("push hoshinooka using person to ") == ["wh"])
        #expect(Self.offered("push ka") == ["kasumida"])
    }

    @Test func everyStatementAtTheStart() {
        #expect(Self.offered("pu") == ["push"])
        #expect(Self.offered("at") == ["attach"])
        #expect(Self.offered("no") == ["note"])
        #expect(Self.offered("sa") == ["save"])
    }

    @Test func withoutAWarehouseNothingChanges() {
        let plain = Completer(datasets: ["hoshinooka": ["氏名"]])
        let request = CompletionRequest(line: "occurrences person in ", wordStart: 22, word: "")
        #expect(plain.candidates(for: request) == ["hoshinooka"])
        #expect(plain.candidates(for: CompletionRequest(line: "export x to ", wordStart: 12, word: "")) != ["wh"])
    }
}
