import Foundation
import Testing

@testable import KenshoKeyers

@Suite("date@1")
struct DateKeyerTests {
    let date = DateKeyer()

    @Test func oneDayManyForms() {
        expectSameKey(
            date,
            [
                "1975-04-03", "1975/4/3", "1975.4.3", "19750403", "1975年4月3日", "1975年04月03日", "1975年4月3",
                "昭和50年4月3日", "昭和５０年４月３日", "S50.4.3", "S50/4/3", "s50.4.3", "S50-04-03", "Ｓ５０．４．３",
                "㍼50年4月3日", "昭和 50 年 4 月 3 日", " 1975 - 04 - 03 ", "S 50.4.3", "１９７５／０４／０３",
                "1975-04-03 00:00:00", "1975-04-03T00:00", "1975/4/3 9:30:15.250", "昭和50.4.3",
            ], "1975-04-03")
    }

    @Test(arguments: [
        ("H7.1.1", "1995-01-01"),
        ("R1.5.1", "2019-05-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("R元.5.1", "2019-05-01"),
        ("2019-05-01", "2019-05-01"),
        ("平成元年1月8日", "1989-01-08"),
        ("H31.4.30", "2019-04-30"),
        ("昭和64年1月7日", "1989-01-07"),
        ("明治1年1月25日", "1868-01-25"),
        ("M45.7.30", "1912-07-30"),  // the day 大正 began is still 明治45年
        ("大正元年7月30日", "1912-07-30"),
        ("大正15年12月25日", "1926-12-25"),
        ("昭和元年12月25日", "1926-12-25"),
        ("㍻7年1月1日", "1995-01-01"),
        ("\u{32FF}2年3月4日", "2020-03-04"),  // ㋿, the square 令和
        ("T1.8.1", "1912-08-01"),
        ("2000-02-29", "2000-02-29"),
        ("1850-01-01", "1850-01-01"),
        ("2100-12-31", "2100-12-31"),
    ])
    func eraAndEdgeDates(input: String, expected: String) {
        expectKey(date, input, expected)
    }

    @Test(arguments: [
        ("平成32年1月1日", "after the end of 平成 (2019-04-30)"),
        ("昭和64年1月8日", "after the end of 昭和 (1989-01-07)"),
        ("令和元年4月30日", "before the start of 令和 (2019-05-01)"),
        ("平成元年1月7日", "before the start of 平成 (1989-01-08)"),
        ("明治1年1月1日", "before the start of 明治 (1868-01-25)"),
        ("T15.12.26", "after the end of 大正 (1926-12-25)"),
        ("1999-02-30", "1999-02-30 does not exist"),
        ("2023-02-29", "2023-02-29 does not exist"),
        ("1900-02-29", "1900-02-29 does not exist"),
        ("1975-13-01", "month 13 does not exist"),
        ("1975-00-10", "month 0 does not exist"),
        ("1975-04-00", "1975-04-00 does not exist"),
        ("1975-04-31", "1975-04-31 does not exist"),
        ("1849-12-31", "outside 1850–2100"),
        ("2101-01-01", "outside 1850–2100"),
        ("令和99年1月1日", "outside 1850–2100"),
        ("昭和0年1月1日", "start at 1"),
        ("昭和123年1月1日", "at most two digits"),
        ("75/4/3", "the year must come first"),
        ("4/3/1975", "the year must come first"),
        ("03.04.1975", "the year must come first"),
        ("750403", "the year must come first"),
        ("1975-04-03+09:00", "unexpected text"),
        ("1975-04-03 生", "unexpected text"),
        ("1975-04-03 25:00", "unexpected text"),
        ("1975/04-03", "not a date"),
        ("19 75-04-03", "the year must come first"),
        ("1975 04 03", "not a date"),
        ("1975-04", "not a date"),
        ("1975", "not a date"),
        ("S", "not a date"),
        ("昭和", "not a date"),
        ("不明", "not a date"),
        ("x1975-04-03", "not a date"),
    ])
    func rejected(input: String, reason: String) {
        expectNoKey(date, input, invalidBecause: reason)
    }

    /// Every day of every era's first and last year reads back, in kanji and letter form.
    @Test(arguments: JapaneseEra.all.indices)
    func eraBoundaries(eraIndex: Int) {
        let era = JapaneseEra.all[eraIndex]
        let letter = String(UnicodeScalar(era.letter - 0x20))
        let lastDay = era.end ?? CalendarDate(uncheckedYear: 2100, month: 12, day: 31)
        for day in [era.start, lastDay] {
            let eraYear = day.year - era.start.year + 1
            let expected = day.iso
            expectKey(date, "\(era.displayName)\(eraYear)年\(day.month)月\(day.day)日", expected)
            expectKey(date, "\(letter)\(eraYear).\(day.month).\(day.day)", expected)
        }
    }

    /// The fast path for `yyyy-mm-dd` answers exactly as the general reader does, on
    /// such texts for every 31st year from 0000 to 2999 and the era boundaries (months 00–19, days 00–39, three
    /// separators), dates that exist or not.
    @Test func thePlainFormReadsAsTheGeneralReaderDoes() {
        var checked = 0
        for year in stride(from: 0, through: 2999, by: 31) + [1868, 1900, 1999, 2000, 2024] {
            for month in 0...19 {
                for day in 0...39 {
                    for separator in ["-", "/", "."] {
                        let text = String(format: "%04d%@%02d%@%02d", year, separator, month, separator, day)
                        let bytes = Array(text.utf8)
                        let fast = bytes.withUnsafeBufferPointer { DateKeyer.plainISO($0) }
                        let slow = bytes.withUnsafeBufferPointer { DateReader.read($0) }
                        let fastReading: DateReader.Reading? = fast.map {
                            switch $0 {
                            case .success(let date): return .date(date)
                            case .failure(let rejection): return .invalid(rejection.reason)
                            }
                        }
                        #expect(fastReading == slow, "\(text)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 200_000)
    }
}
