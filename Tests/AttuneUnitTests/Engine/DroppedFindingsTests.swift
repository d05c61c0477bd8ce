import AttuneKinds
import Testing

@testable import AttuneCore

/// A kind told the day before which the engine drops findings (`dropsFindingsClosedBefore`)
/// need not make them; the threshold kind, which makes a point finding per matching record,
/// does not, nor do the kinds that make a finding when it closes (streak, score, gap).
struct DroppedFindingsTests {
    static let records = """
        - {client: C-1, therapist: T-1, date: 2026-02-22, attendance: attended, measures: {srs: 20}}
        - {client: C-1, therapist: T-1, date: 2026-02-23, attendance: attended, measures: {srs: 21}}
        - {client: C-1, therapist: T-1, date: 2026-02-24, attendance: attended, measures: {srs: 22}}
        - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 23}}
        """

    func drafts(droppingBefore day: Day?) throws -> [String] {
        try findingDrafts(HistoryReadersTests.lowRule, Self.records, asOf: "2026-03-02", droppingBefore: day)
            .map(\.opened.description)
    }

    /// What the kind of `ruleYAML` (rule id `low`) drafts on the one timeline of `recordsYAML`,
    /// its records filtered by the rule's `where` as the engine does.
    func findingDrafts(_ ruleYAML: String, _ recordsYAML: String, asOf: String, droppingBefore day: Day?) throws
        -> [FindingDraft]
    {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "low.yaml": ruleYAML])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics.errors)")
        let rule = try #require(ruleSet.activeRules.first { $0.id == "low" })
        let kind = try #require(rule.kind as? any TimelineDetector)
        let (records, problems) = Fixtures.records(recordsYAML)
        #expect(problems.isEmpty)
        let asOfDay = Fixtures.day(asOf)
        let timeline = try #require(Engine.timelines(from: records, asOf: asOfDay).first)
        let indices = try Engine.passing(rule.whereExpression, timeline, probe: nil)
        let view = RuleTimeline(
            timeline: timeline, indices: indices, asOf: asOfDay,
            context: RuleTimeline.Context(rule: rule, vocabulary: ruleSet.vocabulary, tracer: nil), probe: nil,
            dropsFindingsClosedBefore: day)
        return try kind.detect(in: view)
    }

    /// A score rule scoring a no-show a point, over `scope` (`first_n` or `of_last`) 1.
    static func scoreRule(scope: String) -> String {
        """
        id: low
        title: Low
        severity: low
        kind: score
        params:
          \(scope): 1
          at_least: 1
          signals:
            - {label: no-show, when: "attendance == 'no-show'", points: 1}
        message: a score
        """
    }

    /// Rules of the kinds that make a finding when it closes, each on records where one finding
    /// closes before the day and one closes on it or stays open.
    static let closingKinds: [(name: String, rule: String, records: String, asOf: String, day: String)] = [
        (
            "streak",
            """
            id: low
            title: Low
            severity: low
            kind: streak
            match: attendance == 'no-show'
            params: {length: 2}
            message: a run
            """,
            """
            - {client: C-1, therapist: T-1, date: 2026-02-02, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-09, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-16, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-02-23, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: no-show}
            """, "2026-03-02", "2026-02-23"
        ),
        (
            "score of_last",
            scoreRule(scope: "of_last"),
            """
            - {client: C-1, therapist: T-1, date: 2026-02-02, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-09, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-02-16, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-23, attendance: attended}
            """, "2026-02-23", "2026-02-10"
        ),
        (
            "score first_n",
            scoreRule(scope: "first_n"),
            """
            - {client: C-1, therapist: T-1, date: 2026-02-02, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-09, attendance: attended}
            """, "2026-02-09", "2026-02-10"
        ),
        (
            "gap",
            """
            id: low
            title: Low
            severity: low
            kind: gap
            params: {days: 21}
            message: a gap
            """,
            """
            - {client: C-1, therapist: T-1, date: 2026-01-05, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-02-16, attendance: attended}
            """, "2026-03-30", "2026-02-17"
        ),
    ]

    /// Without a day every finding is made; with one, exactly those closed before it are not.
    /// Each case has a finding closed before the day, so a kind that ignores it fails here.
    @Test(arguments: closingKinds.indices)
    func kindsThatCloseFindingsSkipThoseBeforeTheDay(_ position: Int) throws {
        let (name, rule, records, asOf, dayText) = Self.closingKinds[position]
        let day = Fixtures.day(dayText)
        let all = try findingDrafts(rule, records, asOf: asOf, droppingBefore: nil)
        let kept = try findingDrafts(rule, records, asOf: asOf, droppingBefore: day)
        let expected = all.filter { draft in draft.closed.map { $0 >= day } ?? true }
        #expect(expected.count < all.count, "\(name): no finding closes before \(dayText)")
        #expect(kept.map(\.opened) == expected.map(\.opened), "\(name)")
        #expect(kept.map(\.closed) == expected.map(\.closed), "\(name)")
        #expect(kept.map(\.evidence) == expected.map(\.evidence), "\(name)")
    }

    @Test func theThresholdKindSkipsPointFindingsBeforeTheDay() throws {
        #expect(try drafts(droppingBefore: nil) == ["2026-02-22", "2026-02-23", "2026-02-24", "2026-03-02"])
        // The day itself is kept: only findings closed before it are dropped.
        #expect(try drafts(droppingBefore: Fixtures.day("2026-02-24")) == ["2026-02-24", "2026-03-02"])
        #expect(try drafts(droppingBefore: Fixtures.day("2026-03-03")) == [])
    }

    /// The engine shows one view of a timeline to each of its rules in turn (`show`): what a
    /// rule's kind sees must be the view made for it alone, whatever the rule before it had.
    @Test func aViewShownToAnotherRuleIsTheViewMadeForIt() throws {
        let streak = Self.closingKinds[0]
        let ruleSet = Fixtures.ruleSet([
            // `low` looks at attended records only: the two rules see different records.
            "pack.yaml": Fixtures.minimalPackYAML,
            "low.yaml": HistoryReadersTests.lowRule + "\nwhere: attendance == 'attended'",
            "run.yaml": streak.rule.replacingOccurrences(of: "id: low", with: "id: run"),
        ])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics.errors)")
        // Each rule has a finding that closes before the day and one that does not.
        let (records, problems) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-02-02, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-09, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-02-16, attendance: attended, measures: {srs: 20}}
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 25}}
            - {client: C-1, therapist: T-1, date: 2026-03-09, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-03-16, attendance: no-show}
            """)
        #expect(problems.isEmpty)
        let asOf = Fixtures.day("2026-03-16")
        let timeline = try #require(Engine.timelines(from: records, asOf: asOf).first)
        func fresh(_ id: String, dropping day: Day?) throws -> (RuleTimeline, any TimelineDetector) {
            let rule = try #require(ruleSet.activeRules.first { $0.id == id })
            let view = RuleTimeline(
                timeline: timeline, indices: try Engine.passing(rule.whereExpression, timeline, probe: nil), asOf: asOf,
                context: RuleTimeline.Context(rule: rule, vocabulary: ruleSet.vocabulary, tracer: nil), probe: nil,
                dropsFindingsClosedBefore: day)
            return (view, try #require(rule.kind as? any TimelineDetector))
        }
        // Each way round: a rule that drops findings before a day, then one that keeps them all.
        let day = Fixtures.day("2026-02-23")
        for (first, second) in [
            (("low", day), ("run", nil)), (("run", day), ("low", nil)), (("low", nil), ("run", day)),
        ] {
            var view = try fresh(first.0, dropping: first.1).0
            let (alone, kind) = try fresh(second.0, dropping: second.1)
            view.show(alone.indices, to: alone.context, dropsFindingsClosedBefore: alone.dropsFindingsClosedBefore)
            #expect(view.indices == alone.indices)
            #expect(view.dropsFindingsClosedBefore == alone.dropsFindingsClosedBefore)
            for index in timeline.records.indices { #expect(try view.matches(index) == alone.matches(index)) }
            let shown = try kind.detect(in: view)
            let made = try kind.detect(in: alone)
            #expect(!made.isEmpty, "\(second.0)")
            #expect(shown.map(\.opened) == made.map(\.opened), "\(first) then \(second)")
            #expect(shown.map(\.closed) == made.map(\.closed), "\(first) then \(second)")
            #expect(shown.map(\.evidence) == made.map(\.evidence), "\(first) then \(second)")
        }
    }

    @Test func dropsComparesTheClosingDay() throws {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "low.yaml": HistoryReadersTests.lowRule])
        let rule = try #require(ruleSet.activeRules.first)
        let (records, _) = Fixtures.records(Self.records)
        let timeline = try #require(Engine.timelines(from: records, asOf: nil).first)
        let context = RuleTimeline.Context(rule: rule, vocabulary: ruleSet.vocabulary, tracer: nil)
        let since = Fixtures.day("2026-02-24")
        let dropping = RuleTimeline(
            timeline: timeline, indices: [], asOf: since, context: context, probe: nil, dropsFindingsClosedBefore: since
        )
        #expect(dropping.drops(closedOn: Fixtures.day("2026-02-23")))
        #expect(!dropping.drops(closedOn: since))
        let keeping = RuleTimeline(timeline: timeline, indices: [], asOf: since, context: context, probe: nil)
        #expect(!keeping.drops(closedOn: Fixtures.day("1900-01-01")))
    }
}
