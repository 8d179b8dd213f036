import Testing
@testable import Kensho

/// JSON and JSON Lines loading, checked through what a user sees.
@Suite("JSON loading")
struct JSONLoaderTests {
    /// Loads `text` as `file` (with `options`) and runs `query`; returns success, stdout, stderr.
    static func load(_ text: String, file: String = "t.json", options: String = "",
                     query: String = "t | select *") throws -> (Bool, String, String) {
        try load(bytes: Array(text.utf8), file: file, options: options, query: query)
    }

    static func load(bytes: [UInt8], file: String = "t.json", options: String = "",
                     query: String = "t | select *") throws -> (Bool, String, String) {
        let harness = try SessionHarness()
        try harness.file(file, bytes: bytes)
        let ok = harness.run("load $DIR/\(file)\(options.isEmpty ? "" : " with " + options)\n\(query)")
        return (ok, harness.output, harness.errors)
    }

    /// Loads `text` and expects `query` to print exactly `csv`.
    static func expectTable(_ text: String, file: String = "t.json", options: String = "", query: String,
                            _ csv: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (ok, output, errors) = try load(text, file: file, options: options, query: query)
        #expect(ok, "\(errors)", sourceLocation: sourceLocation)
        #expect(output == csv, sourceLocation: sourceLocation)
    }

