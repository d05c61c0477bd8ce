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

    /// The derived values are kept in one array per timeline (positions, previous attended
    /// records, then baselines): each must read as worked out record by record, for timelines
    /// with and without attended records and measures.
    @Test func derivedValuesMatchThoseWorkedOutRecordByRecord() throws {
        var generator = YAMLTestRandom(seed: 7)
        let measures = ["phq9", "gad7", "srs", "ors"]
        for length in [0, 1, 2, 5, 13] {
            var yaml = ""
            for day in 0..<length {
                let attendance = Int.random(in: 0..<3, using: &generator) == 0 ? "no-show" : "attended"
                let carried = measures.filter { _ in Bool.random(using: &generator) }
                let values = carried.map { "\($0): \(Int.random(in: 0...20, using: &generator))" }
                yaml += "- {date: \(Fixtures.day("2026-01-05").adding(days: 7 * day)), session: \(day + 1), "
                yaml += "attendance: \(attendance), measures: {\(values.joined(separator: ", "))}}\n"
            }
            let (records, problems) = yaml.isEmpty ? ([], []) : Fixtures.records(yaml, defaults: .ruleTests)
            #expect(problems.isEmpty, "\(problems)")
            #expect(records.count == length)
            let timeline = Timeline(client: "C-1", episode: "1", records: records)
            let attended = timeline.records.indices.filter { timeline.records[$0].attendance == .attended }
            #expect(timeline.firstAttendedIndex == attended.first)
            for index in timeline.records.indices {
                let before = attended.filter { $0 < index }
                let number = attended.firstIndex(of: index).map { $0 + 1 }
                #expect(timeline.attendedNumber(at: index) == number, "length \(length) record \(index)")
                #expect(timeline.previousAttendedIndex(at: index) == before.last, "length \(length) record \(index)")
            }
            for name in measures {
                let measure = try #require(Fixtures.vocabulary.measureIndex(name))
                let first = attended.first { timeline.records[$0].measures[measure] != nil }
                #expect(timeline.recordsMeasure(measure) == (first != nil), "length \(length) \(name)")
                for index in timeline.records.indices {
                    let expected = first.flatMap { $0 <= index ? $0 : nil }
                    #expect(timeline.baselineIndex(measure: measure, at: index) == expected, "\(name) at \(index)")
                }
            }
        }
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

    /// A rule nobody reads is told the day before which its findings are dropped, and the
    /// threshold kind makes none closed before it: a point finding on the first day of the
    /// period is still made, the day before is not, and the findings are those a filter keeps.
    @Test func aKindSkipsOnlyFindingsTheReviewDrops() throws {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "low.yaml": HistoryReadersTests.lowRule,
        ])
        let (records, problems) = Fixtures.records(DroppedFindingsTests.records)
        #expect(problems.isEmpty)
        let asOf = Fixtures.day("2026-03-02")
        let since = Fixtures.day("2026-02-24")
        let engine = Engine(rules: ruleSet.activeRules.filter { $0.id == "low" }, vocabulary: ruleSet.vocabulary)
        let timelines = Engine.timelines(from: records, asOf: asOf)
        let all = engine.run(timelines: timelines, options: .init(asOf: asOf)).findings
        let kept = engine.run(timelines: timelines, options: .init(asOf: asOf, keepsFindingsOpenSince: since)).findings
        #expect(all.map(\.opened.description) == ["2026-02-22", "2026-02-23", "2026-02-24", "2026-03-02"])
        #expect(kept == all.filter { $0.isOpen(during: since, asOf) })
        #expect(kept.map(\.opened.description) == ["2026-02-24", "2026-03-02"])
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
