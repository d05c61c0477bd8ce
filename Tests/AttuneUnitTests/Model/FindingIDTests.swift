import Testing

@testable import AttuneCore

/// `FindingID.of` hashes a date from its digits, and writes the id straight into its string:
/// both checked against the plain form (the date's text hashed, the id built from a list).
@Suite struct FindingIDTests {
    /// The id as `FindingID` first made it: `opened.description` hashed as a string, and the
    /// characters put in a list first. (`anIdStaysTheSame` checks the rule and subject's part.)
    private func plainID(rule: String, subject: Finding.Subject, opened: Day) -> String {
        var hash = FindingID.hash(rule: rule, subject: subject)
        hash.combine(opened.description)
        var value = hash.value >> 14
        var characters = [UInt8](repeating: 0, count: FindingID.length)
        for index in (0..<FindingID.length).reversed() {
            characters[index] = FindingID.alphabet[Int(value & 31)]
            value >>= 5
        }
        return String(decoding: characters, as: UTF8.self)
    }

    @Test func everyDayGivesTheIdOfItsText() {
        // Days from before year 0 to after 9999 (written other than YYYY-MM-DD), and a stretch
        // of ordinary ones, day by day.
        var days = (Int32(-800_000)...Int32(3_000_000)).filter { $0 % 9_973 == 0 }.map(Day.init(number:))
        days += (Int32(20_000)...Int32(21_000)).map(Day.init(number:))
        days += [
            Day(number: .min), Day(number: .max), Day(year: 9999, month: 12, day: 31)!, Day(year: 1, month: 1, day: 1)!,
        ]
        let subjects: [Finding.Subject] = [
            .episode(client: "C-1010", episode: "1"), .therapist("T-01"), .episode(client: "", episode: ""),
        ]
        for day in days {
            for subject in subjects {
                let id = FindingID.of(rule: "unresolved-rupture", subject: subject, opened: day)
                #expect(id == plainID(rule: "unresolved-rupture", subject: subject, opened: day), "\(day)")
                #expect(FindingID.isWellFormed(id))
            }
        }
    }

    /// An id a ledger may hold must never change from one version to the next: this one worked
    /// out by hand (FNV-1a over the parts, each followed by 0x1F, then the finalizer), apart from
    /// the code.
    @Test func anIdStaysTheSame() {
        let day = Day(year: 2026, month: 11, day: 24)!
        let id = FindingID.of(
            rule: "unresolved-rupture", subject: .episode(client: "C-1010", episode: "1"), opened: day)
        #expect(id == "2w8s89wwk2")
    }
}
