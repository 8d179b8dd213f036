/// Reads one date from NFKC text, so full-width digits, ㍼ and `Ｓ` arrive as `50`,
/// 昭和 and `S`. ASCII letters are matched in either case, so ASCII input (most dates)
/// needs no folding at all.
///
/// The forms, with white space allowed between any two parts (but never between two
/// numbers, which would have to be guessed apart):
///
///     yyyy-mm-dd   yyyy/mm/dd   yyyy.mm.dd     (one separator, used twice)
///     yyyy年mm月dd日                            (日 may be left out)
///     yyyymmdd                                  (exactly 8 digits)
///     ERA yy-mm-dd  ERA yy/mm/dd  ERA yy.mm.dd  ERA yy年mm月dd日
///
/// where ERA is 明治 大正 昭和 平成 令和 or the letters M T S H R (either case), the
/// era year has one or two digits or is 元, month and day have one or two digits. A
/// time of day may follow, after a space or `T` (`hh:mm`, `hh:mm:ss`, fractions of a
/// second): database exports write birthdates as `1975-04-03 00:00:00`. It is checked
/// and dropped.
///
/// Everything else is rejected with a reason, never guessed: two-digit western years,
/// day-month-year order, six-digit dates, a time zone.
struct DateReader {
    private let text: UnsafeBufferPointer<UInt8>
    private var index = 0

    enum Reading: Equatable {
        case date(CalendarDate)
        case empty
        case invalid(String)
    }

    static func read(_ text: UnsafeBufferPointer<UInt8>) -> Reading {
        var reader = DateReader(text: text)
        return reader.readDate()
    }

    private init(text: UnsafeBufferPointer<UInt8>) {
        self.text = text
    }

    private static let notADate = Reading.invalid("not a date")
    private static let yearFirst = DateRejection(
        "the year must come first, with four digits (a two-digit year or a day-month-year order is ambiguous)")

    private mutating func readDate() -> Reading {
        skipSpaces()
        if atEnd { return .empty }
        let result: Result<CalendarDate, DateRejection>
        if let era = readEra() {
            guard let eraDate = readEraDate(era) else { return Self.notADate }
            result = eraDate
        } else if let western = readWesternDate() {
            result = western
        } else {
            return Self.notADate
        }
        switch result {
        case .failure(let rejection):
            return .invalid(rejection.reason)
        case .success(let date):
            return readTimeAndEnd() ? .date(date) : .invalid("unexpected text after the date")
        }
    }

    // MARK: Western dates

    /// A western date; nil when the text is no date at all, a rejection when it is an
    /// ambiguous or impossible one.
    private mutating func readWesternDate() -> Result<CalendarDate, DateRejection>? {
        guard let (year, digits) = readNumber() else { return nil }
        if digits == 8 {
            return CalendarDate.checked(year: year / 10000, month: year / 100 % 100, day: year % 100)
        }
        guard digits == 4 else {
            return digits <= 2 || digits == 6 ? .failure(Self.yearFirst) : nil
        }
        guard let (month, day) = readMonthAndDay() else { return nil }
        return CalendarDate.checked(year: year, month: month, day: day)
    }

    // MARK: Era dates

    /// An era name or letter; the letter only when a year follows it.
    private mutating func readEra() -> JapaneseEra? {
        guard !atEnd, text[index] &- 0x30 >= 10 else { return nil }  // most dates start with a digit
        guard let (first, length) = peekScalar() else { return nil }
        for era in JapaneseEra.all {
            if first == era.name.0 {
                guard let (second, secondLength) = peekScalar(at: index + length), second == era.name.1 else {
                    return nil
                }
                index += length + secondLength
                return era
            }
            if first | 0x20 == UInt32(era.letter) {
                let saved = index
                index += 1
                skipSpaces()
                if let (next, _) = peekScalar(), next &- 0x30 < 10 || next == 0x5143 {
                    return era
                }
                index = saved
                return nil
            }
        }
        return nil
    }

