import Foundation
import Testing

@testable import Kensho

@Suite("DisplayWidth")
struct DisplayWidthTests {
    // MARK: Scalars

    @Test(
        "scalar widths",
        arguments: [
            ("A", 1), (" ", 1), ("~", 1),
            ("あ", 2), ("ア", 2), ("漢", 2), ("々", 2),
            ("\u{FF71}", 1),  // ｱ HALFWIDTH KATAKANA LETTER A
            ("\u{FF21}", 2),  // Ａ FULLWIDTH LATIN CAPITAL LETTER A
            ("\u{3000}", 2),  // IDEOGRAPHIC SPACE (F)
            ("\u{3099}", 0),  // COMBINING KATAKANA-HIRAGANA VOICED SOUND MARK (Mn, listed W)
            ("\u{0301}", 0),  // COMBINING ACUTE ACCENT (Mn)
            ("\u{20DD}", 0),  // COMBINING ENCLOSING CIRCLE (Me)
            ("\u{200B}", 0),  // ZERO WIDTH SPACE (Cf)
            ("\u{200D}", 0),  // ZERO WIDTH JOINER (Cf)
            ("\u{FEFF}", 0),  // ZERO WIDTH NO-BREAK SPACE / BOM (Cf)
            ("\u{00}", 0), ("\u{09}", 0), ("\u{1B}", 0), ("\u{7F}", 0),
            ("\u{80}", 0), ("\u{9F}", 0),  // C1 controls
            ("\u{20000}", 2),  // CJK Extension B
            ("\u{3FFFD}", 2),  // unassigned, Plane 3 defaults to W
            ("\u{1F600}", 2),  // 😀
            ("\u{00E9}", 1),  // é precomposed
            ("\u{03B1}", 1),  // α, ambiguous: counted narrow
            ("\u{25CB}", 1),  // ○, ambiguous: counted narrow
            ("\u{1100}", 2),  // first entry of the table
            ("\u{10FFFF}", 1),
        ] as [(Unicode.Scalar, Int)]
    )
    func scalarWidth(scalar: Unicode.Scalar, expected: Int) {
        #expect(DisplayWidth.of(scalar) == expected)
    }

    // MARK: Strings

    @Test(
        "string widths",
        arguments: [
            ("", 0),
            ("A", 1),
            ("hello, world", 12),
            ("あ", 2),
            ("漢字", 4),
            ("佐々木 太郎", 11),
            ("ｱｲｳ", 3),
            ("ＡＢＣ", 6),
            ("abc漢字def", 10),
            ("が", 2),  // precomposed U+304C
            ("か\u{3099}", 2),  // decomposed: か + combining voiced mark
            ("e\u{0301}", 1),
            ("tab\there", 7),
            ("a\u{200B}b", 2),
            ("😀 ok", 5),
            ("\u{20000}x", 3),
            ("東京都 Tokyo", 12),
            ("\u{1B}[31mred", 7),  // escape itself is 0; the rest is printable
        ] as [(String, Int)]
    )
    func stringWidth(string: String, expected: Int) {
        #expect(DisplayWidth.of(string) == expected)
        #expect(DisplayWidth.of(string[...]) == expected)
        var copy = string
        let viaBytes = copy.withUTF8 { DisplayWidth.of(utf8: $0) }
        #expect(viaBytes == expected)
        let viaScalars = string.unicodeScalars.reduce(0) { $0 + DisplayWidth.of($1) }
        #expect(viaScalars == expected)
    }

    @Test("substring of a larger string")
    func substringWidth() {
        let line = "id=42 name=佐々木 太郎 city=東京"
        let name = line[line.range(of: "佐々木 太郎")!]
        #expect(DisplayWidth.of(name) == 11)
    }

    @Test("utf8 byte ranges cut at scalar boundaries")
    func utf8ByteRanges() {
        let bytes = Array("ab漢字cd😀".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(DisplayWidth.of(utf8: buffer) == 10)
            #expect(DisplayWidth.of(utf8: UnsafeBufferPointer(rebasing: buffer[0..<2])) == 2)
            #expect(DisplayWidth.of(utf8: UnsafeBufferPointer(rebasing: buffer[2..<8])) == 4)
            #expect(DisplayWidth.of(utf8: UnsafeBufferPointer(rebasing: buffer[10...])) == 2)
            #expect(DisplayWidth.of(utf8: UnsafeBufferPointer(rebasing: buffer[0..<0])) == 0)
        }
    }

    // MARK: Truncation

    struct TruncateCase: Sendable, CustomTestStringConvertible {
        let input: String
        let width: Int
        let output: String
        let truncated: Bool
        var testDescription: String { "\"\(input)\" to \(width)" }
    }

