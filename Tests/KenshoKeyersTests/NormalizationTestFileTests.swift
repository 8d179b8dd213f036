import Foundation
import Testing

@testable import KenshoKeyers

/// Unicode's own NFKC conformance vectors, NormalizationTest.txt from the Debian package
/// unicode-data, read through /bin/bzcat since Debian ships it compressed.
enum NormalizationTestFile {
    static let path = "/usr/share/unicode/NormalizationTest.txt.bz2"
    static let decompressor = "/bin/bzcat"

    static var isAvailable: Bool {
        FileManager.default.isReadableFile(atPath: path) && FileManager.default.isExecutableFile(atPath: decompressor)
    }

    /// One test line: columns c1…c5, each a sequence of scalars, and its line number.
    struct Line {
        var number: Int
        var columns: [[Unicode.Scalar]]
    }

    static func lines() throws -> [Line] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: decompressor)
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        var lines: [Line] = []
        for (offset, text) in String(decoding: data, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .enumerated() {
            let content = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard !content.isEmpty, !content.hasPrefix("@") else { continue }
            let fields = content.split(separator: ";", omittingEmptySubsequences: false).prefix(5)
            let columns = fields.map { field in
                field.split(separator: " ").map { Unicode.Scalar(UInt32($0, radix: 16)!)! }
            }
            lines.append(Line(number: offset + 1, columns: columns))
        }
        return lines
    }
}

@Suite("NFKC against Unicode's NormalizationTest.txt")
struct NormalizationTestFileTests {
    @Test(
        "c4 == NFKC(c1) == … == NFKC(c5) on every line",
        .enabled(
            if: NormalizationTestFile.isAvailable,
            "needs \(NormalizationTestFile.path) (apt-get install unicode-data) and \(NormalizationTestFile.decompressor)"
        )
    )
    func everyLine() throws {
        let lines = try NormalizationTestFile.lines()
        // Unicode 15.0 has 19,074 lines with test data (Part 0 to Part 3).
        #expect(lines.count > 18_000)
        var failures: [String] = []
        for line in lines {
            #expect(line.columns.count == 5, "line \(line.number)")
            let expected = line.columns[3]
            for (column, source) in line.columns.enumerated() {
                var text = String.UnicodeScalarView()
                text.append(contentsOf: source)
                let normalized = Array(Normalization.nfkc(String(text)).unicodeScalars)
                if normalized != expected {
                    failures.append(
                        "line \(line.number) c\(column + 1): \(scalarCodes(String(text))) gave "
                            + "\(scalarCodes(String(String.UnicodeScalarView(normalized)))), "
                            + "expected \(scalarCodes(String(String.UnicodeScalarView(expected))))")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(10).joined(separator: "\n"))")
    }

    /// The two lines Foundation gets wrong on its own, kept here so they are checked
    /// even where the data file is missing.
    @Test(
        arguments: [
            ([0x1100, 0xAC00, 0x11A8], [0x1100, 0xAC01]),
            ([0x1100, 0xAC00, 0x11A8, 0x1100], [0x1100, 0xAC01, 0x1100]),
            ([0x3131, 0x314F], [0xAC00]),  // compatibility jamo ㄱㅏ compose after NFKC
            ([0xFF76, 0xFF9E], [0x30AC]),  // ｶﾞ
            ([0xFF8A, 0xFF9F], [0x30D1]),  // ﾊﾟ
            ([0x2460, 0x337B], [0x31, 0x5E73, 0x6210]),  // ①㍻
            ([0x0041, 0x030A, 0x2460], [0x00C5, 0x31]),  // slow path composes Å
        ] as [([UInt32], [UInt32])])
    func knownCases(input: [UInt32], expected: [UInt32]) {
        let text = String(String.UnicodeScalarView(input.map { Unicode.Scalar($0)! }))
        #expect(Normalization.nfkc(text).unicodeScalars.map(\.value) == expected)
        var bytes: [UInt8] = [0x7C]
        var input = text
        #expect(input.withUTF8 { Normalization.nfkc($0, into: &bytes) })
        #expect(bytes == [0x7C] + Array(Normalization.nfkc(text).utf8))
    }

    @Test func malformedInputIsRefused() {
        var output: [UInt8] = []
        #expect(![UInt8]([0x41, 0xC3]).withUnsafeBufferPointer { Normalization.nfkc($0, into: &output) })
        #expect(output.isEmpty)
    }
}
