/// `digits@1`: the ASCII digits of the value's NFKC form, in order; full-width ０–９
/// and compatibility forms such as ① count, other scripts' digits do not. No digit at
/// all is `.empty`.
public struct DigitsKeyer: Keyer {
    public let id = KeyerID("digits", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        let found = DigitExtraction.withDigits(input) { digits -> Bool in
            guard !digits.isEmpty else { return false }
            output.append(contentsOf: digits)
            return true
        }
        switch found {
        case nil: return .notUTF8
        case false?: return .empty
        case true?: return .ok
        }
    }
}
