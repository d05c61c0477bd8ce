/// A date pattern for CSV cells, in the letters spreadsheets and Unicode (TR 35) use:
/// `yyyy` `yy` year, `MM` `M` month, `MMM` English month abbreviation, `dd` `d` day; `HH` `H`
/// `hh` `h` hour, `mm` minute, `ss` second and `a` (AM/PM) are read and ignored, because a
/// record keeps only the day. Any other character must appear as written; text in single
/// quotes is literal. The whole cell must match.
///
/// ```swift
/// let format = try CSVDateFormat("dd/MM/yyyy")
/// format.day(from: "24/11/2026")   // 2026-11-24
/// ```
public struct CSVDateFormat: Sendable, Hashable, CustomStringConvertible {
    enum Part: Sendable, Hashable {
        case year4, year2
        case month(width: Int)
        case monthName
        case day(width: Int)
        case ignoredNumber(width: Int)
        case meridiem
        case literal(Character)
    }

    public let pattern: String
    let parts: [Part]

    /// ISO 8601 (`YYYY-MM-DD`, a date-time gives its date): what record files use.
    public static let iso = try! CSVDateFormat("yyyy-MM-dd")  // a constant pattern that parses

    public struct PatternError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(_ pattern: String) throws(PatternError) {
        self.pattern = pattern
        var parts: [Part] = []
        let characters = Array(pattern)
        var i = 0
        var sawYear = false
        var sawMonth = false
        var sawDay = false
        while i < characters.count {
            let c = characters[i]
            if c == "'" {
                guard let close = characters[(i + 1)...].firstIndex(of: "'") else {
                    throw PatternError(description: "unclosed quote in date format '\(pattern)'")
                }
                if close == i + 1 { parts.append(.literal("'")) }  // '' is a quote
                for literal in characters[(i + 1)..<close] { parts.append(.literal(literal)) }
                i = close + 1
                continue
            }
            guard c.isLetter, c.isASCII else {
                parts.append(.literal(c))
                i += 1
                continue
            }
            var run = 1
            while i + run < characters.count, characters[i + run] == c { run += 1 }
            switch (c, run) {
            case ("y", 4):
                parts.append(.year4)
                sawYear = true
            case ("y", 2):
                parts.append(.year2)
                sawYear = true
            case ("M", 1), ("M", 2):
                parts.append(.month(width: run))
                sawMonth = true
            case ("M", 3):
                parts.append(.monthName)
                sawMonth = true
            case ("d", 1), ("d", 2):
                parts.append(.day(width: run))
                sawDay = true
            case ("H", 1), ("H", 2), ("h", 1), ("h", 2), ("m", 2), ("s", 2): parts.append(.ignoredNumber(width: run))
            case ("a", 1): parts.append(.meridiem)
            default:
                throw PatternError(
                    description:
                        "'\(String(repeating: c, count: run))' in date format '\(pattern)' is not one of yyyy yy MM M MMM dd d HH H hh h mm ss a (quote literal letters: 'T')"
                )
            }
            i += run
        }
        guard sawYear, sawMonth, sawDay else {
            throw PatternError(description: "date format '\(pattern)' needs a year (yyyy), a month (MM) and a day (dd)")
        }
        self.parts = parts
    }

    public var description: String { pattern }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The day a cell stands for, or nil when it does not match the pattern or is no real date.
    public func day(from text: String) -> Day? {
        if self == Self.iso { return Day(iso: text) }
        let bytes = Array(text.utf8)
        var i = 0
        var year: Int?
        var month: Int?
        var day: Int?

        /// Up to `maxWidth` digits (at least `minWidth`).
        func number(minWidth: Int, maxWidth: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maxWidth, i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
                count += 1
            }
            return count >= minWidth ? value : nil
        }

        for part in parts {
            switch part {
            case .year4:
                guard let y = number(minWidth: 4, maxWidth: 4) else { return nil }
                year = y
            case .year2:
                guard let y = number(minWidth: 2, maxWidth: 2) else { return nil }
                year = 2000 + y
            case .month(let width):
                guard let m = number(minWidth: width, maxWidth: 2) else { return nil }
                month = m
            case .day(let width):
                guard let d = number(minWidth: width, maxWidth: 2) else { return nil }
                day = d
            case .ignoredNumber(let width): guard number(minWidth: width, maxWidth: 2) != nil else { return nil }
            case .monthName:
                guard i + 3 <= bytes.count,
                    let index = Self.monthNames.firstIndex(
                        of: String(decoding: bytes[i..<i + 3], as: UTF8.self).lowercased())
                else { return nil }
                month = index + 1
                i += 3
            case .meridiem:
                guard i + 2 <= bytes.count else { return nil }
                let word = String(decoding: bytes[i..<i + 2], as: UTF8.self).uppercased()
                guard word == "AM" || word == "PM" else { return nil }
                i += 2
            case .literal(let character):
                let utf8 = Array(String(character).utf8)
                guard i + utf8.count <= bytes.count, Array(bytes[i..<i + utf8.count]) == utf8 else { return nil }
                i += utf8.count
            }
        }
        guard i == bytes.count, let year, let month, let day else { return nil }
        return Day(year: year, month: month, day: day)
    }
}
