import AttuneCore
import Testing

/// Grouping and the derived values of records.md.
struct TimelineTests {
    @Test func ordersByDateThenSessionAndDerivesValues() {
        let (records, _) = Fixtures.records(
            """
            - {date: 2026-01-19, session: 3, attendance: attended}
            - {date: 2026-01-05, session: 1, attendance: attended}
            - {date: 2026-01-12, session: 2, attendance: no-show}
            - {date: 2026-01-19, session: 4, attendance: attended}
            """, defaults: .ruleTests)
        let timeline = Timeline(client: "C-1", episode: "1", records: records)
        #expect(timeline.records.map(\.session) == [1, 2, 3, 4])
        #expect((0..<4).map { timeline.attendedNumber(at: $0) } == [1, nil, 2, 3])
        #expect((0..<4).map { timeline.previousAttendedIndex(at: $0) } == [nil, 0, 0, 2])
        #expect((0..<4).map { timeline.daysSincePrevious(at: $0) } == [nil, 7, 7, 0])
        #expect(timeline.firstAttendedIndex == 0)
    }

    @Test func groupsByClientAndEpisodeAndLeavesOutRecordsAfterAsOf() {
        let (records, _) = Fixtures.records(
            """
            - {client: C-2, therapist: T-1, date: 2026-01-05, attendance: attended}
            - {client: C-1, therapist: T-1, episode: "2", date: 2026-01-05, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-01-05, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-02-05, attendance: attended}
            """)
        let timelines = Engine.timelines(from: records, asOf: Fixtures.day("2026-01-31"))
        #expect(timelines.map { "\($0.client)/\($0.episode)/\($0.count)" } == ["C-1/1/1", "C-1/2/1", "C-2/1/1"])
    }
}

/// A review only needs findings open in its period; the engine leaves the others out, after the
/// rules that read findings have seen the whole history.
struct FindingRetentionTests {
    @Test func onlyFindingsOpenSinceTheDayAreKeptAndReadersStillSeeTheHistory() throws {
        let batch = try RecordLoader(vocabulary: Fixtures.vocabulary).load(paths: [
            Fixtures.repositoryRoot + "/Examples/clinic"
        ])
        let asOf = Fixtures.day("2026-11-29")
        let since = Fixtures.day("2026-11-23")
        let engine = Engine(rules: Fixtures.defaultRuleSet.activeRules, vocabulary: Fixtures.vocabulary)
        let timelines = Engine.timelines(from: batch.records, asOf: asOf)
        let all = engine.run(timelines: timelines, options: .init(asOf: asOf)).findings
        let kept = engine.run(timelines: timelines, options: .init(asOf: asOf, keepsFindingsOpenSince: since)).findings
        // Caseload findings among them too: made from every finding of the rules they read, then kept if open.
        #expect(kept == all.filter { $0.isOpen(during: since, asOf) })
        #expect(kept.count < all.count)
    }

    /// Findings closed before the period are kept for the rules that read them (as their
    /// history: where and when), read, then let go: what the readers find is the same as with the
    /// whole history kept.
    @Test func readersSeeTheHistoryBeforeThePeriod() throws {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "low.yaml": HistoryReadersTests.lowRule,
            "cluster.yaml": """
            id: cluster
            title: Cluster
            severity: high
            kind: caseload
            params: {rules: [low], at_least: 2}
            message: "{count} clients: {clients}"
            """,
        ])
        #expect(ruleSet.diagnostics.errors.filter { $0.location.file.hasPrefix("site/") }.isEmpty)
        // C-1 and C-2 are low together in January (history), C-1 and C-3 again in the period.
        let (records, problems) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-01-05, attendance: attended, measures: {srs: 20}}
            - {client: C-2, therapist: T-1, date: 2026-01-05, attendance: attended, measures: {srs: 21}}
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 22}}
            - {client: C-3, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 23}}
            """)
        #expect(problems.isEmpty)
        let asOf = Fixtures.day("2026-03-02")
        let since = Fixtures.day("2026-02-24")
        let engine = Engine(
            rules: ruleSet.activeRules.filter { $0.id == "low" || $0.id == "cluster" },
            vocabulary: ruleSet.vocabulary)
        let timelines = Engine.timelines(from: records, asOf: asOf)
        let all = engine.run(timelines: timelines, options: .init(asOf: asOf)).findings
        let kept = engine.run(timelines: timelines, options: .init(asOf: asOf, keepsFindingsOpenSince: since)).findings
        #expect(all.filter { $0.rule == "low" }.count == 4)
        #expect(all.filter { $0.rule == "cluster" }.count == 2)
        #expect(kept == all.filter { $0.isOpen(during: since, asOf) })
        #expect(kept.map(\.rule) == ["low", "low", "cluster"])
    }
}
