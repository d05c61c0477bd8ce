import AttuneReporters
import Testing

@testable import AttuneCore
@testable import AttuneRuleTesting

/// `attune test --mutate`: the operators, and survivors with the test that is missing.
struct MutationTests {
    static let pack = RuleCoverageTests.pack

    static func rule(tests: String) -> String {
        """
        id: low
        title: Low
        severity: low
        kind: window
        where: attendance == 'attended'
        match: measures.srs < cutoff and rupture.intensity >= 3
        params: {at_least: 2, of_last: 3}
        message: low
        tests:
        \(tests)
        """
    }

    @Test func listsEveryOperator() throws {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "low.yaml": Self.rule(tests: "  []")], alone: true)
        let rule = try #require(ruleSet.rule("low"))
        let summaries = MutantGenerator(vocabulary: ruleSet.vocabulary).mutants(of: rule).map(\.summary)
        #expect(
            summaries == [
                "where: `attendance == 'attended'`: == → !=",
                "where: `attendance == 'attended'` negated",
                "match: `measures.srs < cutoff and rupture.intensity >= 3`: and → or",
                "match: `measures.srs < cutoff and rupture.intensity >= 3` → `measures.srs < cutoff`",
                "match: `measures.srs < cutoff and rupture.intensity >= 3` → `rupture.intensity >= 3`",
                "match: `measures.srs < cutoff`: < → <=",
                "match: `measures.srs < cutoff`: cutoff (36) → 35",
                "match: `measures.srs < cutoff`: cutoff (36) → 37",
                "match: `measures.srs < cutoff`: cutoff (36) → 32",
                "match: `measures.srs < cutoff`: cutoff (36) → 40",
                "match: `rupture.intensity >= 3`: >= → >",
                "match: `rupture.intensity >= 3`: 3 → 2",
                "match: `rupture.intensity >= 3`: 3 → 4",
                "params.at_least: 2 → 1",
                "params.at_least: 2 → 3",
                "params.of_last: 3 → 2",
                "params.of_last: 3 → 4",
            ])
    }

    @Test func moves() {
        #expect(MutantGenerator.moves(of: 36, wholeNumbers: true) == [35, 37, 32, 40])
        #expect(MutantGenerator.moves(of: 3, wholeNumbers: true) == [2, 4])
        #expect(MutantGenerator.moves(of: 0, wholeNumbers: true) == [-1, 1])
        #expect(MutantGenerator.moves(of: 4.5, wholeNumbers: false) == [3.5, 5.5, 4.05, 4.95])
        #expect(MutantGenerator.moves(of: 1, wholeNumbers: true, in: 1...1000) == [2])
    }

    @Test func aWeakTestLeavesSurvivorsWithReasons() throws {
        let weak = """
              - name: two of three
                records:
                  - {date: 2026-01-05, attendance: attended, measures: {srs: 20}, rupture: {type: withdrawal, intensity: 5}}
                  - {date: 2026-01-12, attendance: attended, measures: {srs: 20}, rupture: {type: withdrawal, intensity: 5}}
                expect: [{opened: 2026-01-12, closed: null}]
            """
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "low.yaml": Self.rule(tests: weak)], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let report = MutationReport.run(ruleSet)
        #expect(report.mutants == 17)
        #expect(report.invalid == 0)
        let survivors = report.survivors.map(\.summary)
        #expect(survivors.contains("match: `measures.srs < cutoff`: < → <="))
        #expect(!survivors.contains("params.at_least: 2 → 3"))
        let boundary = try #require(report.survivors.first { $0.summary == "match: `measures.srs < cutoff`: < → <=" })
        #expect(boundary.reason == "no test at the boundary, where `measures.srs` equals `cutoff` (36)")
        #expect(boundary.location.line == 6)
        let text = MutationWriter().render(report)
        #expect(
            text.contains(
                "site/low.yaml:6:1: low: match: `measures.srs < cutoff`: < → <= survives: no test at the boundary, where `measures.srs` equals `cutoff` (36)\n"
            ))
        #expect(report.killed + report.survivors.count == 17)
        #expect(
            text.hasSuffix(
                "Mutation testing: 17 mutants, \(report.killed) killed, \(report.survivors.count) survived; mutation score \((Double(report.killed) * 1000 / 17).rounded() / 10)%\n"
            ))
    }

    @Test func strongTestsKillEverything() throws {
        // Each test holds one record at an edge the weak test never reached.
        let strong = """
              - name: two of three
                records:
                  - {date: 2026-01-05, attendance: attended, measures: {srs: 35}, rupture: {type: withdrawal, intensity: 3}}
                  - {date: 2026-01-12, attendance: attended, measures: {srs: 35}, rupture: {type: withdrawal, intensity: 3}}
                  - {date: 2026-01-19, attendance: attended, measures: {srs: 36}, rupture: {type: withdrawal, intensity: 5}}
                  - {date: 2026-01-26, attendance: attended, measures: {srs: 20}, rupture: {type: withdrawal, intensity: 2}}
                  - {date: 2026-02-02, attendance: no-show, measures: {srs: 20}, rupture: {type: withdrawal, intensity: 5}}
                  - {date: 2026-02-09, attendance: attended, measures: {srs: 20}, rupture: {type: withdrawal, intensity: 5}}
                  - {date: 2026-02-16, attendance: attended, measures: {srs: 31}, rupture: {type: withdrawal, intensity: 5}}
                  - {date: 2026-02-23, attendance: attended, measures: {srs: 39}}
                  - {date: 2026-03-02, attendance: attended, measures: {srs: 20}, rupture: {type: withdrawal, intensity: 4}}
                expect: [{opened: 2026-01-12, closed: 2026-01-26}, {opened: 2026-02-16, closed: null}]
            """
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "low.yaml": Self.rule(tests: strong)], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let outcomes = RuleTestRunner(ruleSet: ruleSet).runAll()
        #expect(outcomes.allSatisfy { $0.passed }, "\(outcomes.map(\.report))")
        let report = MutationReport.run(ruleSet)
        #expect(report.survivors.map(\.summary) == [], "\(MutationWriter().render(report))")
    }

    @Test func aMessageExpectationKillsAMutantThatOnlyChangesTheMessage() throws {
        func pack(_ expectation: String) -> RuleSet {
            Fixtures.ruleSet(
                [
                    "pack.yaml": Self.pack,
                    "early.yaml": """
                    id: early
                    title: Early
                    severity: medium
                    kind: score
                    params:
                      at_least: 2
                      first_n: 3
                      signals: [{when: "attendance == 'no-show'", points: 2, label: no-show}]
                    message: "score {score}"
                    tests:
                      - name: a no-show scores 2
                        records: [{date: 2026-01-05, attendance: no-show}]
                        expect: [\(expectation)]
                    """,
                ], alone: true)
        }
        let plain = pack("{opened: 2026-01-05}")
        #expect(!plain.diagnostics.hasErrors, "\(plain.diagnostics)")
        let points = "signal 'no-show': points 2 → 3"
        #expect(MutationReport.run(plain).survivors.map(\.summary).contains(points))
        let checked = pack("{opened: 2026-01-05, message_contains: 'score 2'}")
        #expect(!checked.diagnostics.hasErrors, "\(checked.diagnostics)")
        #expect(!MutationReport.run(checked).survivors.map(\.summary).contains(points))
        let wrong = pack("{opened: 2026-01-05, message_contains: 'score 3'}")
        let outcome = try #require(RuleTestRunner(ruleSet: wrong).runAll().first)
        #expect(!outcome.passed)
        #expect(outcome.report.contains("  - missing:    {opened: 2026-01-05, message_contains: \"score 3\"}"))
        #expect(
            outcome.report.contains(
                "    - {rule: early, client: C-1, opened: 2026-01-05, closed: null} message: \"score 2\""),
            "\(outcome.report)")
    }

    /// The default pack's tests notice every change the mutation operators make to its rules.
    @Test func theDefaultPackHasNoSurvivingMutant() {
        let report = MutationReport.run(Fixtures.defaultRuleSet)
        #expect(report.mutants > 150)
        #expect(report.survivors.isEmpty, "\(MutationWriter().render(report))")
    }
}