    /// Loads `text` and expects the load to fail with `diagnostic` as the first line.
    static func expectError(_ text: String, file: String = "t.json", options: String = "", _ diagnostic: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (ok, _, errors) = try load(text, file: file, options: options, query: "")
        #expect(!ok, "the load should have failed", sourceLocation: sourceLocation)
        #expect(errors.split(separator: "\n").first.map(String.init) == diagnostic, "\(errors)",
                sourceLocation: sourceLocation)
    }

    // MARK: - Shapes, flattening and columns

    @Test func nestedObjectsFlattenArraysStayJSONAndKeysUnite() throws {
        let json = """
        [
          {"id": 1, "name": "山田 太郎", "address": {"city": "岡崎市", "zip": "444-0001"}, "tags": ["a", "b"]},
          {"id": 2, "name": "佐藤", "tel": "0564-22-1234", "address": {"city": "蛯原"}},
          {"id": 3, "name": null, "tags": [ 1, {"x": [true, null]} ], "extra": {}}
        ]
        """
        try JSONLoaderTests.expectTable(json, query: "t | select *", """
        id,name,address.city,address.zip,tags,tel,extra
        1,山田 太郎,岡崎市,444-0001,"[""a"",""b""]",,
        2,佐藤,蛯原,,,0564-22-1234,
        3,,,,"[1,{""x"":[true,null]}]",,{}

        """)
        try JSONLoaderTests.expectTable(json, query: "t | where `address.city` = '岡崎市' | select name, _line",
                                        "name,_line\n山田 太郎,2\n")
    }

    @Test func lineIsWhereTheRecordOpens() throws {
        let json = "[\n  {\n    \"a\": 1\n  },\n  {\"a\": 2}, {\"a\": 3}\n]\n"
        try JSONLoaderTests.expectTable(json, query: "t | select a, _line", "a,_line\n1,2\n2,5\n3,5\n")
    }

    @Test func typesAreDecidedOverEveryValue() throws {
        let json = """
        [{"n": 1, "f": 1.5, "b": true, "m": 1, "s": "7", "big": 12345678901234567890, "e": 1e5, "z": 1.50, "mb": true, "nb": 9223372036854775807},
         {"n": -2, "f": 2.25, "b": false, "m": "two", "s": "8", "big": 1, "e": 2, "z": 2.5, "mb": 1, "nb": 9999999999999999999},
         {"n": null, "b": null, "f": 3}]
        """
        let harness = try SessionHarness()
        try harness.file("t.json", json)
        #expect(harness.run("load $DIR/t.json\ndescribe t"), "\(harness.errors)")
        #expect(harness.output.hasPrefix("""
        column,type,filled,null,distinct,note
        n,integer,2,1,3,
        f,float,3,0,3,
        b,boolean,2,1,3,
        m,text,2,1,3,
        s,text,2,1,3,
        big,text,2,1,3,
        e,text,2,1,3,
        z,text,2,1,3,
        mb,text,2,1,3,
        nb,text,2,1,3,
        """))
        expectCSV(harness, "t | select m, big, e, z, mb, nb | limit 2",
                  "m,big,e,z,mb,nb\n1,12345678901234567890,1e5,1.50,true,9223372036854775807\ntwo,1,2,2.5,1,9999999999999999999\n")
        expectCSV(harness, "t | where b | select n + 1 as k, f * 2 as g", "k,g\n2,3.0\n")
    }

    @Test func escapesSurrogatePairsAndJapanese() throws {
        let json = #"""
        [{"s": "quote \" backslash \\ slash \/ \b\f\n\r\t end",
          "u": "\u00e9\u6c0F\u540d \ud83d\ude00 \u0041",
          "\u6c0f\u540d": "直接 日本語 😀 ｶﾞ"}]
        """#
        let harness = try SessionHarness()
        try harness.file("t.json", json)
        #expect(harness.run("load $DIR/t.json"), "\(harness.errors)")
        let table = try #require(harness.session.catalog["t"]).table
        let s = try #require(table.column(named: "s")?.value(at: 0).text)
        #expect(Array(s.unicodeScalars) == Array("quote \" backslash \\ slash / \u{8}\u{C}\n\r\t end".unicodeScalars))
        expectCSV(harness, "t | select u, 氏名, length(u) as n",
                  "u,氏名,n\né氏名 😀 A,直接 日本語 😀 ｶﾞ,7\n")
    }

    @Test func anEnvelopeObjectNamesItsKey() throws {
        let json = #"{"exported": "2010-09-01", "count": 2, "patrons": [{"a": 1}, {"a": 2}], "tags": ["x"]}"#
        let (ok, output, errors) = try JSONLoaderTests.load(json, query: "t | select a, _line")
        #expect(ok, "\(errors)")
        #expect(output == "a,_line\n1,1\n2,1\n")
        #expect(errors.contains("json, records from key 'patrons'; other keys not loaded: 'exported', 'count', 'tags';"),
                "\(errors)")
    }

    @Test func twoArraysNeedTheTableOption() throws {
        let json = #"{"patrons": [{"a": 1}], "loans": [{"b": 2}, {"b": 3}]}"#
        try JSONLoaderTests.expectError(json,
            "$DIR/t.json:1:25: error: the top-level object holds more than one array of records: 'patrons' and 'loans' (byte offset 24)")
        try JSONLoaderTests.expectTable(json, options: "table=loans", query: "t | select b", "b\n2\n3\n")
        try JSONLoaderTests.expectError(json, options: "table=loan",
            "$DIR/t.json:1:1: error: the top-level object has no key 'loan'; did you mean 'loans'? (byte offset 0)")
    }

    @Test(arguments: [
        ("t.jsonl", ""), ("t.ndjson", ""), ("t.txt", "format=jsonl"),
    ])
    func jsonLinesSkipBlankLines(_ file: String, _ options: String) throws {
        let jsonl = "{\"a\": 1}\n   \n{\"a\": 2, \"b\": \"x\"}\r\n\n{\"a\": 3}"
        try JSONLoaderTests.expectTable(jsonl, file: file, options: options, query: "t | select a, b, _line",
                                        "a,b,_line\n1,,1\n2,x,3\n3,,5\n")
    }

    @Test func formatOptionOverridesTheExtension() throws {
        try JSONLoaderTests.expectTable("[{\"a\": true}]", file: "t.data", options: "format=json",
                                        query: "t | select a", "a\ntrue\n")
    }

    @Test func emptyInputs() throws {
        try JSONLoaderTests.expectTable("[ ]", query: "t | count", "n\n0\n")
        try JSONLoaderTests.expectTable("\n\n", file: "t.jsonl", query: "t | count", "n\n0\n")
        try JSONLoaderTests.expectTable("[{}, {}]", query: "t | select _line", "_line\n1\n1\n")
    }

    @Test func byteOrderMarkIsAllowedAndNotAColumn() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let (ok, output, errors) = try JSONLoaderTests.load(bytes: bom + Array("[{\"名前\": \"佐藤\"}]".utf8),
                                                            query: "t | select 名前")
        #expect(ok, "\(errors)")
        #expect(output == "名前\n佐藤\n")
        // UTF-16 (with its byte order mark) is converted first, as for CSV.
        let utf16: [UInt8] = [0xFF, 0xFE] + "[{\"名前\": \"鈴木\"}]".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (ok16, output16, errors16) = try JSONLoaderTests.load(bytes: utf16, query: "t | select 名前")
        #expect(ok16, "\(errors16)")
        #expect(output16 == "名前\n鈴木\n")
        #expect(errors16.contains("utf-16 (auto, confidence 1.00)"), "\(errors16)")
        try JSONLoaderTests.expectError(String(decoding: bom + Array("[{\"a\": 01}]".utf8), as: UTF8.self),
            "$DIR/t.json:1:8: error: invalid number: a leading zero must not be followed by digits (byte offset 10)")
    }

    // MARK: - Errors

    @Test func syntaxErrorNamesFileLineAndColumn() throws {
        let json = "[\n  {\"a\": 1},\n  {\"a\": 2 \"b\": 3}\n]\n"
        let (ok, _, errors) = try JSONLoaderTests.load(json)
        #expect(!ok)
        #expect(errors == """
        $DIR/t.json:3:11: error: expected ',' or '}' after a value in an object, found '"' (byte offset 24)
        note: nothing was loaded

        """)
    }

    @Test(arguments: [
        (#"[{"a": 01}]"#, "1:8: error: invalid number: a leading zero must not be followed by digits (byte offset 7)"),
        (#"[{"a": 1.}]"#, "1:10: error: invalid number: expected a digit after '.', found '}' (byte offset 9)"),
        (#"[{"a": "x\qy"}]"#, "1:10: error: invalid escape '\\q' in a string (byte offset 9)"),
        (#"[{"a": "\ud800"}]"#, "1:9: error: lone surrogate \\uD800: a high surrogate must be followed by a low one (\\uDC00-\\uDFFF) (byte offset 8)"),
        (#"[{"a": "x\udc00"}]"#, "1:10: error: lone surrogate \\uDC00: a low surrogate without a high one before it (byte offset 9)"),
        (#"[{"a": "\ud83dA"}]"#, "1:9: error: lone surrogate \\uD83D: a high surrogate must be followed by a low one (\\uDC00-\\uDFFF) (byte offset 8)"),
        (#"[{"a": "\u12G4"}]"#, "1:9: error: invalid \\u escape: expected four hex digits (byte offset 8)"),
        ("[{\"a\": \"x\ty\"}]", "1:10: error: control character U+0009 inside a string; JSON requires it escaped (byte offset 9)"),
        ("[{\"a\": \"0123456789\u{1F}x\"}]", "1:19: error: control character U+001F inside a string; JSON requires it escaped (byte offset 18)"),
        ("[{\"a\": \"0123456789\nx\"}]", "1:19: error: control character U+000A inside a string; JSON requires it escaped as \\n (or the string's closing quote is missing) (byte offset 18)"),
        (#"[{"a": "open}]"#, "1:8: error: unterminated string: the quote opened here is never closed (byte offset 7)"),
        (#"[{"a": 1,}]"#, "1:10: error: expected a key after ',', found '}' (a trailing comma) (byte offset 9)"),
        (#"[{"a": 1},]"#, "1:11: error: expected a record after ',', found ']' (a trailing comma) (byte offset 10)"),
        (#"[{"a": [1,]}]"#, "1:11: error: expected a value after ',', found ']' (a trailing comma) (byte offset 10)"),
        (#"[{"a": tru}]"#, "1:8: error: unexpected 'tru': expected a value (a string, number, object, array, true, false or null) (byte offset 7)"),
        (#"[{"a" 1}]"#, "1:7: error: expected ':' after a key, found '1' (byte offset 6)"),
        (#"[{a: 1}]"#, "1:3: error: expected a string key in an object, found 'a' (byte offset 2)"),
        (#"[{"a": 1}"#, "1:10: error: expected ',' or ']' after a record, found the end of the file (byte offset 9)"),
        (#"[{"a": 1}] x"#, "1:12: error: unexpected 'x' after the end of the JSON value (byte offset 11)"),
        (#"[{"a": 1, "a": 2}]"#, "1:11: error: duplicate key 'a' in one record (byte offset 10)"),
        (#"[{"a.b": 1, "a": {"b": 2}}]"#, "1:19: error: duplicate key 'a.b' in one record (byte offset 18)"),
        (#"[{"a": "é"} ☃]"#, "1:13: error: expected ',' or ']' after a record, found '☃' (byte offset 13)"),
        ("", "1:1: error: expected an array of records (or an object holding one), found the end of the file (byte offset 0)"),
        ("{\"a\": 1}\n{\"a\": 2}\n", "1:1: error: the top-level object holds no array of records (byte offset 0)"),
    ])
    func syntaxErrors(_ json: String, _ expected: String) throws {
        try JSONLoaderTests.expectError(json, "$DIR/t.json:" + expected)
    }

    @Test func jsonLinesInAJSONFileGetAHint() throws {
        let (ok, _, errors) = try JSONLoaderTests.load("{\"a\": 1}\n{\"a\": 2}\n")
        #expect(!ok)
        #expect(errors.contains("note: a file of one object per line is JSON Lines: load it with format=jsonl"), "\(errors)")
    }

    @Test(arguments: [
        ("[{\"a\": 1}, 2]", "t.json", "$DIR/t.json:1:12: error: record 2 is a number, not an object (byte offset 11)"),
        ("[\"x\"]", "t.json", "$DIR/t.json:1:2: error: record 1 is a string, not an object (byte offset 1)"),
        ("{\"a\": 1}\n[1, 2]\n", "t.jsonl", "$DIR/t.jsonl:2:1: error: record 2 is an array, not an object (byte offset 9)"),
        ("{\"a\": 1}\nnull\n", "t.jsonl", "$DIR/t.jsonl:2:1: error: record 2 is null, not an object (byte offset 9)"),
        ("{\"a\": 1} {\"a\": 2}\n", "t.jsonl",
         "$DIR/t.jsonl:1:10: error: expected the end of the line after a record, found '{' (byte offset 9)"),
    ])
    func recordsMustBeObjects(_ text: String, _ file: String, _ expected: String) throws {
        try JSONLoaderTests.expectError(text, file: file, expected)
    }

    /// Nesting: up to 256 levels load; deeper is refused at the bracket that went too
    /// deep, on every path through the scanner, without recursion (100,000 brackets).
    @Test func nestingAtTheLimitLoads() throws {
        // The array is level 1, the record 2, and 254 more objects reach 256.
        let json = "[" + String(repeating: "{\"a\":", count: 255) + "1" + String(repeating: "}", count: 255) + "]"
        let dotted = Array(repeating: "a", count: 255).joined(separator: ".")
        try JSONLoaderTests.expectTable(json, query: "t | select `\(dotted)` as v", "v\n1\n")
    }

    @Test(arguments: [
        ("[" + String(repeating: "{\"a\":", count: 256) + "1" + String(repeating: "}", count: 256) + "]", "t.json",
         "nesting deeper than 256 levels"),
        ("[{\"a\": " + String(repeating: "[", count: 100_000), "t.json", "nesting deeper than 256 levels"),
        ("{\"a\": " + String(repeating: "[", count: 100_000), "t.json", "nesting deeper than 256 levels"),
        (String(repeating: "{\"a\":", count: 100_000), "t.jsonl", "nesting deeper than 256 levels"),
        (String(repeating: "[", count: 100_000), "t.json", "record 1 is an array, not an object"),
        (String(repeating: "[", count: 100_000), "t.jsonl", "record 1 is an array, not an object"),
    ])
    func deepNestingIsRefused(_ text: String, _ file: String, _ message: String) throws {
        let (ok, _, errors) = try JSONLoaderTests.load(text, file: file, query: "")
        #expect(!ok)
        #expect(errors.hasPrefix("$DIR/\(file):1:"), "\(errors.prefix(300))")
        #expect(errors.contains("error: \(message)"), "\(errors.prefix(300))")
    }

    @Test func invalidUTF8IsRefusedWithItsPlace() throws {
        let bytes = Array("[{\"a\": \"".utf8) + [0xE6, 0x97] + Array("\"}]".utf8)
        let (ok, _, errors) = try JSONLoaderTests.load(bytes: bytes, options: "encoding=utf-8", query: "")
        #expect(!ok)
        #expect(errors.hasPrefix("$DIR/t.json:1:9: error: bytes that are not valid utf-8 (E6 97 22 7D) (byte offset 8)\n"),
                "\(errors)")
    }

    @Test func optionsForOtherFormatsAreRefused() throws {
        let (ok, _, errors) = try JSONLoaderTests.load("[]", options: "delimiter=';'", query: "")
        #expect(!ok)
        #expect(errors.contains("error: option 'delimiter' does not apply to format json"), "\(errors)")
    }
}
