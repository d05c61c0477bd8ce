import AttuneAuthoring
import AttuneCore
import Testing

/// `attune explain`: per record, each expression's value with the paths read, the kind's
/// trace, and where findings open and close.
struct ExplainerTests {
    static let ruleSet = Fixtures.ruleSet(
        [
            "pack.yaml": "name: site\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\n",
            "streak.yaml": """
            id: low-streak
            title: Two low SRS in a row
            severity: medium
            kind: streak
            where: attendance == 'attended'
            match: measures.srs < 36
            params: {length: 2}
            message: "{length} low in a row"
            tests:
              - name: none
                records: [{date: 2026-01-08, attendance: attended}]
                expect: []
            """,
        ], alone: true)

    static let records = Fixtures.records(
        """
        - {client: C-7, therapist: T-1, date: 2026-01-05, attendance: attended, measures: {srs: 38}}
        - {client: C-7, therapist: T-1, date: 2026-01-12, attendance: no-show}
        - {client: C-7, therapist: T-1, date: 2026-01-19, attendance: attended, measures: {srs: 33}}
        - {client: C-7, therapist: T-1, date: 2026-01-26, attendance: attended, measures: {srs: 31}}
        - {client: C-7, therapist: T-1, date: 2026-02-02, attendance: attended, measures: {srs: 39}}
        - {client: C-8, therapist: T-1, date: 2026-02-02, attendance: attended, measures: {srs: 20}}
        """
    ).0

    @Test func recordByRecordWithReadsTraceAndFindingEvents() throws {
        #expect(!Self.ruleSet.diagnostics.hasErrors, "\(Self.ruleSet.diagnostics)")
        #expect(Self.records.count == 6)
        let explanation = try Explainer(ruleSet: Self.ruleSet).explain(
            ruleID: "low-streak", records: Self.records, client: "C-7", episode: nil, asOf: nil)
        #expect(explanation.sections.count == 1)
        let steps = explanation.sections[0].steps
        #expect(steps.count == 5)
        #expect(steps[1].seenByKind == false)
        let text = explanation.text()
        #expect(text.contains("rule low-streak (streak, medium) — Two low SRS in a row\n"))
        #expect(
            text.contains(
                "  2026-01-12  no-show  (records.yaml:2:3)\n    where = false   [attendance = 'no-show']\n    (left out by where: the kind does not see this record)\n"
            ))
        #expect(text.contains("    match = true   [measures.srs = 33]\n"))
        #expect(text.contains("    kind: run of 2, length 2 reached: opens on 2026-01-26\n"))
        #expect(
            text.contains("    ▶ finding opens on 2026-01-26 (evidence: 2026-01-19, 2026-01-26): 2 low in a row\n"),
            "\(text)")
        #expect(text.contains("  2026-02-02  attended  (records.yaml:5:3)\n"), "\(text)")
        #expect(text.contains("    ■ finding of 2026-01-26 closes on 2026-02-02\n"), "\(text)")
        #expect(text.contains("  1 finding:\n"))
        #expect(!text.contains("C-8"))
    }

    @Test func unknownRuleAndClientAreReportedWithSuggestions() {
        #expect(throws: Explainer.Failure.self) {
            try Explainer(ruleSet: Self.ruleSet).explain(
                ruleID: "low-streek", records: Self.records, client: "C-7", episode: nil, asOf: nil)
        }
        do {
            _ = try Explainer(ruleSet: Self.ruleSet).explain(
                ruleID: "low-streak", records: Self.records, client: "C-9", episode: nil, asOf: nil)
            Issue.record("an unknown client must fail")
        } catch {
            #expect(error.message == "no records for client 'C-9'; did you mean 'C-7'? (2 clients in the input)")
        }
    }
}
