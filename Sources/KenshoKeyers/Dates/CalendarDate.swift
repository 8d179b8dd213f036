/// A day of the proleptic Gregorian calendar, checked to exist.
struct CalendarDate: Comparable, Sendable {
    let year: Int
    let month: Int
    let day: Int

    /// Years a date keyer accepts: older or later dates in personal data are typing
    /// errors, and an out-of-range year usually means the fields were read wrongly.
    static let years = 1850...2100

    /// Builds the date without checking it (for constants).
    init(uncheckedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date, or why it cannot be one (a reason for `KeyResult.invalid`).
    static func checked(year: Int, month: Int, day: Int) -> Result<CalendarDate, DateRejection> {
        guard years.contains(year) else {
            return .failure(DateRejection("year \(year) is outside \(years.lowerBound)–\(years.upperBound)"))
        }
        guard (1...12).contains(month) else { return .failure(DateRejection("month \(month) does not exist")) }
        let date = CalendarDate(uncheckedYear: year, month: month, day: day)
        guard day >= 1, day <= daysIn(month: month, year: year) else {
            return .failure(DateRejection("\(date.iso) does not exist"))
        }
        return .success(date)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// `yyyy-mm-dd`, the date keyer's output.
    var iso: String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// Appends `yyyy-mm-dd` to `output` without building a String (the hot path).
    func appendISO(to output: inout [UInt8]) {
        let year = self.year
        let digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            UInt8(0x30 + year / 1000 % 10), UInt8(0x30 + year / 100 % 10), UInt8(0x30 + year / 10 % 10),
            UInt8(0x30 + year % 10), 0x2D, UInt8(0x30 + month / 10), UInt8(0x30 + month % 10), 0x2D,
            UInt8(0x30 + day / 10), UInt8(0x30 + day % 10)
        )
        withUnsafeBytes(of: digits) { output.append(contentsOf: $0) }
    }

    static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Why a value is not a date, worded for the investigator.
struct DateRejection: Error, Equatable {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
