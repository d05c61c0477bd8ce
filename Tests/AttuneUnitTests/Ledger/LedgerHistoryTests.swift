import AttuneCore
import Testing

/// Per therapist and week: opened, closed, discussed, supervision latency.
@Suite struct LedgerHistoryTests {
    @Test func countsAndLatency() {
        let day = Fixtures.day
        let history = LedgerHistory(
            findings: [
                // W45, closed W47
                .init(id: "a", therapist: "T-01", opened: day("2026-11-02"), closed: day("2026-11-18")),
                .init(id: "b", therapist: "T-01", opened: day("2026-11-04"), closed: nil),  // W45
                // W47, a one-day finding
                .init(id: "c", therapist: "T-02", opened: day("2026-11-17"), closed: day("2026-11-17")),
            ],
            discussions: [
                // first W46 (10 days), again W46 and W47
                "a": [day("2026-11-12"), day("2026-11-13"), day("2026-11-20")],
                "b": [day("2026-11-10")],  // W46, 6 days
            ], reviews: 3)
        #expect(history.therapists == ["T-01", "T-02"])
        #expect(history.totals.map(\.week) == ["2026-W45", "2026-W46", "2026-W47"])
        #expect(history.totals.map(\.opened) == [2, 0, 1])
        #expect(history.totals.map(\.closed) == [0, 0, 1])
        #expect(history.totals.map(\.discussed) == [0, 2, 1])
        #expect(history.totals[1].medianLatency == 8)
        #expect(history.totals[0].medianLatency == nil)
        let t2 = history.rows.filter { $0.therapist == "T-02" }
        #expect(t2.count == 3 && t2.map(\.opened) == [0, 0, 1] && t2.map(\.closed) == [0, 0, 0])
    }

    @Test func anEmptyLedgerHasNoWeeks() {
        let history = LedgerHistory(findings: [], discussions: [:], reviews: 0)
        #expect(history.totals.isEmpty && history.rows.isEmpty)
    }
}
