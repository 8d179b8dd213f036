import Testing

@testable import KenshoKeyers

@Suite("KeyerRegistry")
struct KeyerRegistryTests {
    @Test func namesInOrder() {
        #expect(KeyerRegistry.names == ["raw", "text", "name", "kana", "digits", "phone", "date", "email", "postal"])
        #expect(KeyerRegistry.all.map(\.id.description).allSatisfy { $0.hasSuffix("@1") })
    }

    @Test(
        arguments: [
            ("text", nil, "text@1"),
            ("TEXT", nil, "text@1"),
            ("Kana", 1, "kana@1"),
            ("phone@1", nil, "phone@1"),
            ("Date@1", 1, "date@1"),
        ] as [(String, Int?, String)])
    func found(name: String, version: Int?, id: String) {
        #expect(KeyerRegistry.keyer(named: name, version: version)?.id.description == id)
    }

    @Test(
        arguments: [
            ("nmae", nil), ("text", 2), ("text@2", nil), ("text@1", 2), ("text@", nil), ("", nil),
        ] as [(String, Int?)])
    func notFound(name: String, version: Int?) {
        #expect(KeyerRegistry.keyer(named: name, version: version) == nil)
    }

    @Test func eachKeyerIsRegisteredUnderItsOwnName() throws {
        for keyer in KeyerRegistry.all {
            let found = try #require(KeyerRegistry.keyer(named: keyer.id.name, version: keyer.id.version))
            #expect(type(of: found) == type(of: keyer))
        }
    }
}
