import Testing
@testable import Kensho

/// Every operator against small hand-checked tables (CSV output, so every byte counts).
@Suite("Operators")
struct OperatorTests {
    static let people = """
    id,name,city,age
    1,Aoki,Tokyo,34
    2,Baba,Osaka,
    3,Chiba,Tokyo,28
    4,Doi,Nagoya,45
    5,Aoki,Osaka,34

    """
    static let orders = """
    person_id,item
    1,book
    1,pen
    3,cup
    9,bag

    """

    static func harness() throws -> SessionHarness {
        let harness = try SessionHarness()
        try harness.file("people.csv", people)
        try harness.file("orders.csv", orders)
        #expect(harness.run("load $DIR/people.csv; load $DIR/orders.csv"))
        return harness
    }

    @Test(arguments: [
        ("people | where age > 30 | select id", "id\n1\n4\n5\n"),
        ("people | where city = 'Tokyo' and age < 30 | select id", "id\n3\n"),
        ("people | where age is null | select id", "id\n2\n"),
        ("people | where age is not null and not (city = 'Tokyo') | select id", "id\n4\n5\n"),
        ("people | where name like 'A%' | select id", "id\n1\n5\n"),
        ("people | where name not like '%a' | select id", "id\n1\n4\n5\n"),
        ("people | where name ~ '^[AB]' | select id", "id\n1\n2\n5\n"),
        ("people | where city in ('Osaka', 'Nagoya') | select id", "id\n2\n4\n5\n"),
        ("people | where id not in ('1', '2', '3') | select id", "id\n4\n5\n"),
        ("people | where age >= 34 or age is null | select id", "id\n1\n2\n4\n5\n"),
        ("people | where age != 34 | select id", "id\n3\n4\n"),
        ("people | where 1 = 1 | count", "n\n5\n"),
        ("people | where false | count", "n\n0\n"),
    ])
    func whereFilters(_ query: String, _ expected: String) throws {
        expectCSV(try OperatorTests.harness(), query, expected)
    }

    @Test(arguments: [
        ("people | select name, age * 2 as twice | limit 2", "name,twice\nAoki,68\nBaba,\n"),
        ("people | select id, name as who, city | limit 1", "id,who,city\n1,Aoki,Tokyo\n"),
        ("people | select age / 4 as quarter | limit 1", "quarter\n8.5\n"),
        ("people | select age % 10 as r, -age as neg | limit 1", "r,neg\n4,-34\n"),
        ("people | select name || '@' || city as at | limit 1", "at\nAoki@Tokyo\n"),
        ("people | where id = '2' | select name || age as x", "x\n\n"),
        ("people | select _line, _dataset | limit 2", "_line,_dataset\n2,people\n3,people\n"),
        ("people | derive decade = age / 10, older = age + 1 | select id, decade, older | limit 2",
         "id,decade,older\n1,3.4,35\n2,,\n"),
        ("people | derive city = lower(city) | select city | limit 1", "city\ntokyo\n"),
    ])
    func projections(_ query: String, _ expected: String) throws {
        expectCSV(try OperatorTests.harness(), query, expected)
    }

    @Test(arguments: [
        ("people | sort age desc | select id", "id\n4\n1\n5\n3\n2\n"),
        ("people | sort age | select id", "id\n3\n1\n5\n4\n2\n"),
        ("people | sort name, id desc | select id", "id\n5\n1\n2\n3\n4\n"),
        ("people | sort city | select id", "id\n4\n2\n5\n1\n3\n"),
        ("people | sort age desc | limit 2 | select id", "id\n4\n1\n"),
        ("people | limit 0 | count", "n\n0\n"),
        ("people | limit 99 | count", "n\n5\n"),
    ])
    func sortingAndLimits(_ query: String, _ expected: String) throws {
        expectCSV(try OperatorTests.harness(), query, expected)
    }

