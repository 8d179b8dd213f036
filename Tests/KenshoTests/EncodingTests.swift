import Foundation
import Testing
@testable import Kensho

#if canImport(Glibc)
import Glibc
#endif

/// Encodings as investigators receive them: real CP932, EUC-JP and UTF-16 bytes made by
/// iconv from UTF-8 text, detected from the bytes and decoded.
@Suite("Encodings")
struct EncodingTests {
    /// UTF-8 text in another encoding, by glibc iconv.
    static func encode(_ text: String, to encoding: String) -> [UInt8] {
        let descriptor = iconv_open(encoding, "UTF-8")
        precondition(descriptor != iconv_t(bitPattern: -1), "iconv cannot encode \(encoding)")
        defer { iconv_close(descriptor) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let status = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                precondition(status != -1, "iconv failed on \(text)")
                return outBuffer.count - outLeft
            }
        }
        return Array(output[..<written])
    }

    /// A patron export shaped like the real ones, from a seed.
    static func patronCSV(seed: UInt64, shape: Int, extensions: Bool) -> String {
        var random = SeededRandom(seed: seed)
        let families = ["山田", "佐々木", "鈴木", "高橋", "田中", "渡辺", "伊藤", "中村", "小林", "加藤", "吉田", "長谷川"]
        let givens = ["太郎", "花子", "一郎", "恵子", "健太", "美咲", "翔", "陽子", "大輔", "由美"]
        let kana = ["ヤマダ", "ササキ", "スズキ", "タカハシ", "タナカ", "ワタナベ", "イトウ", "ナカムラ"]
        let halfwidth = ["ﾔﾏﾀﾞ", "ｻｻｷ", "ｽｽﾞｷ", "ﾀｶﾊｼ", "ﾀﾅｶ"]
        let towns = ["湊北市宮前", "潮浜市北町", "星野丘市本町", "緑ヶ瀬村南町", "霞田町柳町"]
        func pick(_ list: [String]) -> String { list[random.next(list.count)] }
        let rows = 1 + random.next(shape == 1 ? 3 : 40)
        var text = shape == 1 ? "id,name,tel\n" : "利用者番号,氏名,フリガナ,生年月日,電話番号,住所,備考\n"
        for row in 0..<rows {
            let phone = "090-\(1000 + random.next(9000))-\(1000 + random.next(9000))"
            switch shape {
            case 1:  // Mostly ASCII: one short name among digits.
                text += "\(row + 1),\(row == 0 ? pick(families) : "T\(row)"),\(phone)\n"
            case 2:  // Half-width kana readings.
                text += "00\(row),\(pick(families)) \(pick(givens)),\(pick(halfwidth)) ﾀﾛｳ,S50.4.3,\(phone),\(pick(towns))\(random.next(9) + 1)丁目,\n"
            default:
                var note = row % 3 == 0 ? "旧システムより移行" : ""
                if extensions, row % 4 == 0 { note += "①～" + (row % 8 == 0 ? "髙" : "") }
                text += "00\(row),\(pick(families))　\(pick(givens)),\(pick(kana)) タロウ,昭和\(30 + random.next(30))年\(1 + random.next(12))月\(1 + random.next(28))日,\(phone),\(pick(towns))\(random.next(9) + 1)-\(random.next(30) + 1),\(note)\n"
            }
        }
        return text
    }

    /// At least 200 generated exports per encoding, every shape: detection right on
    /// every one, decoding back to the original text, and never CP932 taken for UTF-8.
    @Test(arguments: [("utf-8", "UTF-8"), ("cp932", "CP932"), ("euc-jp", "EUC-JP-MS")])
    func detectionOnAGeneratedCorpus(_ name: String, _ iconvName: String) throws {
        var wrong: [String] = []
        for index in 0..<240 {
            let shape = index % 3 + 1
            let text = EncodingTests.patronCSV(seed: UInt64(index) &* 7919 &+ 17, shape: shape, extensions: name == "cp932")
            let bytes = name == "utf-8" ? Array(text.utf8) : EncodingTests.encode(text, to: iconvName)
            let decoded: TextDecoding.Decoded
            do {
                decoded = try bytes.withUnsafeBufferPointer {
                    try TextDecoding.decode($0, path: "corpus-\(index).csv", requested: nil, errors: nil)
                }
            } catch {
                wrong.append("#\(index) shape \(shape): \(error) for \(text.prefix(80))")
                continue
            }
            if decoded.decision.name != name {
                wrong.append("#\(index) shape \(shape): \(decoded.decision.name) \(decoded.decision.confidence)")
                continue
            }
            let utf8 = decoded.converted.map { Array(UnsafeBufferPointer(start: $0.base, count: $0.count)) } ?? bytes
            if String(decoding: utf8[decoded.contentStart...], as: UTF8.self) != text {
                wrong.append("#\(index): decoded text differs")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong: \(wrong.prefix(5))")
    }

    @Test func cp932ExtensionsDecodeTheWayWindowsWritesThem() throws {
        // 髙 (IBM extension, FB FC), ① (NEC special, 87 40), ～ (81 60 → U+FF5E).
        let bytes: [UInt8] = EncodingTests.encode("名前\n", to: "CP932") + [0xFB, 0xFC, 0x8B, 0xB4, 0x87, 0x40, 0x81, 0x60, 0x0A]
        let harness = try SessionHarness()
        try harness.file("w.csv", bytes: bytes)
        expectCSV(harness, "load $DIR/w.csv with header=true, encoding=cp932\nset mask = off\nw", "名前\n髙橋①～\n")
        #expect(harness.run("load $DIR/w.csv as auto\nauto"))
        #expect(harness.output == "名前\n髙橋①～\n")
        #expect("髙橋①～".unicodeScalars.map(\.value) == [0x9AD9, 0x6A4B, 0x2460, 0xFF5E])
    }

    @Test func theExampleCaseEncodedCopiesLoadAsTheirUTF8Originals() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("examples/case").path
        let harness = try SessionHarness()
        #expect(harness.run("""
        load \(dir)/encoded/hoshinooka.cp932.csv as sjis
        load \(dir)/encoded/shirasagidai.eucjp.csv as euc
        load \(dir)/hoshinooka.csv
        load \(dir)/shirasagidai.csv
        """))
        #expect(harness.errors.contains("cp932 (auto, confidence 0.99)"))
        #expect(harness.errors.contains("euc-jp (auto, confidence 0.99)"))
        for (encoded, original) in [("sjis", "hoshinooka"), ("euc", "shirasagidai")] {
            #expect(harness.run("set mask = off\n\(encoded) | select *"))
            let a = harness.output
            #expect(harness.run("set mask = off\n\(original) | select *"))
            #expect(a == harness.output, "\(encoded) differs from \(original)")
        }
    }

    @Test(arguments: [("UTF-16LE", [0xFF, 0xFE] as [UInt8]), ("UTF-16BE", [0xFE, 0xFF])])
    func utf16WithAByteOrderMark(_ iconvName: String, _ bom: [UInt8]) throws {
        let harness = try SessionHarness()
        try harness.file("u.csv", bytes: bom + EncodingTests.encode("氏名,年齢\n佐藤 花子,30\n", to: iconvName))
        expectCSV(harness, "load $DIR/u.csv\nset mask = off\nu | select 氏名, 年齢 + 1 as next", "氏名,next\n佐藤 花子,31\n")
        #expect(harness.errors.contains("utf-16 (auto, confidence 1.00)"))
    }

    @Test func aMislabeledFileIsAnErrorWithItsPlace() throws {
        let harness = try SessionHarness()
        try harness.file("m.csv", bytes: EncodingTests.encode("id,氏名\n1,山田\n", to: "CP932"))
        #expect(!harness.run("load $DIR/m.csv with encoding=utf-8"))
        #expect(harness.errors.hasPrefix("$DIR/m.csv:1:4: error: bytes that are not valid utf-8 (8E 81 96 BC) (byte offset 3)\n"))
        #expect(harness.errors.contains("load it with encoding=cp932 or encoding=euc-jp"))
    }

    @Test func aTruncatedMultibyteSequenceIsAnError() throws {
        let harness = try SessionHarness()
        let bytes = EncodingTests.encode("id,氏名\n1,山田太郎\n2,佐藤\n", to: "CP932")
        try harness.file("t.csv", bytes: Array(bytes.dropLast(2)))  // cut inside 藤
        #expect(!harness.run("load $DIR/t.csv with encoding=cp932"))
        #expect(harness.errors.contains("error: a multibyte sequence cut off by the end of the file"))
        #expect(harness.run("load $DIR/t.csv with encoding=cp932, errors=replace"))
        #expect(harness.errors.contains("1 undecodable bytes replaced"))
    }

    @Test func latin1IsNotTakenForJapanese() throws {
        let harness = try SessionHarness()
        // "café,résumé,naïve" in ISO-8859-1: é is E9, ï is EF.
        let latin1: [UInt8] = Array("word\ncaf".utf8) + [0xE9] + Array(",r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9]
            + Array(" na".utf8) + [0xEF] + Array("ve\n".utf8)
        try harness.file("l.csv", bytes: latin1)
        #expect(!harness.run("load $DIR/l.csv"))
        #expect(harness.errors.contains("cannot tell which encoding this file uses"))
    }
}

/// Whole numbers below a bound from SplitMix64, so the corpus is the same on every run.
struct SeededRandom {
    private var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }
    mutating func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
}

/// The CP932 lookup table decodes every code exactly as glibc iconv does.
@Suite("CP932 table decoder")
struct CP932DecoderTests {
    @Test func everyCodeAgreesWithIconv() throws {
        var bytes: [UInt8] = []
        for byte in 0x20..<0x7F { bytes.append(UInt8(byte)) }
        for byte in 0xA1...0xDF { bytes.append(UInt8(byte)) }
        for lead in 0x81...0xFC where CP932Decoder.isLead(UInt8(lead)) {
            for trail in 0x40...0xFC where trail != 0x7F && CP932Decoder.table[lead << 8 | trail] != 0 {
                bytes += [UInt8(lead), UInt8(trail), 0x0A]
            }
        }
        // Big enough to be decoded in two halves.
        let repeated = Array(repeating: bytes, count: 1 + (2 << 20) / bytes.count).flatMap { $0 }
        let (table, _) = try repeated.withUnsafeBufferPointer { try CP932Decoder.decode($0, replace: false) }
        let (iconv, _) = try repeated.withUnsafeBufferPointer {
            try TextDecoding.convert($0, from: "CP932", encodingName: "cp932", path: "t", replace: false)
        }
        #expect(table.count == iconv.count)
        #expect(memcmp(table.base, iconv.base, table.count) == 0)
    }

    @Test func invalidBytesAreReportedOrReplaced() throws {
        let bytes: [UInt8] = [0x41, 0x80, 0x42, 0x81, 0x20, 0x43, 0x88]
        #expect(throws: CP932Decoder.Failure.self) { try bytes.withUnsafeBufferPointer { try CP932Decoder.decode($0, replace: false) } }
        let (arena, replaced) = try bytes.withUnsafeBufferPointer { try CP932Decoder.decode($0, replace: true) }
        #expect(replaced == 3)
        #expect(String(decoding: UnsafeBufferPointer(start: arena.base, count: arena.count), as: UTF8.self) == "A\u{FFFD}B\u{FFFD} C\u{FFFD}")
    }
}
