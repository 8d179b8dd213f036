/// `phone@1`: a Japanese phone number in national form, digits only.
///
/// The rule, on the `digits` form D:
/// 1. If D starts with the country code written `0081` or `81`, and what follows it is
///    a plausible national number, the country code is replaced by the trunk prefix 0:
///    - 9 or 10 digits not starting with 0 (`+81 90 1234 5678`, `+81 564 22 1234`) get
///      a 0 in front, giving the 10- or 11-digit national number;
///    - 10 or 11 digits starting with 0 (`+81 (0)90 1234 5678`) are taken as they are.
///    Otherwise D is left alone: a national number never starts with 81, so nothing
///    domestic is rewritten.
/// 2. Fewer than 9 digits is `.invalid("too few digits for a phone number")`: the
///    shortest national number has 10 digits, and 9 still lets through one whose leading
///    0 a spreadsheet dropped (kept as it is, not repaired). No digits is `.empty`.
///
/// Nothing else is guessed: no 0 is added to a bare number, other country codes and
/// extensions stay in the digits.
public struct PhoneKeyer: Keyer {
    public let id = KeyerID("phone", 1)

    public init() {}

    static let tooFewDigits = KeyResult.invalid("too few digits for a phone number")

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        let result = DigitExtraction.withDigits(input) { digits -> KeyResult in
            guard !digits.isEmpty else { return .empty }
            let national = Self.nationalRange(of: digits)
            let length = national.range.count + (national.addsTrunkPrefix ? 1 : 0)
            guard length >= 9 else { return Self.tooFewDigits }
            if national.addsTrunkPrefix { output.append(0x30) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[national.range]))
            return .ok
        }
        return result ?? .notUTF8
    }

    /// Which digits form the number, and whether a trunk prefix 0 goes in front of them.
    static func nationalRange(of digits: UnsafeBufferPointer<UInt8>) -> (range: Range<Int>, addsTrunkPrefix: Bool) {
        let all = 0..<digits.count
        let countryCodeLength: Int
        if digits.count > 4, digits[0] == 0x30, digits[1] == 0x30, digits[2] == 0x38, digits[3] == 0x31 {
            countryCodeLength = 4  // 0081
        } else if digits.count > 2, digits[0] == 0x38, digits[1] == 0x31 {
            countryCodeLength = 2  // 81
        } else {
            return (all, false)
        }
        let rest = countryCodeLength..<digits.count
        if digits[countryCodeLength] == 0x30 {
            return (10...11).contains(rest.count) ? (rest, false) : (all, false)
        }
        return (9...10).contains(rest.count) ? (rest, true) : (all, false)
    }
}
