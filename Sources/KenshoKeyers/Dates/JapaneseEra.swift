/// The Japanese eras (元号) since the calendar reform, with the days each one covers.
///
/// An era year counts calendar years: 明治1年 is 1868, and 元年 is year 1. 明治 dates
/// before the adoption of the Gregorian calendar (明治6年) are read as if they were
/// Gregorian, as registers usually give them.
///
/// The last day of an era is the day before the next one starts, except for the two
/// changes that took effect on the day of an emperor's death (1912-07-30 and
/// 1926-12-25): those days belong to both eras, and 明治45年7月30日 and 大正15年12月25日
/// are real, written dates. 昭和 ended on 1989-01-07 and 平成 on 2019-04-30, the day
/// before their successors began.
struct JapaneseEra: Sendable {
    /// The era's name in kanji, as two scalars (明治 …).
    let name: (UInt32, UInt32)
    /// The one-letter abbreviation, lower-case ASCII (`s` for 昭和).
    let letter: UInt8
    let start: CalendarDate
    /// The last day, or nil for the current era.
    let end: CalendarDate?

    var displayName: String {
        String(Unicode.Scalar(name.0)!) + String(Unicode.Scalar(name.1)!)
    }

    /// The Gregorian year of the era's year `eraYear` (1 for 元年).
    func gregorianYear(_ eraYear: Int) -> Int {
        start.year - 1 + eraYear
    }

    static let all: [JapaneseEra] = [
        JapaneseEra(
            name: (0x660E, 0x6CBB), letter: 0x6D,  // 明治 m
            start: CalendarDate(uncheckedYear: 1868, month: 1, day: 25),
            end: CalendarDate(uncheckedYear: 1912, month: 7, day: 30)),
        JapaneseEra(
            name: (0x5927, 0x6B63), letter: 0x74,  // 大正 t
            start: CalendarDate(uncheckedYear: 1912, month: 7, day: 30),
            end: CalendarDate(uncheckedYear: 1926, month: 12, day: 25)),
        JapaneseEra(
            name: (0x662D, 0x548C), letter: 0x73,  // 昭和 s
            start: CalendarDate(uncheckedYear: 1926, month: 12, day: 25),
            end: CalendarDate(uncheckedYear: 1989, month: 1, day: 7)),
        JapaneseEra(
            name: (0x5E73, 0x6210), letter: 0x68,  // 平成 h
            start: CalendarDate(uncheckedYear: 1989, month: 1, day: 8),
            end: CalendarDate(uncheckedYear: 2019, month: 4, day: 30)),
        JapaneseEra(
            name: (0x4EE4, 0x548C), letter: 0x72,  // 令和 r
            start: CalendarDate(uncheckedYear: 2019, month: 5, day: 1),
            end: nil),
    ]

    /// The date, if it lies within this era.
    func contains(_ date: CalendarDate) -> Result<CalendarDate, DateRejection> {
        if date < start {
            return .failure(DateRejection("\(date.iso) is before the start of \(displayName) (\(start.iso))"))
        }
        if let end, end < date {
            return .failure(DateRejection("\(date.iso) is after the end of \(displayName) (\(end.iso))"))
        }
        return .success(date)
    }
}
