import AttuneCore
import Testing

struct DayTests {
    @Test func roundTripsThroughText() {
        for text in ["1970-01-01", "2000-02-29", "2026-11-24", "1999-12-31", "2400-03-01"] {
            #expect(Day(iso: text)?.description == text)
        }
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2026-11-24x") == nil)
        #expect(Day(iso: "2026-11-24T10:00:00Z")?.description == "2026-11-24")
    }

    @Test func isoWeeks() {
        #expect(Day(isoWeek: "2026-W48")?.description == "2026-11-23")
        #expect(Day(isoWeek: "2026-W01")?.description == "2025-12-29")
        #expect(Day(isoWeek: "2020-W53")?.description == "2020-12-28")
        #expect(Day(isoWeek: "2026-W53")?.description == "2026-12-28")  // 2026 starts on a Thursday: 53 weeks
        #expect(Day(isoWeek: "2025-W53") == nil)
        #expect(Day(iso: "2026-11-29")?.isoWeek == "2026-W48")
        #expect(Day(iso: "2026-11-23")?.isoWeekday == 1)
        #expect(Day(iso: "2026-11-29")?.isoWeekday == 7)
    }
}
