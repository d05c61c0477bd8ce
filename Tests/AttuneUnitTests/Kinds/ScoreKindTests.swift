import AttuneCore
import Testing

/// The `score` kind's edges: how a first_n finding closes, how an of_last one falls below, and
/// the rule that exactly one scope is given.
struct ScoreKindTests {
    /// Runs one rule module (id `s`) over YAML records; as-of defaults to the latest record.
    private func run(_ rule: String, _ records: String, asOf: String? = nil) throws -> [Finding] {
        try Fixtures.findings(of: "s", rule: rule, records: records, asOf: asOf)
    }

    private static func rule(_ scope: String, where condition: String? = nil) -> String {
        """
        id: s
        title: score test
        severity: high
        kind: score
        \(condition.map { "where: \"\($0)\"\n" } ?? "")params:
          \(scope)
          at_least: 2
          signals:
            - {label: no-show, when: "attendance == 'no-show'", points: 2}
            - {label: late cancellation, when: "attendance == 'late-cancel'", points: 1}
            - {label: low SRS, when: "measures.srs < 36", points: 1}
        message: "score {score} in {scope}: {signals}"
        """
    }

    private func spans(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.opened)…\($0.closed?.description ?? "open")" }
    }

    @Test func firstNClosesOnlyAtTheFirstAttendanceAfterThePeriod() throws {
        // Appointment 4 is a no-show after the period: it neither scores nor closes.
        let findings = try run(
            Self.rule("first_n: 3"),
            """
            - {date: 2026-02-02, attendance: late-cancel}
            - {date: 2026-02-09, attendance: attended, measures: {srs: 30}}
            - {date: 2026-02-16, attendance: attended, measures: {srs: 38}}
            - {date: 2026-02-23, attendance: no-show}
            - {date: 2026-03-02, attendance: attended, measures: {srs: 31}}
            """)
        #expect(spans(findings) == ["2026-02-09…2026-03-02"])
        let finding = try #require(findings.first)
        #expect(finding.evidence["score"] == .number(2))
        #expect(finding.records.map(\.date.description) == ["2026-02-02", "2026-02-09"])
        #expect(
            finding.message
                == "score 2 in the first 3 appointments: late cancellation (2026-02-02), low SRS (2026-02-09)")
    }

    @Test func firstNCountsAppointmentsByNWhateverWhereKeeps() throws {
        // `where` leaves out cancellations, but they still use up appointments 2 and 3, so the
        // no-show is appointment 4: outside the first three.
        let findings = try run(
            Self.rule("first_n: 3", where: "attendance != 'cancelled'"),
            """
            - {date: 2026-02-02, attendance: attended, measures: {srs: 38}}
            - {date: 2026-02-09, attendance: cancelled}
            - {date: 2026-02-16, attendance: cancelled}
            - {date: 2026-02-23, attendance: no-show}
            """)
        #expect(findings.isEmpty)
    }

    @Test func firstNStaysOpenAfterThePeriodUntilSomeoneAttends() throws {
        let findings = try run(
            Self.rule("first_n: 2"),
            """
            - {date: 2026-02-02, attendance: attended, measures: {srs: 38}}
            - {date: 2026-02-09, attendance: no-show}
            - {date: 2026-02-16, attendance: cancelled}
            - {date: 2026-02-23, attendance: late-cancel}
            """)
        #expect(spans(findings) == ["2026-02-09…open"])
    }

    @Test func ofLastFallsBelowAndOpensAgain() throws {
        let findings = try run(
            Self.rule("of_last: 2"),
            """
            - {date: 2026-03-02, attendance: late-cancel}
            - {date: 2026-03-09, attendance: attended, measures: {srs: 33}}
            - {date: 2026-03-16, attendance: attended, measures: {srs: 38}}
            - {date: 2026-03-23, attendance: attended, measures: {srs: 38}}
            - {date: 2026-03-30, attendance: no-show}
            """)
        // 1, 1+1 = 2 (opens), 1+0 = 1 (closes), 0, 2 (opens again).
        #expect(spans(findings) == ["2026-03-09…2026-03-16", "2026-03-30…open"])
        #expect(findings.last?.evidence["signals"] == .list([.string("no-show (2026-03-30)")]))
    }

    @Test func ofLastHoldsWhileTheWindowStillScores() throws {
        let findings = try run(
            Self.rule("of_last: 3"),
            """
            - {date: 2026-03-02, attendance: no-show}
            - {date: 2026-03-09, attendance: attended, measures: {srs: 38}}
            - {date: 2026-03-16, attendance: attended, measures: {srs: 38}}
            - {date: 2026-03-23, attendance: attended, measures: {srs: 38}}
            """)
        // The no-show leaves the three-record window at 03-23.
        #expect(spans(findings) == ["2026-03-02…2026-03-23"])
    }

    @Test func negativePointsLowerTheScore() throws {
        let rule = """
            id: s
            title: score test
            severity: high
            kind: score
            params:
              of_last: 3
              at_least: 2
              signals:
                - {label: no-show, when: "attendance == 'no-show'", points: 2}
                - {label: repaired, when: "repair == 'full'", points: -2}
            message: "score {score}"
            """
        let findings = try run(
            rule,
            """
            - {date: 2026-03-02, attendance: attended}
            - {date: 2026-03-09, attendance: no-show}
            - {date: 2026-03-16, attendance: attended, repair: full}
            """)
        #expect(spans(findings) == ["2026-03-09…2026-03-16"])
    }

    @Test func exactlyOneOfFirstNAndOfLast() {
        for (scope, complaint) in [("first_n: 5\n  of_last: 3", "not both"), ("first_n: 0", "exactly one")] {
            let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "s.yaml": Self.rule(scope)])
            #expect(ruleSet.rule("s") == nil)
            #expect(
                ruleSet.diagnostics.errors.contains {
                    $0.message.contains(complaint) && $0.location.file.hasSuffix("s.yaml")
                },
                "\(ruleSet.diagnostics.errors)")
        }
    }

    @Test func aSignalMustScoreSomething() {
        let rule = """
            id: s
            title: score test
            severity: high
            kind: score
            params: {first_n: 5, at_least: 2, signals: []}
            message: "score {score}"
            """
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "s.yaml": rule])
        #expect(
            ruleSet.diagnostics.errors.contains { $0.message.contains("at least one signal") },
            "\(ruleSet.diagnostics.errors)")
    }
}
