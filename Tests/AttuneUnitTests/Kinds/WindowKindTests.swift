import AttuneCore
import Testing

/// The `window` kind's edges: short windows early on, evidence at opening, and lint.
struct WindowKindTests {
    /// Runs one rule module (id `w`) over YAML records; as-of defaults to the latest record.
    private func run(_ rule: String, _ records: String, asOf: String? = nil) throws -> [Finding] {
        try Fixtures.findings(of: "w", rule: rule, records: records, asOf: asOf)
    }

    private static let rule = """
        id: w
        title: window test
        severity: medium
        kind: window
        where: attendance == 'attended'
        match: "'distancing' in tags"
        params: {at_least: 3, of_last: 4}
        message: "{count} of the last {of_last}: {sessions}"
        """

    @Test func evidenceIsTheMatchingRecordsInTheWindowWhenItOpened() throws {
        let findings = try run(
            Self.rule,
            """
            - {date: 2026-01-05, attendance: attended, tags: [distancing]}
            - {date: 2026-01-12, attendance: attended, tags: [distancing]}
            - {date: 2026-01-19, attendance: attended}
            - {date: 2026-01-26, attendance: attended, tags: [distancing]}
            - {date: 2026-02-02, attendance: attended, tags: [distancing]}
            """)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.opened == Fixtures.day("2026-01-26"))
        #expect(finding.closed == nil)
        #expect(finding.records.map(\.date.description) == ["2026-01-05", "2026-01-12", "2026-01-26"])
        #expect(finding.evidence["count"] == .number(3))
        #expect(finding.message == "3 of the last 4: 2026-01-05, 2026-01-12, 2026-01-26")
    }

    @Test func aWindowIsShorterAtTheStartOfAnEpisode() throws {
        let findings = try run(
            Self.rule,
            """
            - {date: 2026-01-05, attendance: attended, tags: [distancing]}
            - {date: 2026-01-12, attendance: attended, tags: [distancing]}
            - {date: 2026-01-19, attendance: attended, tags: [distancing]}
            - {date: 2026-01-26, attendance: attended}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-19")])
        #expect(findings.map(\.closed) == [nil])
    }

    @Test func recordsOutsideWhereNeitherCountNorClose() throws {
        // The no-shows would push the matches out of a four-record window if they counted.
        let findings = try run(
            Self.rule,
            """
            - {date: 2026-01-05, attendance: attended, tags: [distancing]}
            - {date: 2026-01-08, attendance: no-show}
            - {date: 2026-01-12, attendance: attended, tags: [distancing]}
            - {date: 2026-01-15, attendance: no-show}
            - {date: 2026-01-19, attendance: attended, tags: [distancing]}
            - {date: 2026-01-22, attendance: no-show}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-19")])
        #expect(findings.map(\.closed) == [nil])
    }

    @Test func atLeastMoreThanOfLastIsALintError() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "w.yaml": Self.rule.replacingOccurrences(of: "at_least: 3", with: "at_least: 5"),
        ])
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(messages.contains { $0.contains("at_least (5) cannot be more than of_last (4)") }, "\(messages)")
        #expect(ruleSet.rule("w") == nil)
    }
}
