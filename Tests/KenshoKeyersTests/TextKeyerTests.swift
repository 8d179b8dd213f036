import Testing

@testable import KenshoKeyers

@Suite("text@1")
struct TextKeyerTests {
    let text = TextKeyer()

    @Test(arguments: [
        ("山田　 太郎", "山田 太郎"),  // U+3000 and a space: one space
        ("  Yamada\t\tTaro \n", "yamada taro"),
        ("ＹＡＭＡＤＡ　Ｔａｒｏ", "yamada taro"),
        ("\u{2003}a\u{00A0}\u{2028}b\u{3000}", "a b"),  // other Unicode spaces
        ("ÀÉÎ Straße", "àéî straße"),
        ("ｶﾞｲｼｬ", "ガイシャ"),
        ("①丁目", "1丁目"),
        ("㍻元年", "平成元年"),
        ("Ｋ\u{212A}", "kk"),  // Kelvin sign: NFKC K, then lower-case
        ("a\u{2010}b\u{2011}c\u{2012}d\u{2013}e\u{2014}f\u{2015}g", "a-b-c-d-e-f-g"),
        ("1\u{2212}2\u{FF0D}3\u{FE63}4\u{2043}5", "1-2-3-4-5"),
        ("ｶﾞｰﾄﾞ", "ガード"),
    ])
    func examples(input: String, expected: String) {
        expectKey(text, input, expected)
    }

    /// ー is a long vowel after kana and kanji, but "-" between ASCII letters or digits.
    @Test(arguments: [
        ("1ー2ー3", "1-2-3"),
        ("１ー２ー３", "1-2-3"),
        ("1ｰ2", "1-2"),  // half-width ｰ is ー after NFKC
        ("A棟1ーB", "a棟1-b"),
        ("1ーー2", "1--2"),
        ("スーパー", "スーパー"),
        ("らーめん", "らーめん"),
        ("1ー", "1ー"),
        ("ー1", "ー1"),
        ("1ーあ", "1ーあ"),
        ("あー1", "あー1"),
        ("1 ー 2", "1 ー 2"),
        ("1ー 2", "1ー 2"),
        ("ab-ーcd", "ab-ーcd"),
    ])
    func longVowelMark(input: String, expected: String) {
        expectKey(text, input, expected)
    }

    @Test func outputIsComposed() {
        let key = keyed(text, "ｶﾞ ﾊﾟ ｳﾞ")
        #expect(key.bytes == Array("ガ パ ヴ".utf8))
        #expect(!key.bytes.contains(0x99), "no U+3099 bytes (E3 82 99)")
    }

    @Test func malformedInputIsInvalid() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        var output: [UInt8] = []
        let result = bytes.withUnsafeBufferPointer { text.key($0, into: &output) }
        #expect(result == .invalid("not valid UTF-8"))
        #expect(output.isEmpty)
    }
}

@Suite("name@1 and kana@1")
struct NameAndKanaKeyerTests {
    let name = NameKeyer()
    let kana = KanaKeyer()

    @Test func middleDotsAndSpacesGo() {
        expectSameKey(name, ["山田・太郎", "山田　太郎", "山田 太郎", "山田太郎", " 山田･太郎 ", "山田·太郎"], "山田太郎")
    }

    @Test(arguments: [
        ("佐々木", "佐々木"),
        ("佐佐木", "佐佐木"),
        ("髙橋", "髙橋"),
        ("高橋", "高橋"),
        ("ｻｻｷ ｼﾞｭﾝｰ", "ササキジュンー"),
        ("Mary-Ann Smith", "mary-annsmith"),
    ])
    func nameKeepsWhatIdentifies(input: String, expected: String) {
        expectKey(name, input, expected)
    }

    @Test func iterationMarkAndVariantsStayApart() {
        #expect(keyed(name, "佐々木") != keyed(name, "佐佐木"))
        #expect(keyed(name, "髙田") != keyed(name, "高田"))
        #expect(keyed(kana, "佐々木") != keyed(kana, "佐佐木"))
    }

    @Test func readingsMeet() {
        expectSameKey(kana, ["ｻｻｷ ﾀﾛｳ", "ササキ タロウ", "ささき たろう", "ささきたろう", "ササキ・タロウ", "ｻｻｷ　ﾀﾛｳ"], "ささきたろう")
    }

    @Test(arguments: [
        ("ヴァイオリン", "ゔぁいおりん"),
        ("ヵヶ", "ゕゖ"),
        ("ｶﾞｰﾃﾞﾝ", "がーでん"),
        ("ラーメン", "らーめん"),
        ("イスヾ", "いすゞ"),
        ("ヷ", "ヷ"),
        ("山田 タロウ", "山田たろう"),
    ])
    func katakanaBecomeHiragana(input: String, expected: String) {
        expectKey(kana, input, expected)
    }
}