    private mutating func readEraDate(_ era: JapaneseEra) -> Result<CalendarDate, DateRejection>? {
        skipSpaces()
        let eraYear: Int
        if consume(0x5143) {  // 元
            eraYear = 1
        } else if let (year, digits) = readNumber() {
            guard digits <= 2 else {
                return .failure(DateRejection("a year of \(era.displayName) has at most two digits"))
            }
            guard year >= 1 else { return .failure(DateRejection("years of \(era.displayName) start at 1 (元年)")) }
            eraYear = year
        } else {
            return nil
        }
        guard let (month, day) = readMonthAndDay() else { return nil }
        switch CalendarDate.checked(year: era.gregorianYear(eraYear), month: month, day: day) {
        case .failure(let rejection): return .failure(rejection)
        case .success(let date): return era.contains(date)
        }
    }

    // MARK: Parts

    /// After the year: `-m-d`, `/m/d`, `.m.d` (one separator twice) or `年m月d日`.
    private mutating func readMonthAndDay() -> (month: Int, day: Int)? {
        skipSpaces()
        guard let (separator, length) = peekScalar() else { return nil }
        switch separator {
        case 0x2D, 0x2F, 0x2E:  // - / .
            index += length
            guard let month = readShortNumber() else { return nil }
            skipSpaces()
            guard consume(separator), let day = readShortNumber() else { return nil }
            return (month, day)
        case 0x5E74:  // 年
            index += length
            guard let month = readShortNumber() else { return nil }
            skipSpaces()
            guard consume(0x6708), let day = readShortNumber() else { return nil }  // 月
            skipSpaces()
            _ = consume(0x65E5)  // 日
            return (month, day)
        default:
            return nil
        }
    }

    /// A time of day, if any, then the end of the text.
    private mutating func readTimeAndEnd() -> Bool {
        let before = index
        skipSpaces()
        if atEnd { return true }
        let spaced = index > before
        if consume(0x74) || consume(0x54) {  // t, T
            skipSpaces()
        } else if !spaced {
            return false
        }
        guard let (hour, hourDigits) = readNumber(), hourDigits <= 2, hour < 24, consume(0x3A),
            let (minute, minuteDigits) = readNumber(), minuteDigits == 2, minute < 60
        else { return false }
        if consume(0x3A) {
            guard let (second, secondDigits) = readNumber(), secondDigits == 2, second <= 60 else { return false }
            if consume(0x2E) {
                guard readNumber() != nil else { return false }
            }
        }
        skipSpaces()
        return atEnd
    }

    /// A month or a day: one or two digits, after optional spaces.
    private mutating func readShortNumber() -> Int? {
        skipSpaces()
        guard let (value, digits) = readNumber(), digits <= 2 else { return nil }
        return value
    }

    /// A run of ASCII digits and its length (at most 9 digits are valued).
    private mutating func readNumber() -> (value: Int, digits: Int)? {
        var value = 0
        var digits = 0
        while index < text.count, text[index] &- 0x30 < 10 {
            if digits < 9 { value = value &* 10 &+ Int(text[index] &- 0x30) }
            digits &+= 1
            index &+= 1
        }
        return digits > 0 ? (value, digits) : nil
    }

    // MARK: Cursor

    private var atEnd: Bool { index >= text.count }

    @inline(__always)
    private func peekScalar(at position: Int? = nil) -> (UInt32, Int)? {
        let position = position ?? index
        guard position < text.count else { return nil }
        let byte = text[position]
        if byte < 0x80 { return (UInt32(byte), 1) }
        guard let (scalar, length) = UTF8Scalars.decode(text, at: position) else { return nil }
        return (scalar, length)
    }

    @inline(__always)
    private mutating func consume(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 {
            guard !atEnd, text[index] == scalar else { return false }
            index += 1
            return true
        }
        guard let (next, length) = peekScalar(), next == scalar else { return false }
        index += length
        return true
    }

    @inline(__always)
    private mutating func skipSpaces() {
        while index < text.count {
            let byte = text[index]
            if byte < 0x80 {
                guard byte == 0x20 || byte &- 0x09 < 5 else { return }
                index += 1
                continue
            }
            guard let (scalar, length) = UTF8Scalars.decode(text, at: index), WhiteSpace.contains(scalar) else {
                return
            }
            index += length
        }
    }
}
