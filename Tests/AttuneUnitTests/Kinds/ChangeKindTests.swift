import AttuneCore
import Testing

/// The `change` kind's edges: direction from the vocabulary, baselines, after_n, match, rounding.
struct ChangeKindTests {
    private func run(_ rule: String, _ records: String, asOf: String? = nil) throws -> [Finding] {
        try Fixtures.findings(of: "c", rule: rule, records: records, asOf: asOf)
    }

    private static func rule(_ params: String, match: String? = nil) -> String {
        """
        id: c
        title: change test
        severity: high
        kind: change
        where: attendance == 'attended'
        \(match.map { "match: \($0)\n" } ?? "")params: {\(params)}
        message: "{measure_title}: {baseline} to {value}, {delta} the bad way"
        """
    }

    @Test func theBadDirectionComesFromTheVocabulary() throws {
        // SRS: higher is better, so a rise never fires; PHQ-9: lower is better, so a fall never fires.
        let rising = try run(
            Self.rule("measure: srs, by: 5"),
            """
            - {date: 2026-01-05, attendance: attended, measures: {srs: 28, phq9: 20}}
            - {date: 2026-01-12, attendance: attended, measures: {srs: 38, phq9: 10}}
            """)
        #expect(rising.isEmpty)
        let falling = try run(
            Self.rule("measure: phq9, by: 5"),
            """
            - {date: 2026-01-05, attendance: attended, measures: {srs: 28, phq9: 20}}
            - {date: 2026-01-12, attendance: attended, measures: {srs: 38, phq9: 10}}
            """)
        #expect(falling.isEmpty)
        let worse = try run(
            Self.rule("measure: phq9, by: 5"),
            """
            - {date: 2026-01-05, attendance: attended, measures: {phq9: 10}}
            - {date: 2026-01-12, attendance: attended, measures: {phq9: 15}}
            """)
        let finding = try #require(worse.first)
        #expect(worse.count == 1)
        #expect(finding.message == "PHQ-9 depression: 10 to 15, 5 the bad way")
        #expect(finding.evidence["delta"] == .number(5))
        #expect(finding.records.map(\.date.description) == ["2026-01-05", "2026-01-12"])
    }

    @Test func withPreviousTheOpeningValueBecomesTheNextBaseline() throws {
        // 38 → 32 opens; 32 → 30 is only 2 more, so it closes; 30 → 24 opens again.
        let findings = try run(
            Self.rule("measure: srs, by: 5"),
            """
            - {date: 2026-01-05, attendance: attended, measures: {srs: 38}}
            - {date: 2026-01-12, attendance: attended, measures: {srs: 32}}
            - {date: 2026-01-19, attendance: attended, measures: {srs: 30}}
            - {date: 2026-01-26, attendance: attended, measures: {srs: 24}}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-01-12"), Fixtures.day("2026-01-26")])
        #expect(findings.map(\.closed) == [Fixtures.day("2026-01-19"), nil])
        #expect(findings.last?.evidence["baseline"] == .number(30))
    }

    @Test func aMeanBaselineIsRoundedForDisplayAndItsRecordsAreEvidence() throws {
        let findings = try run(
            Self.rule("measure: ors, by: 5, baseline: mean-of-first-3"),
            """
            - {date: 2026-02-02, attendance: attended, measures: {ors: 20}}
            - {date: 2026-02-09, attendance: attended, measures: {ors: 21}}
            - {date: 2026-02-16, attendance: attended}
            - {date: 2026-02-23, attendance: attended, measures: {ors: 21}}
            - {date: 2026-03-02, attendance: attended, measures: {ors: 15.5}}
            """)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.opened == Fixtures.day("2026-03-02"))
        #expect(finding.evidence["baseline"] == .number(20.67))
        #expect(finding.evidence["delta"] == .number(5.17))
        #expect(finding.records.map(\.date.description) == ["2026-02-02", "2026-02-09", "2026-02-23", "2026-03-02"])
    }

    @Test func decimalValuesMeetTheThresholdDespiteFloatingPoint() throws {
        // 20.2 - 15.2 is 4.999999999999998 in binary floating point.
        let findings = try run(
            Self.rule("measure: ors, by: 5, baseline: first"),
            """
            - {date: 2026-02-02, attendance: attended, measures: {ors: 20.2}}
            - {date: 2026-02-09, attendance: attended, measures: {ors: 15.2}}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-02-09")])
    }

    @Test func afterNCountsAttendedSessions() throws {
        // The drop at attended session 2 is not compared; the one at session 3 is.
        let findings = try run(
            Self.rule("measure: ors, by: 5, baseline: first, after_n: 3"),
            """
            - {date: 2026-02-02, attendance: attended, measures: {ors: 24}}
            - {date: 2026-02-09, attendance: attended, measures: {ors: 18}}
            - {date: 2026-02-16, attendance: no-show}
            - {date: 2026-02-23, attendance: attended, measures: {ors: 23}}
            - {date: 2026-03-02, attendance: attended, measures: {ors: 19}}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-03-02")])
        #expect(findings.map(\.closed) == [nil])
    }

    @Test func matchChoosesWhichRecordsAreComparedNotTheBaseline() throws {
        // The baseline is still the first value (30); only records with a rupture are compared.
        let findings = try run(
            Self.rule("measure: srs, by: 5, baseline: first", match: "has(rupture.type)"),
            """
            - {date: 2026-03-02, attendance: attended, measures: {srs: 30}}
            - {date: 2026-03-09, attendance: attended, measures: {srs: 24}}
            - {date: 2026-03-16, attendance: attended, measures: {srs: 25}, rupture: {type: withdrawal}}
            - {date: 2026-03-23, attendance: attended, measures: {srs: 38}}
            - {date: 2026-03-30, attendance: attended, measures: {srs: 29}, rupture: {type: withdrawal}}
            """)
        #expect(findings.map(\.opened) == [Fixtures.day("2026-03-16")])
        #expect(findings.map(\.closed) == [Fixtures.day("2026-03-30")])
    }

    @Test func byMustBePositive() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML, "c.yaml": Self.rule("measure: srs, by: -5"),
        ])
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(messages.contains { $0.contains("by must be more than 0") }, "\(messages)")
    }

    @Test func anUnknownBaselineWordIsALintError() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "c.yaml": Self.rule("measure: srs, by: 5, baseline: mean-of-first-x"),
        ])
        #expect(!ruleSet.diagnostics.errors.isEmpty)
        #expect(ruleSet.rule("c") == nil)
    }
}
