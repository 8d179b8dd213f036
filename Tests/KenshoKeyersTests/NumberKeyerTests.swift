import Testing

@testable import KenshoKeyers

@Suite("digits@1, phone@1, postal@1")
struct NumberKeyerTests {
    @Test(arguments: [
        ("090-1234-5678", "09012345678"),
        ("０９０（１２３４）５６７８", "09012345678"),
        ("①②③", "123"),
        ("⑳番地", "20"),
        ("第12号 3番", "123"),
        ("ｱ1ﾞ2", "12"),
        ("tel: +81 (0)3", "8103"),
    ])
    func digits(input: String, expected: String) {
        expectKey(DigitsKeyer(), input, expected)
    }

    @Test(arguments: ["abc", "山田", "-", "〒", "٣"])
    func noDigitsIsEmpty(input: String) {
        expectNoKey(DigitsKeyer(), input)
    }

    @Test func mobileNumbersMeet() {
        expectSameKey(
            PhoneKeyer(),
            [
                "090-1234-5678", "09012345678", "０９０（１２３４）５６７８", "+81 90 1234 5678", "+81-90-1234-5678",
                "81 90 1234 5678", "0081 90 1234 5678", "+81 (0)90-1234-5678", "＋８１　９０－１２３４－５６７８",
            ], "09012345678")
    }

    @Test(arguments: [
        ("+81 564 22 1234", "0564221234"),
        ("0564-22-1234", "0564221234"),
        ("(0564) 22-1234", "0564221234"),
        ("0120-123-456", "0120123456"),
        ("564-22-1234", "564221234"),  // nine digits: kept, no 0 guessed
        ("8190123456789", "8190123456789"),  // 11 digits after 81: not a Japanese number, left alone
        ("+1 212 555 0100", "12125550100"),
        ("81-0564-22-1234", "0564221234"),
    ])
    func phone(input: String, expected: String) {
        expectKey(PhoneKeyer(), input, expected)
    }

    @Test(arguments: ["1234", "22-1234", "+81 90 1234", "12345678"])
    func shortPhoneIsInvalid(input: String) {
        expectNoKey(PhoneKeyer(), input, invalidBecause: "too few digits for a phone number")
    }

    @Test func phoneWithoutDigitsIsEmpty() {
        expectNoKey(PhoneKeyer(), "なし")
    }

    @Test(arguments: [
        ("〒444-8501", "4448501"),
        ("４４４－８５０１", "4448501"),
        ("4448501", "4448501"),
        ("〒 444 8501", "4448501"),
    ])
    func postal(input: String, expected: String) {
        expectKey(PostalKeyer(), input, expected)
    }

    @Test(arguments: ["444-85", "444-85011", "12345"])
    func postalOfOtherLengthIsInvalid(input: String) {
        expectNoKey(PostalKeyer(), input, invalidBecause: "7 digits")
    }
}

@Suite("email@1 and raw@1")
struct EmailAndRawKeyerTests {
    @Test(arguments: [
        ("  Taro.Yamada@Example.JP \t", "taro.yamada@example.jp"),
        ("\u{3000}user+tag@example.com\u{3000}", "user+tag@example.com"),
        ("ÜSER@Bücher.DE", "üser@bücher.de"),
        ("ＵＳＥＲ@example.com", "ｕｓｅｒ@example.com"),  // no NFKC: full-width stays, lower-cased
    ])
    func email(input: String, expected: String) {
        expectKey(EmailKeyer(), input, expected)
    }

    @Test(arguments: [" a ", "ｶﾞ", "Ｘ", "A\tB"])
    func rawKeepsBytes(input: String) {
        expectKey(RawKeyer(), input, input)
    }

    @Test func rawKeepsMalformedBytes() {
        let bytes: [UInt8] = [0x20, 0xFF, 0x20]
        var output: [UInt8] = []
        let result = bytes.withUnsafeBufferPointer { RawKeyer().key($0, into: &output) }
        #expect(result == .ok)
        #expect(output == bytes)
    }
}

@Suite("blank input")
struct BlankInputTests {
    static let blanks = ["", " ", "\u{3000}", "\t \n", " \u{3000} ", "\u{00A0}\u{2003}\r\n"]

    @Test(arguments: KeyerRegistry.names)
    func blankIsEmpty(name: String) throws {
        let keyer = try #require(KeyerRegistry.keyer(named: name))
        for blank in Self.blanks {
            expectNoKey(keyer, blank)
        }
    }

    /// Malformed UTF-8 is reported, never misread, by every keyer that reads text.
    @Test(arguments: KeyerRegistry.names.filter { $0 != "raw" })
    func malformedIsInvalid(name: String) throws {
        let keyer = try #require(KeyerRegistry.keyer(named: name))
        for bytes in [[0x31, 0xFF], [0xE3, 0x81], [0xC0, 0xB1], [0xED, 0xA0, 0x80]] as [[UInt8]] {
            var output: [UInt8] = [0x7C]
            let result = bytes.withUnsafeBufferPointer { keyer.key($0, into: &output) }
            #expect(result == .invalid("not valid UTF-8"), "\(name) of \(bytes)")
            #expect(output == [0x7C])
        }
    }

    @Test(arguments: ["text", "name", "kana"])
    func separatorsOnlyIsEmpty(name: String) throws {
        let keyer = try #require(KeyerRegistry.keyer(named: name))
        #expect(keyed(keyer, "・ ･").result == (name == "text" ? .ok : .empty))
    }
}
