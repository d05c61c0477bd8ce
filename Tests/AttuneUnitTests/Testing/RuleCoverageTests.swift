import AttuneCore
import AttuneReporters
import AttuneRuleTesting
import Testing

/// `attune test --coverage`: conditions both ways, parts of compound conditions, signals, kind branches.
struct RuleCoverageTests {
    static let pack =
        "name: site\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\nconstants: {cutoff: 36}\n"

    static let streakRule = """
        id: low-run
        title: Low run
        severity: low
        kind: streak
        where: attendance == 'attended'
        match: measures.srs < cutoff and has(measures.srs)
        params: {length: 2}
        message: low
        tests:
          - name: two low in a row open it
            records:
              - {date: 2026-01-05, attendance: attended, measures: {srs: 30}}
              - {date: 2026-01-12, attendance: attended, measures: {srs: 31}}
            expect: [{opened: 2026-01-12, closed: null}]
        """

    @Test func reportsWhatNoTestExercised() throws {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "low-run.yaml": Self.streakRule], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let report = CoverageReport.measure(ruleSet)
        #expect(report.outcomes.allSatisfy { $0.passed })
        let entry = try #require(report.rules.first)
        #expect(entry.rule == "low-run")
        let texts = entry.items.map { "\($0.key) \($0.text) \($0.missing)" }
        #expect(
            texts == [
                "where attendance == 'attended' [\"false\"]",
                "match measures.srs < cutoff and has(measures.srs) [\"false\"]",
                "match measures.srs < cutoff [\"false\"]",
                "match has(measures.srs) [\"false\"]",
                "streak opens []",
                "streak falls short [\"taken\"]",
                "streak closes [\"taken\"]",
            ])
        #expect(entry.items[1].location.line == 6)
        #expect(entry.items[4].location.line == 7)  // params.length
        #expect(entry.parameters.map(\.name) == ["length"])
        #expect(entry.parameters.first?.covered == false)
        #expect(entry.covered == 5 && entry.total == 11)

        let text = CoverageWriter().render(report, as: .text)
        #expect(text.hasPrefix("Rule coverage: 45.5% (5 of 11 outcomes exercised by the tests)\n"), "\(text)")
        #expect(text.contains("site/low-run.yaml:6:1: match: `measures.srs < cutoff` never false in a test"))
        #expect(
            text.contains(
                "site/low-run.yaml:7:10: streak branch 'falls short' (length) never taken: a run of matching records ends before the length"
            ), "\(text)")
    }

    @Test func moreTestsRaiseIt() throws {
        let more =
            Self.streakRule + """

                  - name: one low then a good one
                    records:
                      - {date: 2026-01-05, attendance: attended, measures: {srs: 30}}
                      - {date: 2026-01-12, attendance: no-show}
                      - {date: 2026-01-19, attendance: attended, measures: {srs: 38}}
                      - {date: 2026-01-26, attendance: attended, measures: {srs: 30}}
                      - {date: 2026-02-02, attendance: attended, measures: {srs: 30}}
                      - {date: 2026-02-09, attendance: attended}
                    expect: [{opened: 2026-02-02, closed: 2026-02-09}]
                """
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "low-run.yaml": more], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let report = CoverageReport.measure(ruleSet)
        #expect(report.outcomes.allSatisfy { $0.passed }, "\(report.outcomes.map(\.report))")
        // All but one: `has(measures.srs)` is only asked once `measures.srs < cutoff` held, so it is
        // never false; coverage shows the conjunct adds nothing.
        let text = CoverageWriter().render(report, as: .text)
        #expect(
            text.hasPrefix(
                "Rule coverage: 90.9% (10 of 11 outcomes exercised by the tests)\n  low-run   90.9%  (10/11)  params: length covered\n"
            ), "\(text)")
        #expect(text.hasSuffix("      site/low-run.yaml:6:1: match: `has(measures.srs)` never false in a test\n"))
    }

    @Test func signalsAreConditionsOfTheirOwn() throws {
        let rule = """
            id: early
            title: Early
            severity: high
            kind: score
            params:
              at_least: 2
              first_n: 3
              signals:
                - {when: "attendance == 'no-show'", points: 2, label: no-show}
                - {when: "measures.srs < cutoff", points: 1, label: low SRS}
            message: early
            tests:
              - name: a no-show scores 2
                records: [{date: 2026-01-05, attendance: no-show}]
                expect: [{opened: 2026-01-05}]
            """
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "early.yaml": rule], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let entry = try #require(CoverageReport.measure(ruleSet).rules.first)
        let signals = entry.items.filter { $0.key.hasPrefix("signal") }
        #expect(signals.map(\.key) == ["signal 'no-show'", "signal 'low SRS'"])
        #expect(signals.map(\.missing) == [["false"], ["true"]])
        #expect(signals.map(\.location.line) == [9, 10])
    }

    @Test func lineFormatsMapToTheRuleFile() throws {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Self.pack, "low-run.yaml": Self.streakRule], alone: true)
        let report = CoverageReport.measure(ruleSet)
        let lcov = CoverageWriter().render(report, as: .lcov)
        #expect(lcov.hasPrefix("TN:attune\nSF:site/low-run.yaml\nFN:1,low-run\nFNDA:1,low-run\n"), "\(lcov)")
        #expect(lcov.contains("BRDA:6,0,0,2\nBRDA:6,0,1,-\n"))
        #expect(lcov.contains("\nBRF:11\nBRH:5\n"))
        #expect(lcov.contains("\nDA:4,0\nDA:5,2\nDA:6,6\n"))
        #expect(lcov.hasSuffix("end_of_record\n"))
        let xml = CoverageWriter().render(report, as: .cobertura)
        #expect(xml.contains("branches-covered=\"5\" branches-valid=\"11\""))
        #expect(xml.contains("<class name=\"low-run\" filename=\"site/low-run.yaml\""))
        #expect(
            xml.contains("<line number=\"7\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\"/>"), "\(xml)")
        let json = CoverageWriter().render(report, as: .json)
        #expect(json.contains("\"schema\": \"attune.coverage/1\""))
        #expect(json.contains("\"length\": false"))
    }
}
