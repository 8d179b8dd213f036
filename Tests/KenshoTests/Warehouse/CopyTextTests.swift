import Testing
@testable import Kensho

/// COPY text format both ways, and URL passwords masked before anything records them.
struct CopyTextTests {
    @Test func fieldsRoundTripThroughEscapes() {
        var line: [UInt8] = []
        CopyText.append([.text("a\tb\\c\nd\re"), .null, .integer(-42), .text(""), .text("\\N"), .text("山田")], to: &line)
        #expect(String(decoding: line, as: UTF8.self) == "a\\tb\\\\c\\nd\\re\t\\N\t-42\t\t\\\\N\t山田\n")
        let fields = line.withUnsafeBytes { CopyText.fields(of: $0) }
        #expect(fields == [Array("a\tb\\c\nd\re".utf8), nil, Array("-42".utf8), [], Array("\\N".utf8), Array("山田".utf8)])
    }

    @Test func byteaIsSentAsEscapedHexAndNULAsReplacement() {
        var line: [UInt8] = []
        [UInt8]([0x00, 0xab, 0xff]).withUnsafeBytes { CopyText.append([.bytea($0), .bytes([0x61, 0x00, 0x62])], to: &line) }
        #expect(String(decoding: line, as: UTF8.self) == "\\\\x00abff\ta\u{FFFD}b\n")
    }

    @Test func passwordsInWarehouseURLsAreMaskedInPlace() {
        let typed = "attach postgres \"postgresql://kensho:s3cret@db.example:5432/case?sslmode=require&password=other\" as wh"
        let masked = KeyRedaction.masked(typed)
        #expect(masked == "attach postgres \"postgresql://kensho:******@db.example:5432/case?sslmode=require&password=*****\" as wh")
        #expect(masked.utf8.count == typed.utf8.count)
        let clean = "attach postgres \"postgres://kensho@db.example/case\" as wh"
        #expect(KeyRedaction.masked(clean) == clean)
    }
}
