import Synchronization
import Testing

@testable import AttuneCore

/// The engine joins what its workers found on chunks of timelines, and what the rules reading
/// findings made, into one output: nothing may be lost, counted twice or put out of order.
struct EngineJoinTests {
    /// Records not judged are summed per chunk of timelines as they are evaluated: over several
    /// chunks (256 timelines each) and threads the sums are those of every timeline.
    @Test func recordsNotJudgedAreCountedOnEveryChunk() throws {
        let ruleSet = Fixtures.ruleSet(
            [
                "pack.yaml": Fixtures.srsAndORSPackYAML,
                "low-ors.yaml": SharedWhereTests.rule(
                    "low-ors", where: "attendance == 'attended'", match: "measures.ors < 25"),
            ], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        // 700 clients: a record with the ORS and one without (not judged), and every 7th client a third without.
        var yaml = ""
        for client in 0..<700 {
            yaml += "- {client: C-\(client), therapist: T-1, date: 2026-11-02, attendance: attended, "
            yaml += "measures: {srs: 30, ors: 30}}\n"
            yaml +=
                "- {client: C-\(client), therapist: T-1, date: 2026-11-09, attendance: attended, measures: {srs: 30}}\n"
            if client % 7 == 0 {
                yaml += "- {client: C-\(client), therapist: T-1, date: 2026-11-16, attendance: attended, "
                yaml += "measures: {srs: 31}}\n"
            }
        }
        let (records, problems) = Fixtures.records(yaml)
        #expect(problems.isEmpty, "\(problems)")
        let asOf = Fixtures.day("2026-11-29")
        let timelines = Engine.timelines(from: records, asOf: asOf)
        #expect(timelines.count == 700)
        for jobs in [1, 2, 3] {
            let output = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary).run(
                timelines: timelines, options: .init(asOf: asOf, jobs: jobs))
            #expect(output.unjudged == ["low-ors": 800], "jobs \(jobs)")
        }
    }

    /// `low`, `low-cluster` (a caseload rule reading it) and `extra` rules, those named in
    /// `recording` logging what they are shown into `log`.
    static func lowClusterRules(
        extra: [String: String] = [:], recording: Set<String>, into log: HistoryReadersTests.Log
    ) -> (RuleSet, [Rule]) {
        let ruleSet = Fixtures.ruleSet(
            [
                "pack.yaml": Fixtures.minimalPackYAML,
                "low.yaml": HistoryReadersTests.lowRule,
                "low-cluster.yaml": """
                id: low-cluster
                title: Low cluster
                severity: high
                kind: caseload
                params: {rules: [low], at_least: 2}
                message: "{count} clients: {clients}"
                """,
            ].merging(extra) { _, added in added })
        #expect(ruleSet.diagnostics.errors.filter { $0.location.file.hasPrefix("site/") }.isEmpty)
        let ids = Set(["low", "low-cluster"] + extra.keys.map { String($0.dropLast(".yaml".count)) })
        let rules = ruleSet.activeRules.filter { ids.contains($0.id) }.map { rule in
            guard recording.contains(rule.id), let reader = rule.kind as? any FindingsDetector else { return rule }
            var recorded = rule
            recorded.kind = HistoryReadersTests.Recorder(wrapped: reader, readsValues: false, log: log)
            return recorded
        }
        return (ruleSet, rules)
    }

    /// A rule reading the findings of a rule that reads findings: it is shown the findings the
    /// first one made (of its therapist, in the order they were made), in a review (where they
    /// are joined to the timeline rules' only at the end) as with every finding kept.
    @Test func aReaderOfAReaderIsShownItsFindings() throws {
        let log = HistoryReadersTests.Log()
        let (ruleSet, rules) = Self.lowClusterRules(
            extra: [
                "of-clusters.yaml": """
                id: of-clusters
                title: Of clusters
                severity: high
                kind: caseload
                params: {rules: [low-cluster], at_least: 1}
                message: "{count} clusters"
                """
            ], recording: ["of-clusters"], into: log)
        #expect(Set(rules.map(\.id)) == ["low", "low-cluster", "of-clusters"])
        // Two therapists whose clients score low together in January (history) and in March.
        var yaml = ""
        for client in 1...6 {
            for day in ["2026-01-05", "2026-01-12", "2026-03-23", "2026-03-24"] {
                let srs = client % 3 == 0 ? 35 : 20 + client
                yaml += "- {client: C-\(client), therapist: T-\(client % 2), date: \(day), attendance: attended, "
                yaml += "measures: {srs: \(srs)}}\n"
            }
        }
        let (records, problems) = Fixtures.records(yaml)
        #expect(problems.isEmpty, "\(problems)")
        let asOf = Fixtures.day("2026-03-29")
        let since = Fixtures.day("2026-03-23")
        let engine = Engine(rules: rules, vocabulary: ruleSet.vocabulary)
        func run(since: Day?, jobs: Int) -> (views: [CaseloadView], findings: [Finding]) {
            log.views.withLock { $0 = [] }
            let output = engine.run(
                timelines: Engine.timelines(from: records, asOf: asOf),
                options: .init(asOf: asOf, jobs: jobs, keepsFindingsOpenSince: since))
            return (log.views.withLock { $0 }.map(\.view), output.findings)
        }
        let whole = run(since: nil, jobs: 1)
        let clusters = whole.findings.filter { $0.rule == "low-cluster" }
        #expect(Set(clusters.map(\.therapist)) == ["T-0", "T-1"])
        #expect(clusters.contains { $0.closed.map { $0 < since } ?? false }, "a cluster closed before the period")
        #expect(whole.views.map(\.therapist) == ["T-0", "T-1"])
        for view in whole.views {
            #expect(view.findings == clusters.filter { $0.therapist == view.therapist }.map(ReadFinding.init))
        }
        for jobs in [1, 2] {
            let review = run(since: since, jobs: jobs)
            #expect(review.views.map(\.findings) == whole.views.map(\.findings), "jobs \(jobs)")
            #expect(review.findings == whole.findings.filter { $0.isOpen(during: since, asOf) }, "jobs \(jobs)")
        }
    }

