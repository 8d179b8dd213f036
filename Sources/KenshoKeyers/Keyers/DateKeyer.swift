/// `date@1`: a calendar date as ISO `yyyy-mm-dd`, from western (1975-04-03, 1975/4/3,
/// 1975.4.3, 19750403, 1975年4月3日) and Japanese era forms (昭和50年4月3日, S50.4.3,
/// H7.1.1, R1.5.1, 令和元年5月1日, ㍼50年4月3日), full-width digits included; the
/// grammar is `DateReader`'s, the era table `JapaneseEra`'s.
///
/// A value that is not a date, names an impossible day (1999-02-30, month 13), lies
/// outside its era (平成32年, 昭和64年1月8日) or outside 1850–2100, or could only be
/// read by guessing (75/4/3, 4/3/1975, 750403), is `.invalid` with the reason.
public struct DateKeyer: Keyer {
    public let id = KeyerID("date", 1)

    public init() {}

    public func key(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> KeyResult {
        // ASCII is its own NFKC: read it as it is, and fold only the rest.
        let reading: DateReader.Reading
        if input.allSatisfy({ $0 < 0x80 }) {
            reading = DateReader.read(input)
        } else {
            guard let folded = Folding.withFolded(input, lowercase: false, DateReader.read) else { return .notUTF8 }
            reading = folded
        }
        switch reading {
        case .date(let date):
            date.appendISO(to: &output)
            return .ok
        case .empty:
            return .empty
        case .invalid(let reason):
            return .invalid(reason)
        }
    }
}
