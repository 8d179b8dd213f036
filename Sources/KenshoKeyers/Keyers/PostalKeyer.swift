/// `postal@1`: a Japanese postal code as its 7 digits (`〒444-8501`, `４４４－８５０１`
/// and `4448501` all give `4448501`). The digits are taken as `digits` takes them, so
/// 〒, hyphens and spaces drop out; any other number of digits is `.invalid`, and none
/// at all is `.empty`.
public struct PostalKeyer: Keyer {
    public let id = KeyerID("postal", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        let result = DigitExtraction.withDigits(input) { digits -> KeyResult in
            guard !digits.isEmpty else { return .empty }
            guard digits.count == 7 else {
                return .invalid("a Japanese postal code has 7 digits, not \(digits.count)")
            }
            output.append(contentsOf: digits)
            return .ok
        }
        return result ?? .notUTF8
    }
}
