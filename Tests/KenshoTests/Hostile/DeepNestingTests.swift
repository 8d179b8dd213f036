import Foundation
import Testing
@testable import Kensho

/// Nesting a million deep, in data and in statements. The JSON scanner walks nesting
/// with an explicit stack and refuses more than 256 levels; the expression parser
/// refuses more than 64 brackets, calls, `not`s or minus signs inside one another and
/// trees more than 256 levels deep (a chain of operators is one level per operator).
/// Before those bounds existed, 300 brackets overflowed the stack (in a debug build).
@Suite("Hostile input: deep nesting", .timeLimit(.minutes(1)))
struct DeepNestingTests {
    static let million = 1_000_000

    @Test(arguments: [
        ("array.json", "[" + String(repeating: "[", count: million),
         "$DIR/array.json:1:2: error: record 1 is an array, not an object (byte offset 1)\n"),
        ("value.json", "[{\"a\": " + String(repeating: "[", count: million),
         "$DIR/value.json:1:262: error: nesting deeper than 256 levels (byte offset 261)\n"),
        ("objects.json", "[" + String(repeating: "{\"a\": ", count: million),
         "$DIR/objects.json:1:1532: error: nesting deeper than 256 levels (byte offset 1531)\n"),
        ("envelope.json", "{\"meta\": " + String(repeating: "[", count: million),
         "$DIR/envelope.json:1:265: error: nesting deeper than 256 levels (byte offset 264)\n"),
        ("lines.jsonl", "{\"a\": 1}\n{\"b\": " + String(repeating: "{\"c\": ", count: million),
         "$DIR/lines.jsonl:2:1537: error: nesting deeper than 256 levels (byte offset 1545)\n"),
    ])
    func aMillionOpenBracketsInJSON(_ name: String, _ text: String, _ diagnostic: String) throws {
        let harness = try SessionHarness.journaled()
        try harness.file(name, text)
        try harness.expectRefused("load $DIR/\(name)", diagnostic)
    }

    @Test func jsonAtTheNestingLimitStillLoads() throws {
        let harness = try SessionHarness()
        // The array is level 1, the record 2, and 253 arrays more reach 255; the value inside is 256.
        try harness.file("deep.json", "[{\"a\": " + String(repeating: "[", count: 254) + "1" + String(repeating: "]", count: 254) + "}]")
        #expect(harness.run("load $DIR/deep.json"), "\(harness.errors)")
        expectCSV(harness, "deep | select length(a) as n", "n\n509\n")
    }

    /// Far past the bounds; larger statements only take longer to skip after the error.
    static let tenThousand = 10_000

    @Test(arguments: [
        ("p | where " + String(repeating: "(", count: tenThousand) + "id = 1" + String(repeating: ")", count: tenThousand),
         "query:1:75: error: brackets, function calls, 'not' and '-' nested more than 64 deep"),
        ("p | where " + String(repeating: "not ", count: tenThousand) + "id = 1",
         "query:1:267: error: brackets, function calls, 'not' and '-' nested more than 64 deep"),
        ("p | select " + String(repeating: "- ", count: tenThousand) + "id as x",
         "query:1:140: error: brackets, function calls, 'not' and '-' nested more than 64 deep"),
        ("p | select " + String(repeating: "lower(", count: tenThousand) + "name" + String(repeating: ")", count: tenThousand) + " as x",
         "query:1:401: error: brackets, function calls, 'not' and '-' nested more than 64 deep"),
        ("p | select " + Array(repeating: "id", count: tenThousand).joined(separator: " + ") + " as x",
         "query:1:12: error: an expression more than 256 operators deep"),
        ("p | where " + (0..<tenThousand).map { "id = '\($0)'" }.joined(separator: " or "),
         "query:1:11: error: an expression more than 256 operators deep"),
    ])
    func statementsNestedTenThousandDeepAreSyntaxErrors(_ statement: String, _ diagnostic: String) throws {
        let harness = try SessionHarness.journaled()
        try harness.expectRefused(statement, diagnostic)
        #expect(harness.errors.contains("note: a long list of alternatives fits in one level as: x in (v1, v2, …)"))
    }

    /// The deepest statement both bounds allow parses and runs.
    @Test func statementsAtTheBoundsRun() throws {
        let harness = try SessionHarness.journaled()
        #expect(harness.run("load $DIR/p.csv"), "\(harness.errors)")
        let brackets = String(repeating: "(", count: 32) + String(repeating: "lower(", count: 31) + "name"
            + String(repeating: ")", count: 63)
        // 254 terms: 253 `or`s, `=`, the operands, and the `and` above make 256 levels.
        let chain = (0..<254).map { "id = '\($0)'" }.joined(separator: " or ")
        expectCSV(harness, "p | where \(brackets) = 'aoki' and (\(chain)) | select id", "id\n1\n")
        let values = (0..<100_000).map { "'\($0)'" }.joined(separator: ", ")
        expectCSV(harness, "p | where id in (\(values)) | count", "n\n3\n")
        try harness.expectJournalIntact(lastStatus: "ok")
    }

    @Test func theContinuationCheckOfAMillionOpenBracketsReturns() {
        #expect(Lexer.needsContinuation("p | where " + String(repeating: "(", count: DeepNestingTests.million)))
    }
}
