import Testing

@testable import KenshoKeyers

/// Generated strings mixing everything the data holds, checked three ways: the fast
/// path against the slow path, and each keyer against `ReferenceKeyers`.
@Suite("Fast and slow paths agree")
struct FastSlowAgreementTests {
    /// Fragments to mix: what the fast path handles, and what sends it to the slow path.
    static let fastFragments = [
        "a", "Z", "Yamada", "taro", "0", "9", "123", " ", "  ", "\t", "-", ".", "@", "(", ")", "/",
        "山", "田", "佐", "々", "木", "髙", "𠮷", "あ", "が", "ゝ", "カ", "ヴ", "ヵ", "ヽ", "ー", "ーー", "・", "、", "「", "」",
        "〒", "※", "\u{3000}", "\u{00A0}", "ｻ", "ｶ", "ﾊ", "ｳ", "ﾜ", "ﾞ", "ﾟ", "ｰ", "･", "｢", "Ａ", "ｚ", "０", "９", "（",
        "－",
        "　", "À", "é", "ß", "×", "·", "‐", "–", "—", "―", "−", "⁃", "★", "葛\u{E0100}",
    ]
    static let slowFragments = [
        "①", "⑫", "㍻", "㍼", "\u{32FF}", "ｶﾞ", "㈱", "ﬁ", "Ⅻ", "℡", "\u{0301}", "\u{3099}", "゛", "Ω", "Σ", "İ",
        "\u{2011}", "\u{FE63}", "\u{2003}", "\u{2028}", "…", "¼", "ｰ\u{0300}", "ｱﾞ", "ℌ", "㌔",
    ]

    /// A fixed-seed generator (SplitMix64), so a failure names a reproducible string.
    struct Generator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func generated(count: Int, seed: UInt64) -> [String] {
        var generator = Generator(state: seed)
        return (0..<count).map { _ in
            let slow = Int.random(in: 0..<3, using: &generator) == 0
            let length = Int.random(in: 1...8, using: &generator)
            return (0..<length).map { _ in
                if slow, Int.random(in: 0..<4, using: &generator) == 0 {
                    return slowFragments.randomElement(using: &generator)!
                }
                return fastFragments.randomElement(using: &generator)!
            }.joined()
        }
    }

    static let strings = generated(count: 4000, seed: 2010)

    @Test func fastPathEqualsSlowPath() {
        var fastCount = 0
        var failures: [String] = []
        for string in Self.strings {
            for lowercase in [false, true] {
                guard let fast = fastFold(string, lowercase: lowercase) else { continue }
                fastCount += 1
                if fast != slowFold(string, lowercase: lowercase) {
                    failures.append("\"\(string)\" [\(scalarCodes(string))] lowercase: \(lowercase)")
                }
            }
        }
        #expect(fastCount > 4000, "most generated strings must stay on the fast path")
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test(
        arguments: [
            ("text", ReferenceKeyers.text),
            ("name", ReferenceKeyers.name),
            ("kana", ReferenceKeyers.kana),
            ("digits", ReferenceKeyers.digits),
        ] as [(String, @Sendable (String) -> String?)])
    func keyerEqualsReference(name: String, reference: @Sendable (String) -> String?) throws {
        let keyer = try #require(KeyerRegistry.keyer(named: name))
        var slowCount = 0
        var failures: [String] = []
        for string in Self.strings {
            if fastFold(string, lowercase: true) == nil { slowCount += 1 }
            let actual = keyed(keyer, string)
            let expected =
                reference(string).map { Keyed(result: .ok, bytes: Array($0.utf8)) } ?? Keyed(result: .empty, bytes: [])
            if actual != expected {
                failures.append("\"\(string)\" [\(scalarCodes(string))]: \(actual), reference \(expected)")
            }
        }
        #expect(slowCount > 500, "the generated strings must exercise the slow path too")
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(10).joined(separator: "\n"))")
    }
}
