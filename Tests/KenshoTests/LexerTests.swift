import Testing
@testable import Kensho

@Suite("Lexer")
struct LexerTests {
    static func kinds(_ text: String) throws -> [String] {
        var lexer = Lexer(SourceText(name: "t", text: text))
        var out: [String] = []
        while true {
            let token = try lexer.next()
            switch token.kind {
            case .end: return out
            case .newline: out.append("⏎")
            case .semicolon: out.append(";")
            case .word: out.append("w:\(token.text)")
            case .quotedWord: out.append("q:\(token.text)")
            case .string: out.append("s:\(token.text)")
            case .integer: out.append("i:\(token.text)")
            case .float: out.append("f:\(token.text)")
            case .symbol: out.append(token.text)
            }
        }
    }

    @Test(arguments: [
        ("load a.csv", ["w:load", "w:a", ".", "w:csv"]),
        ("x = 1_000 + 2.5", ["w:x", "=", "i:1000", "+", "f:2.5"]),
        ("a || b | c", ["w:a", "||", "w:b", "|", "w:c"]),
        ("氏名 = '佐々木'", ["w:氏名", "=", "s:佐々木"]),
        ("`full name` <> \"x\\\"y\"", ["q:full name", "!=", "s:x\"y"]),
        ("'\\d+'", ["s:\\d+"]),
        ("a -- comment\nb", ["w:a", "⏎", "w:b"]),
        ("a\n| where x\n|count", ["w:a", "|", "w:where", "w:x", "|", "w:count"]),
        ("a |\n  b", ["w:a", "|", "w:b"]),
        ("f(a,\n b)", ["w:f", "(", "w:a", ",", "w:b", ")"]),
        ("a\n\n-- note\n| b", ["w:a", "|", "w:b"]),
        ("a; b", ["w:a", ";", "w:b"]),
        ("2024年", ["w:2024年"]),
        ("a\u{3000}b", ["w:a", "w:b"]),
        ("x >= 3 and y <= 4", ["w:x", ">=", "i:3", "w:and", "w:y", "<=", "i:4"]),
        ("name@1", ["w:name", "@", "i:1"]),
        ("ｶﾅ ー々", ["w:ｶﾅ", "w:ー々"]),
    ])
    func tokens(_ text: String, _ expected: [String]) throws {
        #expect(try LexerTests.kinds(text) == expected)
    }

    @Test(arguments: [
        ("'abc", "unterminated string"),
        ("`abc", "unterminated quoted name"),
        ("a ＝ b", "unexpected character '＝'"),
        ("a # b", "unexpected character '#'"),
    ])
    func lexicalErrors(_ text: String, _ message: String) {
        #expect(throws: Diagnostic.self) { try LexerTests.kinds(text) }
        do { _ = try LexerTests.kinds(text) } catch let error as Diagnostic {
            #expect(error.message == message)
        } catch { Issue.record("unexpected error \(error)") }
    }

    @Test(arguments: [
        ("m | where x = 1", false),
        ("m |", true),
        ("m | select a,", true),
        ("f(a", true),
        ("'open", true),
        ("m | where x = 'done'", false),
        ("", false),
    ])
    func continuation(_ text: String, _ continues: Bool) {
        #expect(Lexer.needsContinuation(text) == continues)
    }
}
