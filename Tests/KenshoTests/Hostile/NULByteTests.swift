import Foundation
import Testing
@testable import Kensho

/// NUL bytes: in data, in names, in statements.
///
/// A NUL in the first 64 KiB of a text file marks it as binary (or UTF-16 without a
/// byte order mark) and the load is refused at that byte. A NUL further on is data:
/// kept in its cell byte for byte, shown escaped in tables, written as is to CSV and
/// as `\u0000` to JSON. In JSON text a raw NUL is a syntax error (JSON requires control
/// characters escaped); an escaped `\u0000` is a character like any other, also in a
/// key. In a statement, a NUL outside a string is an unexpected character.
@Suite("Hostile input: NUL bytes", .timeLimit(.minutes(1)))
struct NULByteTests {
    /// Rows that push a byte past the first 64 KiB.
    static let filler = String(repeating: "1,filler\n", count: 8_000)

    @Test func aNULEarlyInACSVRefusesItAsBinaryAtThatByte() throws {
        let harness = try SessionHarness.journaled()
        try harness.file("early.csv", bytes: Array("a,b\n1,x".utf8) + [0] + Array("y\n".utf8))
        try harness.expectRefused("load $DIR/early.csv", """
        $DIR/early.csv:2:4: error: this looks like binary data, not text: a NUL byte (byte offset 7)
        note: nothing was loaded; if it is UTF-16 without a byte order mark, load it with encoding=utf-16le

        """)
        try harness.file("header.csv", bytes: Array("a".utf8) + [0] + Array("b,c\n1,2\n".utf8))
        try harness.expectRefused("load $DIR/header.csv", "$DIR/header.csv:1:2: error: this looks like binary data, not text: a NUL byte (byte offset 1)\n")
    }

    @Test func aNULLaterInACSVIsKeptAsData() throws {
        let harness = try SessionHarness(format: .csv)
        try harness.file("late.csv", bytes: Array(("a,b\n" + NULByteTests.filler + "2,x").utf8) + [0] + Array("y\n".utf8))
        #expect(harness.run("load $DIR/late.csv"), "\(harness.errors)")
        expectCSV(harness, "late | where a = 2 | select length(b) as n, _line", "n,_line\n3,8002\n")
        #expect(harness.run("late | where a = 2 | select b"))
        #expect(Array(harness.output.utf8) == Array("b\nx".utf8) + [0] + Array("y\n".utf8))
        harness.session.settings.format = .json
        #expect(harness.run("late | where a = 2 | select b"))
        #expect(harness.output.contains(#"{"b": "x\u0000y"}"#), "\(harness.output)")
        harness.session.settings.format = .table
        #expect(harness.run("late | where a = 2 | select b"))
        #expect(harness.output.contains("x\\u{0}y"), "\(harness.output)")
        // The value can be asked for with the NUL typed into a string.
        harness.session.settings.format = .csv
        expectCSV(harness, "late | where b = 'x\u{0}y' | count", "n\n1\n")
    }

    @Test func aRawNULInJSONIsASyntaxErrorAtItsPlace() throws {
        let harness = try SessionHarness.journaled()
        let records = String(repeating: "{\"a\": \"filler\"},\n", count: 5_000)
        try harness.file("raw.json", bytes: Array("[\(records){\"a\": \"x".utf8) + [0] + Array("y\"}]".utf8))
        try harness.expectRefused("load $DIR/raw.json", """
        $DIR/raw.json:5001:9: error: control character U+0000 inside a string; JSON requires it escaped (byte offset 85009)
        note: nothing was loaded

        """)
        try harness.file("early.json", bytes: Array("[{\"a\": 1}".utf8) + [0] + Array("]".utf8))
        try harness.expectRefused("load $DIR/early.json", "$DIR/early.json:1:10: error: this looks like binary data, not text: a NUL byte (byte offset 9)\n")
    }

    @Test func anEscapedNULInJSONIsACharacterAlsoInAKey() throws {
        let harness = try SessionHarness(format: .csv)
        try harness.file("escaped.json", #"[{"a": "x\u0000y", "k\u0000ey": 1}]"#)
        #expect(harness.run("load $DIR/escaped.json"), "\(harness.errors)")
        expectCSV(harness, "escaped | select length(a) as n, `k\u{0}ey` as key", "n,key\n3,1\n")
    }

    @Test func aNULInAStatementIsAnUnexpectedCharacter() throws {
        let harness = try SessionHarness.journaled()
        try harness.expectRefused("p | select id\u{0}x", """
        query:1:14: error: unexpected character '\\0'
        1 | p | select id\u{0}x
          |              ^

        """)
    }
}