    @Test(arguments: [
        ("people | count", "n\n5\n"),
        ("people | count by city", "city,n\nOsaka,2\nTokyo,2\nNagoya,1\n"),
        ("people | count by name, age", "name,age,n\nAoki,34,2\nBaba,,1\nChiba,28,1\nDoi,45,1\n"),
        ("people | count by age", "age,n\n34,2\n28,1\n45,1\n,1\n"),
        ("people | distinct city", "city\nTokyo\nOsaka\nNagoya\n"),
        ("people | distinct name, age", "name,age\nAoki,34\nBaba,\nChiba,28\nDoi,45\n"),
        ("people | select name | distinct", "name\nAoki\nBaba\nChiba\nDoi\n"),
        ("people | select name | distinct | select _line", "_line\n2\n3\n4\n5\n"),
        ("people | count by city | where n > 1 | count", "n\n2\n"),
    ])
    func grouping(_ query: String, _ expected: String) throws {
        expectCSV(try OperatorTests.harness(), query, expected)
    }

    @Test(arguments: [
        ("people | join orders on id = person_id | select id, name, item",
         "id,name,item\n1,Aoki,book\n1,Aoki,pen\n3,Chiba,cup\n"),
        ("people | left join orders on id = person_id | select id, item",
         "id,item\n1,book\n1,pen\n2,\n3,cup\n4,\n5,\n"),
        ("people | semijoin orders on id = person_id | select id", "id\n1\n3\n"),
        ("people | antijoin orders on id = person_id | select id", "id\n2\n4\n5\n"),
        ("orders | antijoin people on person_id = id", "person_id,item\n9,bag\n"),
        ("people | join orders on id = person_id | select _line, item", "_line,item\n2,book\n2,pen\n4,cup\n"),
        ("people | join people on name | select id, people.id", "id,people.id\n1,1\n1,5\n2,2\n3,3\n4,4\n5,1\n5,5\n"),
        ("people | join people on name and age | count", "n\n6\n"),
    ])
    func joins(_ query: String, _ expected: String) throws {
        expectCSV(try OperatorTests.harness(), query, expected)
    }

    @Test func unionAddsProvenance() throws {
        let harness = try OperatorTests.harness()
        expectCSV(harness, "union people, orders | select _dataset, _line, id, item | sort _dataset desc, _line | limit 3",
                  "_dataset,_line,id,item\npeople,2,1,\npeople,3,2,\npeople,4,3,\n")
        expectCSV(harness, "union people, orders | count by _dataset", "_dataset,n\npeople,5\norders,4\n")
        expectCSV(harness, "c = people | count by city\nunion c, c | select _dataset, city | limit 1",
                  "_dataset,city\nc,Osaka\n")
    }

    @Test(arguments: [
        ("people | select lower(name) as l, upper(city) as u | limit 1", "l,u\naoki,TOKYO\n"),
        ("people | select length(name) as n, substr(name, 2, 2) as s | limit 1", "n,s\n4,ok\n"),
        ("people | where id = '2' | select coalesce(age, 0) as a", "a\n0\n"),
        ("people | select text(age) || '歳' as t | limit 1", "t\n34歳\n"),
        ("people | select int('12') + 1 as i, float('2.5') as f | limit 1", "i,f\n13,2.5\n"),
        ("people | select round(age / 3, 1) as r, abs(0 - age) as a | limit 1", "r,a\n11.3,34\n"),
        ("people | select replace(city, 'o', '0') as c | limit 1", "c\nT0ky0\n"),
        ("people | select trim('  x ') as t | limit 1", "t\nx\n"),
        ("people | select year('1975-04-03') as y | limit 1", "y\n1975\n"),
    ])
    func functions(_ query: String, _ expected: String) throws {
        expectCSV(try OperatorTests.harness(), query, expected)
    }

    @Test func bindingKeepsAResult() throws {
        let harness = try OperatorTests.harness()
        #expect(harness.run("tokyo = people | where city = 'Tokyo'"))
        #expect(harness.errors == "tokyo: 2 rows\n")
        expectCSV(harness, "tokyo | select id, _dataset", "id,_dataset\n1,people\n3,people\n")
    }

    @Test func japaneseText() throws {
        let harness = try SessionHarness()
        try harness.file("jp.csv", "氏名,フリガナ\n佐々木　太郎,ササキ　タロウ\n髙橋 一郎,タカハシ イチロウ\n")
        expectCSV(harness, "load $DIR/jp.csv\njp | where 氏名 like '佐々木%' | select length(氏名) as n, substr(氏名, 1, 3) as s",
                  "n,s\n6,佐々木\n")
    }
}

