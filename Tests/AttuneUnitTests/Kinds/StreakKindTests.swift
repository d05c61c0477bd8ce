import AttuneCore
import Testing

/// The `streak` kind's edges: what the evidence holds, length 1, and `where`.
struct StreakKindTests {
    private func run(_ rule: String, _ records: String, asOf: String? = nil) throws -> [Finding] {
        try Fixtures.findings(of: "s", rule: rule, records: records, asOf: asOf)
    }

    private static func rule(length: Int, where condition: String? = nil) -> String {
        """
        id: s
        title: streak test
        severity: medium
        kind: streak
        \(condition.map { "where: \($0)\n" } ?? "")match: attendance == 'no-show' or attendance == 'late-cancel'
        params: {length: \(length)}
        message: "{count} in a row (length {length}): {sessions}"
        """
    }

    @Test func theEvidenceIsTheWholeRunUpToTheClose() throws {
        let findings = try run(
            Self.rule(length: 2),
            """
            - {date: 2026-01-05, attendance: no-show}
            - {date: 2026-01-12, attendance: late-cancel}
            - {date: 2026-01-19, attendance: no-show}
            - {date: 2026-01-26, attendance: attended}
            - {date: 2026-02-02, attendance: no-show}
            """)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.opened == Fixtures.day("2026-01-12"))
        #expect(finding.closed == Fixtures.day("2026-01-26"))
        #expect(finding.evidence["count"] == .number(3))
        #expect(finding.message == "3 in a row (length 2): 2026-01-05, 2026-01-12, 2026-01-19")
    }

    @Test func aRunStillGoingAtAsOfStaysOpen() throws {
        let findings = try run(
            Self.rule(length: 2),
            """
            - {date: 2026-01-05, attendance: attended}
            - {date: 2026-01-12, attendance: no-show}
            - {date: 2026-01-19, attendance: no-show}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-19")])
        #expect(findings.map(\.closed) == [nil])
    }

    @Test func lengthOneOpensOnTheFirstMatchAndEachRunIsItsOwnFinding() throws {
        let findings = try run(
            Self.rule(length: 1),
            """
            - {date: 2026-01-05, attendance: no-show}
            - {date: 2026-01-12, attendance: attended}
            - {date: 2026-01-19, attendance: no-show}
            - {date: 2026-01-26, attendance: no-show}
            - {date: 2026-02-02, attendance: cancelled}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-05"), Fixtures.day("2026-01-19")])
        #expect(findings.map(\.closed) == [Fixtures.day("2026-01-12"), Fixtures.day("2026-02-02")])
    }

    @Test func recordsOutsideWhereDoNotBreakTheRun() throws {
        // Cancellations with notice are left out by `where`, so they neither break nor extend the run.
        let findings = try run(
            Self.rule(length: 2, where: "attendance != 'cancelled'"),
            """
            - {date: 2026-01-05, attendance: no-show}
            - {date: 2026-01-12, attendance: cancelled}
            - {date: 2026-01-19, attendance: no-show}
            - {date: 2026-01-26, attendance: attended}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-19")])
        #expect(findings.map(\.closed) == [Fixtures.day("2026-01-26")])
        #expect(findings.first?.evidence["count"] == .number(2))
    }
}
