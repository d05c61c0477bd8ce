/// A calendar day, stored as the number of days since 1970-01-01 (proleptic Gregorian).
///
/// Records, findings and review periods work in whole days; a day number is compact, orders
/// correctly and subtracts to a number of days.
///
/// ```swift
/// let day = Day(iso: "2026-11-24")!
/// print(day.adding(days: 7))        // 2026-12-01
/// print(Day(isoWeek: "2026-W48")!)  // 2026-11-23, the Monday
/// ```
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var number: Int32

    public init(number: Int32) {
        self.number = number
    }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysInMonth(year: year, month: month)
        else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        number = Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// Parses `YYYY-MM-DD`; a valid date-time (`2026-11-24T10:00:00Z`, `2026-11-24 10:00`,
    /// `2026-11-24T10:00:00.5+01:00`) gives its date part. An invalid time (`T25:00`) is no date.
    public init?(iso text: some StringProtocol) {
        // Reads the UTF-8 view in place: a date is parsed for every record, so no copies.
        self.init(isoUTF8: text.utf8)
    }

    /// `init(iso:)` of text given as UTF-8 bytes (a reader's buffer).
    init?(isoUTF8 utf8: some Collection<UInt8>) {
        guard utf8.count >= 10 else { return nil }
        var fields = (0, 0, 0)
        var index = utf8.startIndex
        for position in 0..<10 {
            let byte = utf8[index]
            utf8.formIndex(after: &index)
            if position == 4 || position == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let digit = Int(byte - 0x30)
            if position < 4 {
                fields.0 = fields.0 * 10 + digit
            } else if position < 7 {
                fields.1 = fields.1 * 10 + digit
            } else {
                fields.2 = fields.2 * 10 + digit
            }
        }
        if index != utf8.endIndex {
            let separator = utf8[index]
            guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "t"),
                Day.isTimeOfDay(utf8[utf8.index(after: index)...])
            else { return nil }
        }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    /// `HH:MM`, then optionally `:SS` and a fraction, then optionally `Z` or `±HH:MM` (`±HHMM`, `±HH`):
    /// hours 00–23, minutes 00–59, seconds 00–60 (a leap second).
    static func isTimeOfDay(_ text: some Collection<UInt8>) -> Bool {
        var rest = text[...]
        func number(_ maximum: Int) -> Bool {
            let digits = rest.prefix(2)
            guard digits.count == 2, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            rest = rest.dropFirst(2)
            return value <= maximum
        }
        func skip(_ byte: Character) -> Bool {
            guard rest.first == byte.asciiValue else { return false }
            rest = rest.dropFirst()
            return true
        }
        guard number(23), skip(":"), number(59) else { return false }
        if skip(":") {
            guard number(60) else { return false }
            if skip(".") || skip(",") {
                let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
                guard !digits.isEmpty else { return false }
                rest = rest.dropFirst(digits.count)
            }
        }
        if rest.isEmpty || (skip("Z") || skip("z")) && rest.isEmpty { return true }
        guard skip("+") || skip("-"), number(23) else { return false }
        if rest.isEmpty { return true }
        _ = skip(":")
        return number(59) && rest.isEmpty
    }

    /// The Monday of an ISO 8601 week such as `2026-W48`.
    public init?(isoWeek text: String) {
        let parts = text.uppercased().split(separator: "-W")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let week = Int(parts[1]),
            parts[1].count <= 2, week >= 1, week <= Day.isoWeeksIn(year: year),
            let january4 = Day(year: year, month: 1, day: 4)
        else { return nil }
        let mondayOfWeek1 = january4.adding(days: -(january4.isoWeekday - 1))
        self = mondayOfWeek1.adding(days: (week - 1) * 7)
    }

    public var components: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = Int(number) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        let offset = (Int(number) % 7 + 7) % 7
        return (offset + 3) % 7 + 1
    }

    /// The ISO week this day falls in, as `2026-W48`.
    public var isoWeek: String {
        let thursday = adding(days: 4 - isoWeekday)
        let year = thursday.components.year
        let january1 = Day(year: year, month: 1, day: 1)!
        let week = (Int(thursday.number - january1.number)) / 7 + 1
        return "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    public func adding(days: Int) -> Day {
        Day(number: number + Int32(days))
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: Day) -> Int {
        Int(other.number) - Int(number)
    }

    public static func < (a: Day, b: Day) -> Bool { a.number < b.number }

    public var description: String {
        let (y, m, d) = components
        // Reports write a date per finding and per session: the digits straight into the string.
        if (0...9999).contains(y) {
            return String(unsafeUninitializedCapacity: 10) { bytes in
                func digits(_ value: Int, before end: Int, width: Int) {
                    var rest = value
                    for index in (end - width..<end).reversed() {
                        bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                }
                digits(y, before: 4, width: 4)
                bytes[4] = UInt8(ascii: "-")
                digits(m, before: 7, width: 2)
                bytes[7] = UInt8(ascii: "-")
                digits(d, before: 10, width: 2)
                return 10
            }
        }
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isoWeeksIn(year: Int) -> Int {
        // A year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year.
        guard let january1 = Day(year: year, month: 1, day: 1) else { return 52 }
        let weekday = january1.isoWeekday
        return weekday == 4 || (weekday == 3 && isLeap(year)) ? 53 : 52
    }
}
