import AttuneCore
import Testing

/// Rules whose `where` has the same text share the records it passes on each timeline (it is
/// evaluated once): every rule must still find, fail and count unjudged records exactly as it
/// does run on its own, where nothing is shared.
struct SharedWhereTests {
    /// Each rule run alone, put together in the engine's order.
    static func eachAlone(_ rules: [Rule], _ ruleSet: RuleSet, _ records: [SessionRecord], asOf: Day) -> (
        findings: [Finding], failures: [Engine.Failure], unjudged: [String: Int]
    ) {
        var findings: [Finding] = []
        var failures: [Engine.Failure] = []
        var unjudged: [String: Int] = [:]
        for rule in rules {
            let output = Engine(rules: [rule], vocabulary: ruleSet.vocabulary).run(
                timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
            findings += output.findings
            failures += output.failures
            unjudged.merge(output.unjudged) { $0 + $1 }
        }
        return (findings.sorted(by: Engine.findingOrder), failures, unjudged)
    }

    static func together(_ rules: [Rule], _ ruleSet: RuleSet, _ records: [SessionRecord], asOf: Day, jobs: Int)
        -> Engine.Output
    {
        Engine(rules: rules, vocabulary: ruleSet.vocabulary).run(
            timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf, jobs: jobs))
    }

    static func rule(_ id: String, where condition: String?, match: String, kind: String = "threshold") -> String {
        """
        id: \(id)
        title: \(id)
        severity: low
        kind: \(kind)
        \(condition.map { "where: \($0)" } ?? "")
        match: \(match)
        message: "\(id) on {opened}"
        """
    }

    /// Three rules share a `where` that divides by zero on one client's second record, two
    /// share one that reads a measure some records lack, one has a `where` of its own and one
    /// has none. The timelines are evaluated in turn by one worker, which keeps the lists of
    /// indices from one timeline to the next: each must see its own, of its own length.
    @Test func rulesSharingAWhereFailAndFindAsEachDoesAlone() throws {
        let dividing = "10 / (measures.ors - 20) > 0"
        let ruleSet = Fixtures.ruleSet(
            [
                "pack.yaml": Fixtures.srsAndORSPackYAML,
                "a.yaml": Self.rule("a", where: dividing, match: "measures.srs < 36"),
                "b.yaml": Self.rule("b", where: dividing, match: "attendance == 'attended'"),
                "c.yaml": Self.rule(
                    "c", where: dividing, match: "measures.srs < 30", kind: "streak\nparams: {length: 1}"),
                "d.yaml": Self.rule("d", where: "measures.srs < 36", match: "measures.ors < 25"),
                "e.yaml": Self.rule("e", where: "measures.srs < 36", match: "measures.ors < 30"),
                "f.yaml": Self.rule("f", where: "attendance == 'attended'", match: "measures.srs < 38"),
                "g.yaml": Self.rule("g", where: nil, match: "measures.ors < 22"),
            ], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let (records, problems) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-02, attendance: attended, measures: {srs: 30, ors: 10}}
            - {client: C-1, therapist: T-1, date: 2026-11-09, attendance: attended, measures: {srs: 34, ors: 24}}
            - {client: C-1, therapist: T-1, date: 2026-11-16, attendance: attended, measures: {srs: 39}}
            - {client: C-2, therapist: T-1, date: 2026-11-03, attendance: attended, measures: {srs: 28, ors: 22}}
            - {client: C-2, therapist: T-1, date: 2026-11-10, attendance: attended, measures: {srs: 30, ors: 20}}
            - {client: C-2, therapist: T-1, date: 2026-11-17, attendance: no-show}
            - {client: C-3, therapist: T-2, date: 2026-11-04, attendance: no-show}
            - {client: C-3, therapist: T-2, date: 2026-11-11, attendance: attended, measures: {ors: 21}}
            - {client: C-3, therapist: T-2, date: 2026-11-18, attendance: attended, measures: {srs: 35, ors: 26}}
            - {client: C-3, therapist: T-2, date: 2026-11-25, attendance: attended, measures: {srs: 33, ors: 21}}
            """)
        #expect(problems.isEmpty, "\(problems)")
        let asOf = Fixtures.day("2026-11-29")
        let alone = Self.eachAlone(ruleSet.activeRules, ruleSet, records, asOf: asOf)
        #expect(alone.failures.count == 3, "the dividing where fails on C-2 for each of a, b, c: \(alone.failures)")
        #expect(!alone.findings.isEmpty)
        for jobs in [1, 2] {
            let shared = Self.together(ruleSet.activeRules, ruleSet, records, asOf: asOf, jobs: jobs)
            #expect(shared.findings == alone.findings, "jobs \(jobs)")
            #expect(
                Set(shared.failures.map(\.description)) == Set(alone.failures.map(\.description)), "jobs \(jobs)")
            #expect(shared.failures.count == alone.failures.count, "jobs \(jobs)")
            #expect(shared.unjudged == alone.unjudged, "jobs \(jobs)")
        }
    }

    /// The default pack, whose rules nearly all share `attendance == 'attended'`, on the example clinic.
    @Test func theDefaultPackFindsWhatItsRulesFindAlone() throws {
        let batch = try RecordLoader(vocabulary: Fixtures.vocabulary).load(paths: [
            Fixtures.repositoryRoot + "/Examples/clinic"
        ])
        let asOf = Fixtures.day("2026-11-29")
        // Rules reading findings run after the rules they read, on the whole list: compare the timeline rules.
        let rules = Fixtures.defaultRuleSet.activeRules.filter { $0.inputRules.isEmpty }
        let alone = Self.eachAlone(rules, Fixtures.defaultRuleSet, batch.records, asOf: asOf)
        let shared = Self.together(rules, Fixtures.defaultRuleSet, batch.records, asOf: asOf, jobs: 1)
        #expect(alone.findings.count > 20)
        #expect(shared.findings == alone.findings)
        #expect(shared.failures.isEmpty && alone.failures.isEmpty)
        #expect(shared.unjudged == alone.unjudged)
    }
}
