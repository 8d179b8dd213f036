import Testing
@testable import Kensho

@Suite("Parser")
struct ParserTests {
    static func tree(_ text: String) throws -> [String] {
        try Parser.parseAll(SourceText(name: "t", text: text)).map(\.statement.treeDescription)
    }

    @Test(arguments: [
        ("load examples/case/*.csv", "(load \"examples/case/*.csv\")"),
        ("load \"my dir/a b.csv\" as ab with encoding=cp932, delimiter=';', header=false",
         "(load \"my dir/a b.csv\" as ab (encoding \"cp932\") (delimiter \";\") (header \"false\"))"),
        ("load x.tsv with encoding=euc-jp", "(load \"x.tsv\" (encoding \"euc-jp\"))"),
        ("x = m | where a = 1", "(bind x (dataset m) (where (= (col a) 1)))"),
        ("m", "(query (dataset m))"),
        ("x.patrons | count", "(query (dataset x.patrons) (count))"),
        ("m | count by a, b", "(query (dataset m) (count-by a b))"),
        ("m | select a, b as c, lower(d) as e", "(query (dataset m) (select (col a), (col b) as c, (lower (col d)) as e))"),
        ("m | derive y = year(生年月日), z = a || '-' || b",
         "(query (dataset m) (derive y = (year (col 生年月日)), z = (|| (|| (col a) \"-\") (col b))))"),
        ("m | sort a desc, b | limit 10", "(query (dataset m) (sort (col a) desc, (col b)) (limit 10))"),
        ("m | distinct", "(query (dataset m) (distinct))"),
        ("m | distinct a, b", "(query (dataset m) (distinct a b))"),
        ("m | join n on id", "(query (dataset m) (join n on id))"),
        ("m | left join n on a = b", "(query (dataset m) (left join n on a=b))"),
        ("m | semijoin n on a | antijoin o on b", "(query (dataset m) (semijoin n on a) (antijoin o on b))"),
        ("m | where not a = 1 or b in (1, 2) and c is not null",
         "(query (dataset m) (where (or (not (= (col a) 1)) (and (in (col b) 1 2) (is-not-null (col c))))))"),
        ("m | where a + 2 * 3 > -4", "(query (dataset m) (where (> (+ (col a) (* 2 3)) -4)))"),
        ("m | where a like 'x%' and b not like '%y' and c ~ '^0'",
         "(query (dataset m) (where (and (and (like (col a) \"x%\") (not like (col b) \"%y\")) (~ (col c) \"^0\"))))"),
        ("m | where a not in ('x')", "(query (dataset m) (where (not-in (col a) \"x\")))"),
        ("union a, b, c", "(query (union a b c))"),
        ("datasets", "(query (datasets))"),
        ("occurrences person in *", "(query (occurrences person in *))"),
        ("matrix person in a, b", "(query (matrix person in a,b))"),
        ("occurrences person in wh.*", "(query (occurrences person in wh.*))"),
        ("diff before after", "(query (diff before after))"),
        ("diff v1 v2 by person", "(query (diff v1 v2 by person))"),
        ("fingerprint person = name:name + birthdate:date + phone:phone@1",
         "(fingerprint person name:name birthdate:date phone:phone@1)"),
        ("role okazaki.tel = phone", "(role okazaki tel phone)"),
        ("roles okazaki", "(query (roles okazaki))"),
        ("export m | where a = 1 to out.csv as csv", "(export (dataset m) (where (= (col a) 1)) \"out.csv\" as csv)"),
        ("export findings to f.md masked", "(export findings \"f.md\" masked)"),
        ("export fingerprints of m using person to fp.csv", "(export (fingerprints m person) \"fp.csv\")"),
        ("set maxrows = 100", "(set maxrows 100)"),
        ("set key = env:CASE_KEY", "(set key env:CASE_KEY)"),
        ("set operator = \"山田 花子\"", "(set operator \"山田 花子\")"),
        ("attach postgres \"postgresql://u@h/db\" as wh", "(attach postgres \"postgresql://u@h/db\" wh)"),
        ("push m using person to wh with personal=none", "(push m person wh (personal \"none\"))"),
        ("describe m", "(describe m)"),
        ("history", "(history)"),
        ("help", "(help)"),
        ("help load", "(help \"load\")"),
        ("m | tag leaked note \"from vendor\"", "(query (dataset m) (tag leaked \"from vendor\"))"),
        ("m | fingerprint person as fp", "(query (dataset m) (fingerprint person as fp))"),
        ("untag leaked where _line = 3", "(untag leaked (= (col _line) 3))"),
        ("`my data` | where `full name` = 'x'", "(query (dataset my data) (where (= (col full name) \"x\")))"),
        ("LOAD a.csv AS A", "(load \"a.csv\" as A)"),
        ("m | WHERE a = 1 AND b = 2", "(query (dataset m) (where (and (= (col a) 1) (= (col b) 2))))"),
        ("m | where normalize(name, name@1) = 'x'", "(query (dataset m) (where (= (normalize (col name) (col name@1)) \"x\")))"),
    ])
    func statements(_ text: String, _ expected: String) throws {
        #expect(try ParserTests.tree(text) == [expected])
    }