    @Test(
        "truncate",
        arguments: [
            TruncateCase(input: "hello", width: 10, output: "hello", truncated: false),
            TruncateCase(input: "hello", width: 5, output: "hello", truncated: false),
            TruncateCase(input: "hello", width: 4, output: "hel…", truncated: true),
            TruncateCase(input: "hello", width: 1, output: "…", truncated: true),
            TruncateCase(input: "hello", width: 0, output: "", truncated: true),
            TruncateCase(input: "hello", width: -3, output: "", truncated: true),
            TruncateCase(input: "", width: 0, output: "", truncated: false),
            TruncateCase(input: "漢字", width: 4, output: "漢字", truncated: false),
            // The wide character would straddle the limit: drop it, do not pad.
            TruncateCase(input: "漢字かな", width: 6, output: "漢字…", truncated: true),
            TruncateCase(input: "漢字かな", width: 5, output: "漢字…", truncated: true),
            TruncateCase(input: "漢字かな", width: 4, output: "漢…", truncated: true),
            TruncateCase(input: "漢字かな", width: 2, output: "…", truncated: true),
            TruncateCase(input: "a漢字", width: 4, output: "a漢…", truncated: true),
            TruncateCase(input: "ab漢字", width: 4, output: "ab…", truncated: true),
            TruncateCase(input: "佐々木 太郎", width: 7, output: "佐々木…", truncated: true),
            TruncateCase(input: "佐々木 太郎", width: 8, output: "佐々木 …", truncated: true),
            TruncateCase(input: "佐々木 太郎", width: 9, output: "佐々木 …", truncated: true),
            TruncateCase(input: "佐々木 太郎", width: 10, output: "佐々木 太…", truncated: true),
            TruncateCase(input: "佐々木 太郎", width: 11, output: "佐々木 太郎", truncated: false),
            // Combining marks stay with their base character.
            TruncateCase(input: "か\u{3099}き\u{3099}く", width: 5, output: "か\u{3099}き\u{3099}…", truncated: true),
            TruncateCase(input: "e\u{0301}e\u{0301}e\u{0301}", width: 3, output: "e\u{0301}e\u{0301}e\u{0301}", truncated: false),
            TruncateCase(input: "e\u{0301}e\u{0301}e\u{0301}x", width: 3, output: "e\u{0301}e\u{0301}…", truncated: true),
            TruncateCase(input: "😀😀😀", width: 4, output: "😀…", truncated: true),
        ]
    )
    func truncate(_ testCase: TruncateCase) {
        let (output, truncated) = DisplayWidth.truncate(testCase.input, toWidth: testCase.width)
        #expect(output == testCase.output)
        #expect(truncated == testCase.truncated)
        #expect(DisplayWidth.of(output) <= max(testCase.width, 0))
        #expect(output.unicodeScalars.elementsEqual(testCase.output.unicodeScalars))
    }

    @Test("truncate never exceeds the width", arguments: 0...14)
    func truncateBound(width: Int) {
        for input in ["佐々木 太郎 (さとう)", "a漢b字c😀d", "ｱｲｳｴｵ漢字ABC", "e\u{0301}漢\u{3099}x"] {
            let (output, truncated) = DisplayWidth.truncate(input, toWidth: width)
            #expect(DisplayWidth.of(output) <= width)
            #expect(truncated == (DisplayWidth.of(input) > width))
            if truncated, width > 0 {
                #expect(output.hasSuffix("…"))
                #expect(input.hasPrefix(String(output.dropLast())))
            } else if !truncated {
                #expect(output == input)
            }
        }
    }

    // MARK: Table

    @Test("generated table is sorted, disjoint and merged")
    func tableShape() {
        let ranges = EastAsianWidth.wideRanges
        #expect(!ranges.isEmpty)
        for (previous, next) in zip(ranges, ranges.dropFirst()) {
            #expect(previous.upperBound + 1 < next.lowerBound, "\(previous) then \(next)")
        }
    }

    static let unicodeDataPath = "/usr/share/unicode/EastAsianWidth.txt"

    @Test(
        "table agrees with EastAsianWidth.txt for every code point",
        .enabled(
            if: FileManager.default.fileExists(atPath: unicodeDataPath),
            "needs /usr/share/unicode/EastAsianWidth.txt (Debian package unicode-data)"
        )
    )
    func agreesWithUnicodeData() throws {
        let text = try String(contentsOfFile: Self.unicodeDataPath, encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.contains("EastAsianWidth-\(EastAsianWidth.unicodeVersion).txt"),
                "table is from Unicode \(EastAsianWidth.unicodeVersion); file says \(header)")

        // Code points not listed are N (see the file's @missing line).
        var value = [String](repeating: "N", count: 0x110000)
        for line in text.split(separator: "\n") {
            let data = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            if data.isEmpty { continue }
            let fields = data.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(fields.count == 2, "bad line: \(line)")
            let bounds = fields[0].components(separatedBy: "..")
            let first = try #require(Int(bounds[0], radix: 16))
            let last = try #require(Int(bounds.last!, radix: 16))
            for codePoint in first...last { value[codePoint] = fields[1] }
        }

        var checked = (wide: 0, narrow: 0, other: 0)
        var failures = 0
        for codePoint in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(UInt32(codePoint)) else { continue }  // surrogates
            let expected: Int
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control:
                expected = 0
            default:
                switch value[codePoint] {
                case "W", "F": expected = 2; checked.wide += 1
                case "Na", "H": expected = 1; checked.narrow += 1
                default: expected = 1; checked.other += 1  // N and A
                }
            }
            let actual = DisplayWidth.of(scalar)
            if actual != expected {
                failures += 1
                if failures <= 20 {
                    Issue.record("U+\(String(codePoint, radix: 16, uppercase: true)) is \(value[codePoint]): width \(actual), expected \(expected)")
                }
            }
        }
        #expect(failures == 0)
        // Sanity: the file was actually parsed.
        #expect(checked.wide > 180_000)
        #expect(checked.narrow > 200)
    }
}
