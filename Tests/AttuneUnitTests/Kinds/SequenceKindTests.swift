import AttuneCore
import Testing

/// The `sequence` kind's edges: window boundaries, merging, and a record that both matches and settles.
struct SequenceKindTests {
    private func run(_ rule: String, _ records: String, asOf: String? = nil) throws -> [Finding] {
        try Fixtures.findings(of: "q", rule: rule, records: records, asOf: asOf)
    }

    private static func rule(records: Int = 2, days: Int = 21) -> String {
        """
        id: q
        title: sequence test
        severity: high
        kind: sequence
        where: attendance == 'attended'
        match: rupture.intensity >= 3 and rupture.resolution != 'full'
        until: repair == 'full'
        params: {within_records: \(records), within_days: \(days)}
        message: "{count} unrepaired since {since}: {sessions}"
        """
    }

    @Test func overlappingRupturesJoinTheOpenFinding() throws {
        let findings = try run(
            Self.rule(),
            """
            - {date: 2026-03-02, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            - {date: 2026-03-09, attendance: attended, rupture: {type: confrontation, intensity: 4}}
            - {date: 2026-03-16, attendance: attended}
            - {date: 2026-03-23, attendance: attended, rupture: {type: mixed, intensity: 3}}
            - {date: 2026-03-30, attendance: attended}
            - {date: 2026-04-06, attendance: attended}
            """)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.opened == Fixtures.day("2026-03-16"))
        #expect(finding.closed == nil)
        #expect(finding.evidence["count"] == .number(3))
        #expect(finding.message == "3 unrepaired since 2026-03-02: 2026-03-02, 2026-03-09, 2026-03-23")
    }

    @Test func aRepairOnTheLastDayOfTheWindowIsInTime() throws {
        let findings = try run(
            Self.rule(records: 5),
            """
            - {date: 2026-05-04, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            - {date: 2026-05-25, attendance: attended, repair: full}
            """)
        #expect(findings.isEmpty)
    }

    @Test func theDayWindowOpensExactlyWhenAsOfReachesIt() throws {
        let records = """
            - {date: 2026-05-04, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            """
        #expect(try run(Self.rule(), records, asOf: "2026-05-24").isEmpty)
        let findings = try run(Self.rule(), records, asOf: "2026-05-25")
        #expect(findings.map(\.opened) == [Fixtures.day("2026-05-25")])
        #expect(findings.map(\.closed) == [nil])
    }

    @Test func aRecordLaterThanTheDayWindowOpensItOnTheDeadlineNotTheRecordDate() throws {
        let findings = try run(
            Self.rule(records: 3),
            """
            - {date: 2026-05-04, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            - {date: 2026-05-11, attendance: attended}
            - {date: 2026-06-08, attendance: attended, repair: full}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-05-25")])
        #expect(findings.map(\.closed) == [Fixtures.day("2026-06-08")])
    }

    @Test func aRecordThatRepairsAndRupturesClosesAndStartsANewWindow() throws {
        let findings = try run(
            Self.rule(),
            """
            - {date: 2026-01-05, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            - {date: 2026-01-12, attendance: attended}
            - {date: 2026-01-19, attendance: attended}
            - {date: 2026-01-26, attendance: attended, repair: full, rupture: {type: confrontation, intensity: 3}}
            - {date: 2026-02-02, attendance: attended}
            - {date: 2026-02-09, attendance: attended}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-19"), Fixtures.day("2026-02-09")])
        #expect(findings.map(\.closed) == [Fixtures.day("2026-01-26"), nil])
        #expect(findings.last?.evidence["since"] == .date(Fixtures.day("2026-01-26")))
    }

    @Test func recordsOutsideWhereDoNotUseUpTheWindow() throws {
        let findings = try run(
            Self.rule(),
            """
            - {date: 2026-01-05, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            - {date: 2026-01-08, attendance: no-show}
            - {date: 2026-01-10, attendance: late-cancel}
            - {date: 2026-01-12, attendance: attended, repair: full}
            """)
        #expect(findings.isEmpty)
    }

    @Test func untilIsRequired() {
        let text = Self.rule().replacingOccurrences(of: "until: repair == 'full'\n", with: "")
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "q.yaml": text])
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(messages.contains { $0.contains("needs 'until'") }, "\(messages)")
    }
}
