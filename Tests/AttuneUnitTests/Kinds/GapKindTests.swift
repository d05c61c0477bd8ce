import AttuneCore
import Testing

/// The `gap` kind's edges: bookings that lapse, episode ends, `where`, and the as-of date.
struct GapKindTests {
    /// Runs one rule module (id `g`) over YAML records; as-of defaults to the latest record.
    private func run(_ records: String, rule: String = Self.rule, asOf: String? = nil) throws -> [Finding] {
        try Fixtures.findings(of: "g", rule: rule, records: records, asOf: asOf)
    }

    private static let rule = """
        id: g
        title: gap test
        severity: high
        kind: gap
        params: {days: 21}
        message: "since {last_attended}, {gap_days} days, booked {last_booking}: {sessions}"
        """

    private func spans(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.opened)…\($0.closed?.description ?? "open")" }
    }

    @Test func eachRebookingPushesTheGapToTheDateItLapses() throws {
        let records = """
            - {date: 2026-03-03, attendance: attended, next_appointment: 2026-03-10}
            - {date: 2026-03-10, attendance: cancelled, next_appointment: 2026-03-24}
            - {date: 2026-03-24, attendance: late-cancel, next_appointment: 2026-04-07}
            - {date: 2026-04-07, attendance: no-show}
            """
        // While the 04-07 booking is ahead nothing opens; on its date it lapses.
        #expect(try run(records, asOf: "2026-04-06").isEmpty)
        let findings = try run(records, asOf: "2026-04-20")
        #expect(spans(findings) == ["2026-04-07…open"])
        let finding = try #require(findings.first)
        #expect(finding.evidence["last_booking"] == .date(Fixtures.day("2026-04-07")))
        #expect(finding.evidence["gap_days"] == .number(48))
        #expect(
            finding.message
                == "since 2026-03-03, 48 days, booked 2026-04-07: 2026-03-03, 2026-03-10, 2026-03-24, 2026-04-07")
    }

    @Test func aBookingMadeBeforeTheLastAttendanceDoesNotCount() throws {
        // Booked far ahead on 03-03, but the client attended 03-05 and booked nothing then:
        // only bookings made on or after the last attendance keep the episode alive.
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: attended, next_appointment: 2026-04-30}
            - {date: 2026-03-05, attendance: attended}
            """, asOf: "2026-04-01")
        #expect(spans(findings) == ["2026-03-26…open"])
    }

    @Test func aBookingMadeAfterTheGapOpenedDoesNotCloseIt() throws {
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: attended}
            - {date: 2026-04-01, attendance: cancelled, next_appointment: 2026-04-08}
            - {date: 2026-04-08, attendance: attended, next_appointment: 2026-04-15}
            """)
        #expect(spans(findings) == ["2026-03-24…2026-04-08"])
    }

    @Test func theGapOpensExactlyWhenAsOfReachesIt() throws {
        let records = "- {date: 2026-03-03, attendance: attended}"
        #expect(try run(records, asOf: "2026-03-23").isEmpty)
        #expect(spans(try run(records, asOf: "2026-03-24")) == ["2026-03-24…open"])
    }

    @Test func aReturnOnTheDayTheGapWouldOpenPreventsIt() throws {
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: attended}
            - {date: 2026-03-24, attendance: attended}
            """, asOf: "2026-04-10")
        #expect(findings.isEmpty)
    }

    @Test func anEpisodeEndAfterTheGapOpenedClosesIt() throws {
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: attended}
            - {date: 2026-04-20, attendance: cancelled, episode_end: dropout}
            """, asOf: "2026-05-30")
        #expect(spans(findings) == ["2026-03-24…2026-04-20"])
    }

    @Test func anEpisodeEndBeforeTheGapWouldOpenPreventsIt() throws {
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: attended}
            - {date: 2026-03-20, attendance: no-show, episode_end: dropout}
            """, asOf: "2026-05-30")
        #expect(findings.isEmpty)
    }

    @Test func noAttendanceNoGap() throws {
        // A client who never came is the score kind's business (early dropout), not a gap.
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: no-show}
            - {date: 2026-03-10, attendance: no-show}
            """, asOf: "2026-06-01")
        #expect(findings.isEmpty)
    }

    @Test func gapsCanOpenAgainAfterTheClientReturns() throws {
        let findings = try run(
            """
            - {date: 2026-01-05, attendance: attended}
            - {date: 2026-02-09, attendance: attended}
            """, asOf: "2026-03-09")
        #expect(spans(findings) == ["2026-01-26…2026-02-09", "2026-03-02…open"])
    }

    @Test func whereNarrowsContactsButBookingsComeFromEveryRecord() throws {
        let rule = """
            id: g
            title: gap test
            severity: high
            kind: gap
            where: "not ('assessment' in tags)"
            params: {days: 21}
            message: "gap"
            """
        // The assessment-only attendance on 03-17 is not contact, but the booking made at the
        // cancellation (a record `where` leaves out just the same) still keeps the gap shut until 04-14.
        let findings = try run(
            """
            - {date: 2026-03-03, attendance: attended}
            - {date: 2026-03-17, attendance: attended, tags: [assessment]}
            - {date: 2026-03-20, attendance: cancelled, tags: [assessment], next_appointment: 2026-04-14}
            """, rule: rule, asOf: "2026-04-30")
        #expect(spans(findings) == ["2026-04-14…open"])
    }

    @Test func matchIsNotAKeyOfGap() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML, "g.yaml": Self.rule + "\nmatch: attendance == 'attended'",
        ])
        #expect(
            ruleSet.diagnostics.errors.contains { $0.message.contains("does not read 'match'") },
            "\(ruleSet.diagnostics.errors)")
    }
}
