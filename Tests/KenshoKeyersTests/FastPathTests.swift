import Testing

@testable import KenshoKeyers

@Suite("The fast path against Foundation")
struct FastPathTests {
    /// Every code point the fast path claims (ASCII, stable blocks, spaces, Latin-1
    /// capitals, full-width ASCII, half-width kana) folds as Foundation folds it alone.
    @Test(arguments: [false, true])
    func everyClassifiedCodePoint(lowercase: Bool) {
        var checked = 0
        var failures: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            guard value < 0x80 || FastScalar.of(value) != .other else { continue }
            let text = String(scalar)
            checked += 1
            guard let fast = fastFold(text, lowercase: lowercase) else {
                failures.append("\(scalarCodes(text)): the fast path gave up on a classified scalar")
                continue
            }
            let expected = Array(FoundationReference.fold(text, lowercase: lowercase).utf8)
            if fast != expected {
                failures.append(
                    "\(scalarCodes(text)) gave \(scalarCodes(String(decoding: fast, as: UTF8.self))), "
                        + "Foundation \(scalarCodes(String(decoding: expected, as: UTF8.self)))")
            }
        }
        #expect(checked > 150_000)
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(10).joined(separator: "\n"))")
    }

    /// The half-width table, on every half-width and full-width form it maps, alone and
    /// before ﾞ or ﾟ (which compose onto a kana), and every kana of both blocks before
    /// ﾞ or ﾟ. The fast path must handle each of them itself.
    struct Bases: CustomTestStringConvertible, Sendable {
        var name: String
        var scalars: [UInt32]
        var testDescription: String { name }
    }

    @Test(arguments: [
        Bases(name: "full-width ASCII and half-width kana", scalars: Array(0xFF01...0xFF5E) + Array(0xFF61...0xFF9F)),
        Bases(name: "hiragana and katakana blocks", scalars: Array(0x3040...0x30FF)),
    ])
    func halfwidthTableAndDakuten(bases: Bases) {
        var failures: [String] = []
        var composed = 0
        for base in bases.scalars {
            for suffix in [[], [0xFF9E], [0xFF9F], [0xFF9E, 0xFF9E], [0xFF9F, 0xFF9E], [0xFF9E, 0xFF9F]] as [[UInt32]] {
                let scalars = ([base] + suffix).map { Unicode.Scalar($0)! }
                let text = String(String.UnicodeScalarView(scalars))
                let expected = FoundationReference.fold(text, lowercase: false)
                if expected.unicodeScalars.count < scalars.count { composed += 1 }
                guard FastScalar.of(base) != .other else { continue }  // ゟ, ゛, ヿ…: the slow path's
                guard let fast = fastFold(text, lowercase: false) else {
                    failures.append("\(scalarCodes(text)): the fast path gave up")
                    continue
                }
                if fast != Array(expected.utf8) {
                    failures.append(
                        "\(scalarCodes(text)) gave \(scalarCodes(String(decoding: fast, as: UTF8.self))), "
                            + "Foundation \(scalarCodes(expected))")
                }
            }
        }
        #expect(composed > 40, "the cases must include compositions")
        #expect(failures.isEmpty, "\(failures.count) failures: \(failures.prefix(10).joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("ｻｻｷ ﾀﾛｳ", "ササキ タロウ"),
        ("ｶﾞｲｼｬ", "ガイシャ"),
        ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
        ("ｳﾞｧ", "ヴァ"),
        ("かﾞ", "が"),
        ("ﾞｶ", "\u{3099}カ"),
        ("０９０（１２３４）５６７８", "090(1234)5678"),
        ("ＹＡＭＡＤＡ　Ｔａｒｏ", "YAMADA Taro"),
        ("〒４４４－８５０１", "〒444-8501"),
    ])
    func examples(input: String, expected: String) {
        #expect(fastFold(input, lowercase: false) == Array(expected.utf8))
    }

    @Test(arguments: ["①", "㍻", "㈱", "ﬁ", "Ⅻ", "é\u{301}", "か\u{3099}", "한국", "Ωμέγα", "\u{FF0D}\u{2011}"])
    func slowPathCases(input: String) {
        let expected = Array(FoundationReference.fold(input, lowercase: true).utf8)
        #expect(slowFold(input, lowercase: true) == expected)
    }

    @Test func malformedUTF8IsReported() {
        for bytes in [
            [0xFF], [0xE3, 0x81], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x61, 0x80],
        ]
            as [[UInt8]]
        {
            bytes.withUnsafeBufferPointer { input in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 8) { buffer in
                    var sink = ByteSink(output: buffer.baseAddress!)
                    guard case .malformed = Folding.foldFast(input, lowercase: true, into: &sink) else {
                        Issue.record("\(bytes) was not reported as malformed")
                        return
                    }
                }
                #expect(SlowFolding.fold(input, lowercase: true) == nil)
            }
        }
    }
}
