import AttuneCore
import AttuneReporters
import AttuneRuleTesting
import Testing

/// JUnit XML of rule test outcomes: suites per rule or scenario file, failures with the diff.
struct JUnitWriterTests {
    @Test func outcomesBecomeSuitesAndCases() {
        let ruleSet = Fixtures.ruleSet(
            [
                "pack.yaml": "name: site\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\n",
                "low.yaml": """
                id: low-srs
                title: Low <SRS> & "more"
                severity: low
                kind: threshold
                match: measures.srs < 36
                message: low
                tests:
                  - name: fires <once>
                    records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
                    expect: [{opened: 2026-01-08}]
                  - name: wrongly expects nothing
                    records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
                    expect: []
                """,
            ], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let xml = JUnitWriter().render(RuleTestRunner(ruleSet: ruleSet).runAll())
        let lines = xml.split(separator: "\n").map(String.init)
        #expect(lines[0] == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        #expect(lines[1] == "<testsuites name=\"attune test\" tests=\"2\" failures=\"1\" errors=\"0\">")
        #expect(lines[2] == "  <testsuite name=\"low-srs\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">")
        #expect(
            lines[3]
                == "    <testcase name=\"fires &lt;once&gt;\" classname=\"low-srs\" file=\"site/low.yaml\" line=\"8\"/>"
        )
        #expect(
            lines[4]
                == "    <testcase name=\"wrongly expects nothing\" classname=\"low-srs\" file=\"site/low.yaml\" line=\"11\">"
        )
        #expect(
            lines[5].hasPrefix(
                "      <failure message=\"1 unexpected finding\" type=\"attune.rule-test\">site/low.yaml:11:5: low-srs › wrongly expects nothing"
            ))
        #expect(
            xml.contains(
                "  + unexpected: {rule: low-srs, client: C-1, opened: 2026-01-08, closed: 2026-01-08}</failure>"))
        #expect(lines.suffix(3) == ["    </testcase>", "  </testsuite>", "</testsuites>"])
    }
}