    /// A reader is shown each client's attended dates with the therapist in order, across the
    /// client's episodes (whose timelines come one after the other) and therapists.
    @Test func aReaderIsShownEachClientsAttendedDatesInOrder() throws {
        let log = HistoryReadersTests.Log()
        let (ruleSet, rules) = Self.lowClusterRules(recording: ["low-cluster"], into: log)
        // C-1's two episodes interleave; a no-show is not an attended date; C-2 sees two therapists.
        let (records, problems) = Fixtures.records(
            """
            - {client: C-1, episode: "2", therapist: T-1, date: 2026-03-04, attendance: attended, measures: {srs: 20}}
            - {client: C-1, episode: "1", therapist: T-1, date: 2026-03-09, attendance: attended, measures: {srs: 35}}
            - {client: C-1, episode: "2", therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 21}}
            - {client: C-1, episode: "1", therapist: T-1, date: 2026-03-03, attendance: no-show}
            - {client: C-1, episode: "1", therapist: T-1, date: 2026-03-01, attendance: attended, measures: {srs: 36}}
            - {client: C-2, therapist: T-2, date: 2026-03-05, attendance: attended, measures: {srs: 22}}
            - {client: C-2, therapist: T-1, date: 2026-03-06, attendance: attended, measures: {srs: 23}}
            - {client: C-2, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 24}}
            """)
        #expect(problems.isEmpty, "\(problems)")
        let asOf = Fixtures.day("2026-03-29")
        _ = Engine(rules: rules, vocabulary: ruleSet.vocabulary).run(
            timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
        let views = log.views.withLock { $0 }.map(\.view)
        #expect(views.map(\.therapist) == ["T-1", "T-2"])
        let days = { (names: [String]) in names.map(Fixtures.day) }
        #expect(
            views.first?.attended == [
                "C-1": days(["2026-03-01", "2026-03-02", "2026-03-04", "2026-03-09"]),
                "C-2": days(["2026-03-02", "2026-03-06"]),
            ])
        #expect(views.last?.attended == ["C-2": days(["2026-03-05"])])
    }

    /// The attended dates are the same on any number of threads, each range of timelines read on
    /// its own: a client's dates gathered across timelines read by different threads, and a
    /// therapist spelled two ways (composed and decomposed "é", one name) kept as one.
    @Test(arguments: [1, 2, 3, 7])
    func attendedDatesAreTheSameOnAnyNumberOfThreads(jobs: Int) {
        let therapists = ["T-\u{E9}", "T-e\u{301}", "T-2", "T-3"]
        var records: [SessionRecord] = []
        for client in 0..<30 {
            for session in 0..<(client % 5 + 1) {
                records.append(
                    SessionRecord(
                        client: "C-\(client % 12)", therapist: therapists[(client + session / 3) % therapists.count],
                        episode: "\(client / 12 + 1)",
                        date: Day(number: Int32(20_000 + (client * 7 + session * 5) % 40)),
                        attendance: (client + session) % 4 == 0 ? .noShow : .attended))
            }
        }
        // A therapist with no attended date is still a therapist of the caseloads.
        records.append(SessionRecord(client: "C-99", therapist: "T-9", date: Day(number: 20_001), attendance: .noShow))
        let timelines = Engine.timelines(from: records, asOf: Day(number: 20_100))
        // One pass over every record, by name.
        var expected: [String: [String: [Day]]] = [:]
        for timeline in timelines {
            for record in timeline.records where record.attendance == .attended {
                expected[record.therapist, default: [:]][timeline.client, default: []].append(record.date)
            }
        }
        expected = expected.mapValues { $0.mapValues { $0.sorted() } }
        let gathered = Engine.attendedDates(of: timelines, jobs: jobs, timelinesPerJob: 1)
        #expect(gathered.attended == expected)
        #expect(gathered.therapists == ["T-2", "T-3", "T-9", "T-\u{E9}"])
        #expect(gathered.attended["T-e\u{301}"]?.count == expected["T-\u{E9}"]?.count)
    }

    /// A therapist's clients' attended dates are sorted where they are, list by list: no list is copied.
    @Test func attendedDatesAreSortedInPlace() {
        var attended: [String: [Day]] = [:]
        for client in 0..<40 {
            attended["C-\(client)"] = [5, 1, 4, 2, 3, 2].map { Day(number: Int32($0 * (client + 1) % 17)) }
        }
        let expected = attended.mapValues { $0.sorted() }
        func buffers(_ attended: [String: [Day]]) -> [String: UnsafeRawPointer?] {
            attended.mapValues { dates in dates.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
        }
        let before = buffers(attended)
        Engine.sortInPlace(&attended)
        #expect(attended == expected)
        #expect(buffers(attended) == before)
    }
}
