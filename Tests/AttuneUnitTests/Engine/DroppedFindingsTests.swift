import AttuneKinds
import Testing

@testable import AttuneCore

/// A kind told the day before which the engine drops findings (`dropsFindingsClosedBefore`)
/// need not make them; the threshold kind, which makes a point finding per matching record,
/// does not.
struct DroppedFindingsTests {
    static let records = """
        - {client: C-1, therapist: T-1, date: 2026-02-22, attendance: attended, measures: {srs: 20}}
        - {client: C-1, therapist: T-1, date: 2026-02-23, attendance: attended, measures: {srs: 21}}
        - {client: C-1, therapist: T-1, date: 2026-02-24, attendance: attended, measures: {srs: 22}}
        - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 23}}
        """

    func drafts(droppingBefore day: Day?) throws -> [String] {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "low.yaml": HistoryReadersTests.lowRule,
        ])
        let rule = try #require(ruleSet.activeRules.first { $0.id == "low" })
        let kind = try #require(rule.kind as? any TimelineDetector)
        let (records, problems) = Fixtures.records(Self.records)
        #expect(problems.isEmpty)
        let asOf = Fixtures.day("2026-03-02")
        let timeline = try #require(Engine.timelines(from: records, asOf: asOf).first)
        let view = RuleTimeline(
            timeline: timeline, indices: Array(0..<timeline.count), asOf: asOf,
            context: RuleTimeline.Context(rule: rule, vocabulary: ruleSet.vocabulary, tracer: nil), probe: nil,
            dropsFindingsClosedBefore: day)
        return try kind.detect(in: view).map(\.opened.description)
    }

    @Test func theThresholdKindSkipsPointFindingsBeforeTheDay() throws {
        #expect(try drafts(droppingBefore: nil) == ["2026-02-22", "2026-02-23", "2026-02-24", "2026-03-02"])
        // The day itself is kept: only findings closed before it are dropped.
        #expect(try drafts(droppingBefore: Fixtures.day("2026-02-24")) == ["2026-02-24", "2026-03-02"])
        #expect(try drafts(droppingBefore: Fixtures.day("2026-03-03")) == [])
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