    @Test func severalStatements() throws {
        let text = """
        load a.csv; load b.csv
        -- a comment
        a
          | where x = 1
          | count
        b | count
        """
        #expect(try ParserTests.tree(text) == [
            "(load \"a.csv\")", "(load \"b.csv\")", "(query (dataset a) (where (= (col x) 1)) (count))",
            "(query (dataset b) (count))",
        ])
    }

    @Test func statementTextIsAsTyped() throws {
        let parsed = try Parser.parseAll(SourceText(name: "t", text: "a\n  | count ; b"))
        #expect(parsed.map(\.text) == ["a\n  | count", "b"])
    }

    @Test func recoversAfterAnError() throws {
        var parser = try Parser(SourceText(name: "t", text: "m | wher x\nm | count"))
        #expect(throws: Diagnostic.self) { _ = try parser.nextStatement() }
        #expect(try parser.nextStatement()?.statement.treeDescription == "(query (dataset m) (count))")
        #expect(try parser.nextStatement() == nil)
    }

    /// Golden caret diagnostics, as a person sees them.
    @Test(arguments: [
        ("m | wher x = 1", """
         t:1:5: error: unknown operator 'wher'
         1 | m | wher x = 1
           |     ^^^^ did you mean 'where'?

         """),
        ("m | where", """
         t:1:10: error: expected an expression, found end of input
         1 | m | where
           |          ^

         """),
        ("m | count bye", """
         t:1:11: error: expected '|' or end of statement, found 'bye'
         1 | m | count bye
           |           ^^^

         """),
        ("m | limit x", """
         t:1:11: error: expected a row count, found 'x'
         1 | m | limit x
           |           ^

         """),
        ("氏名 | where 名前 = ＝", """
         t:1:17: error: unexpected character '＝'
         1 | 氏名 | where 名前 = ＝
           |                     ^^ did you mean '='?

         """),
        ("m where x", """
         t:1:3: error: expected '|' or end of statement, found 'where'
         1 | m where x
           |   ^^^^^ missing '|'? did you mean 'where'?

         """),
        ("load x.csv as", """
         t:1:14: error: expected a dataset name, found end of input
         1 | load x.csv as
           |              ^

         """),
        ("export m to", """
         t:1:12: error: expected a path, found end of input
         1 | export m to
           |            ^

         """),
        ("m | join n", """
         t:1:11: error: expected 'on', found end of input
         1 | m | join n
           |           ^

         """),
    ])
    func caretDiagnostics(_ text: String, _ expected: String) throws {
        let source = SourceText(name: "t", text: text)
        do {
            _ = try Parser.parseAll(source)
            Issue.record("expected a syntax error")
        } catch {
            #expect(DiagnosticFormatter().format(error, in: source) == expected)
        }
    }
}
