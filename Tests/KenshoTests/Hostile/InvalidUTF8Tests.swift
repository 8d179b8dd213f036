import Foundation
import Testing
@testable import Kensho

/// Bytes that are not UTF-8 where kensho expects text: statements, column names, file
/// names. None is repaired to U+FFFD behind the user's back — that would change a
/// string literal, a path or a name silently — each is refused with its place. (The
/// shell's own readers are tested on the binary: `HostileStatementTests`.)
@Suite("Hostile input: bytes that are not UTF-8", .timeLimit(.minutes(1)))
struct InvalidUTF8Tests {
    @Test func aStatementWithShiftJISBytesIsRefusedWithItsPlace() throws {
        let bytes = Array("p | where name = '".utf8) + [0x93, 0x8C, 0x8B, 0x9E] + Array("'".utf8)
        #expect(throws: Diagnostic.self) { try StatementBytes.text(bytes, name: "stdin", line: 3) }
        do {
            _ = try StatementBytes.text(bytes, name: "stdin", line: 3)
        } catch {
            #expect(DiagnosticFormatter().format(error, in: nil) == """
            stdin:3:19: error: bytes that are not valid utf-8 (93 8C 8B 9E) in a statement
            note: nothing was run: kensho reads statements as UTF-8
            note: text saved or typed in Shift_JIS can be converted with: iconv -f CP932 -t UTF-8

            """)
        }
        #expect(try StatementBytes.text(Array("p | where name = '東京'".utf8), name: "stdin", line: 1) == "p | where name = '東京'")
    }

    @Test func aColumnNameThatIsNotUTF8FailsTheLoadAtItsByte() throws {
        let harness = try SessionHarness.journaled()
        try harness.file("h.csv", bytes: Array("id,".utf8) + [0x83, 0x4A, 0x83, 0x69] + Array("x,名前\n1,2,山田\n".utf8))
        try harness.expectRefused("load $DIR/h.csv with encoding=utf-8", """
        $DIR/h.csv:1:4: error: bytes that are not valid utf-8 (83 4A 83 69) (byte offset 3)
        note: nothing was loaded

        """)
    }

    @Test func aGlobMatchingANameThatIsNotUTF8FailsNamingIt() throws {
        let harness = try SessionHarness.journaled()
        try harness.tree("dumps", [("plain.csv", "a\n1\n")])
        try harness.file(in: "dumps", rawName: Array("東京".data(using: .shiftJIS)!) + Array(".csv".utf8), "a\n2\n")
        try harness.expectRefused("load \"$DIR/dumps/*.csv\"", """
        $DIR/dumps/*.csv: error: '$DIR/dumps/*.csv' matches '$DIR/dumps/東京.csv', whose name is not UTF-8 (shown as read in cp932)
        note: nothing was loaded: kensho opens files by UTF-8 names
        note: load a copy renamed to UTF-8 (convmv -f cp932 -t utf-8); the folder loaded as a tree (load DIR) lists the original by its raw name, with the sha256 to cite

        """)
        // The tree load lists it by its bytes, to cite.
        expectCSV(harness, "load $DIR/dumps\ndumps | select path, _path_hex", "path,_path_hex\nplain.csv,706c61696e2e637376\n東京.csv,938c8b9e2e637376\n")
    }
}
