/// `kana@1`: the `name` form with katakana as hiragana (U+30A1–30F6 → U+3041–3096,
/// ヴ → ゔ, ヵヶ → ゕゖ, and the iteration marks ヽヾ → ゝゞ); half-width kana are
/// already full-width after NFKC. ー is kept. So ｻｻｷ ﾀﾛｳ, ササキ タロウ and ささき たろう
/// all give ささきたろう.
public struct KanaKeyer: Keyer {
    public let id = KeyerID("kana", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        TextKeyer.key(input, profile: .kana, into: &output)
    }
}
