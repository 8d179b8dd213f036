/// `name@1`: the `text` form without any spaces or middle dots (・ U+30FB, half-width ･,
/// · U+00B7), so 山田・太郎, 山田　太郎 and 山田太郎 key alike.
///
/// 々 and ー are kept: 佐々木 and 佐佐木 stay different (a name is written one way, and
/// merging them is a judgement for the investigator, not the key). Variant kanji are
/// not folded either: 髙 and 高 are different characters.
public struct NameKeyer: Keyer {
    public let id = KeyerID("name", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        TextKeyer.key(input, profile: .name, into: &output)
    }
}