/// Errors a user can make in a pipeline, each with its place and a suggestion.
@Suite("Evaluation errors")
struct EvaluationErrorTests {
    @Test(arguments: [
        ("people | where emial = 'x'", """
         query:1:16: error: unknown column 'emial'
         1 | people | where emial = 'x'
           |                ^^^^^ columns: id, name, city, age

         """),
        ("people | where nme = 'x'", """
         query:1:16: error: unknown column 'nme'
         1 | people | where nme = 'x'
           |                ^^^ did you mean 'name'?

         """),
        ("peple | count", """
         query:1:1: error: unknown dataset 'peple'
         1 | peple | count
           | ^^^^^ did you mean 'people'?

         """),
        ("people | where name = 3", """
         query:1:16: error: cannot compare text with an integer
         1 | people | where name = 3
           |                ^^^^^^^^ 'name' is text; compare with a string: '3'

         """),
        ("people | where name + 1 > 2", """
         query:1:16: error: '+' needs numbers, but this is text
         1 | people | where name + 1 > 2
           |                ^^^^ use || to join text, or int(x) to read a number

         """),
        ("people | where age", """
         query:1:16: error: 'where' needs a condition, but this is an integer
         1 | people | where age
           |                ^^^ compare it: = != < > like ~ in, or 'is null'

         """),
        ("people | where age = null", """
         query:1:16: error: comparing with null is never true
         1 | people | where age = null
           |                ^^^^^^^^^^ use 'is null'

         """),
        ("people | select lowr(name)", """
         query:1:17: error: unknown function 'lowr'
         1 | people | select lowr(name)
           |                 ^^^^ did you mean 'lower'?

         """),
        ("people | select substr(name)", """
         query:1:17: error: 'substr' takes 2 to 3 arguments, not 1
         1 | people | select substr(name)
           |                 ^^^^^^^^^^^^ substr(text, start[, length]), counting characters from 1

         """),
        ("people | join orders on id", """
         query:1:25: error: unknown column 'id' in 'orders'
         1 | people | join orders on id
           |                         ^^ columns: person_id, item

         """),
        ("people | where name ~ '('", """
         query:1:23: error: invalid regular expression: expected ')'
         1 | people | where name ~ '('
           |                       ^^^

         """),
    ])
    func diagnostics(_ query: String, _ expected: String) throws {
        expectDiagnostic(try OperatorTests.harness(), query, expected)
    }

    @Test func failedStatementLeavesTheSessionAsItWas() throws {
        let harness = try OperatorTests.harness()
        #expect(!harness.run("x = people | where nope = 1"))
        #expect(!harness.run("x | count"))
        #expect(harness.errors.contains("unknown dataset 'x'"))
    }

    /// 100,000 rows with one key joined to themselves ask for 10 billion rows: refused
    /// with the numbers before any row is made, and the session goes on.
    @Test func aJoinTooLargeForThisMachineIsRefusedUpFront() throws {
        let harness = try SessionHarness()
        var csv = "k,v\n"
        for i in 0..<100_000 { csv += "same,\(i)\n" }
        try harness.file("w.csv", csv)
        #expect(harness.run("load $DIR/w.csv"))
        #expect(!harness.run("w | join w on k | count"))
        #expect(harness.errors.contains("error: the join would produce 10,000,000,000 rows"))
        #expect(harness.run("w | semijoin w on k | count"))
    }
}

@Suite("Cancellation")
struct CancellationTests {
    @Test func aCancelledStatementFailsAndChangesNothing() throws {
        let harness = try OperatorTests.harness()
        harness.session.cancellation.set()
        #expect(!harness.run("tokyo = people | where city = 'Tokyo' | sort name"))
        #expect(harness.errors == "cancelled\n")
        #expect(harness.session.catalog["tokyo"] == nil)
        // The flag is cleared once the statement has stopped: the next one runs.
        expectCSV(harness, "people | count", "n\n5\n")
    }

    @Test func aCancelledLoadAddsNoDataset() throws {
        let harness = try SessionHarness()
        var csv = "id,name\n"
        for i in 0..<40_000 { csv += "\(i),name \(i)\n" }
        try harness.file("big.csv", csv)
        harness.session.cancellation.set()
        #expect(!harness.run("load $DIR/big.csv"))
        #expect(harness.errors == "cancelled\n")
        #expect(harness.session.catalog["big"] == nil)
    }
}
