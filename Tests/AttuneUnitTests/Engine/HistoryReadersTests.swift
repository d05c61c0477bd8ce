import Synchronization
import Testing

@testable import AttuneCore

/// In a review, the findings that only rules reading findings need (closed before the period)
/// are kept as `HistoryFinding`s, not `Finding`s: every reader must still be shown the same
/// findings, in the same order, with the same dates (and values, when it reads them), as when
/// the engine keeps every finding.
struct HistoryReadersTests {
    /// What each reader was shown, in order.
    final class Log: Sendable {
        let views = Mutex<[(inputs: [String], view: CaseloadView)]>([])
    }

    /// Records what it is shown, then answers as the kind it wraps.
    struct Recorder: FindingsDetector {
        let wrapped: any FindingsDetector
        let readsValues: Bool
        let log: Log

        var branches: [KindBranch] { wrapped.branches }
        var inputRules: [String] { wrapped.inputRules }

        func detect(in caseload: CaseloadView) throws(EvaluationError) -> [FindingDraft] {
            log.views.withLock { $0.append((inputRules, caseload)) }
            return try wrapped.detect(in: caseload)
        }
    }

    private let asOf = Fixtures.day("2026-03-29")
    private let since = Fixtures.day("2026-03-23")

    /// A rule of point findings (low SRS scores) for readers to read.
    static let lowRule = """
        id: low
        title: Low
        severity: low
        kind: threshold
        match: measures.srs < 30
        message: "SRS {measures.srs} on {date}"
        """

    /// Two rules whose findings close (low scores, gaps), and two readers: one of both, one of `low`
    /// alone, so a rule's history outlives its first reader.
    private static let ruleSet = Fixtures.ruleSet([
        "pack.yaml": Fixtures.minimalPackYAML,
        "low.yaml": lowRule,
        "gap.yaml": """
        id: gap
        title: Gap
        severity: medium
        kind: gap
        params: {days: 15}
        message: "no session for {days} days"
        """,
        "both.yaml": """
        id: both
        title: Both
        severity: high
        kind: caseload
        params: {rules: [low, gap], at_least: 2}
        message: "{count} clients: {details}"
        """,
        "low-cluster.yaml": """
        id: low-cluster
        title: Low cluster
        severity: high
        kind: caseload
        params: {rules: [low], at_least: 3}
        message: "{count} clients: {clients}"
        """,
    ])

    /// Three therapists' clients seen about weekly from January to March, some scores low, some weeks missed.
    private static let records: [SessionRecord] = {
        var generator = YAMLTestRandom(seed: 19)
        var yaml = ""
        for client in 1...36 {
            var day = Fixtures.day("2026-01-05").adding(days: client % 5)
            while day <= Fixtures.day("2026-03-29") {
                let srs = Int.random(in: 24...40, using: &generator)
                yaml += "- {client: C-\(client), therapist: T-\(client % 3), date: \(day), attendance: attended, "
                yaml += "measures: {srs: \(srs)}}\n"
                day = day.adding(days: Bool.random(using: &generator) ? 7 : Int.random(in: 8...24, using: &generator))
            }
        }
        return Fixtures.records(yaml).0
    }()

    private func run(readsValues: Bool, since: Day?, records: [SessionRecord] = Self.records) throws -> (
        views: [CaseloadView], inputs: [[String]], findings: [Finding]
    ) {
        #expect(Self.ruleSet.diagnostics.errors.filter { $0.location.file.hasPrefix("site/") }.isEmpty)
        let log = Log()
        let names: Set = ["both", "gap", "low", "low-cluster"]
        let rules = Self.ruleSet.activeRules.filter { names.contains($0.id) }.map { rule in
            guard let reader = rule.kind as? any FindingsDetector else { return rule }
            var recorded = rule
            recorded.kind = Recorder(wrapped: reader, readsValues: readsValues, log: log)
            return recorded
        }
        #expect(Set(rules.map(\.id)) == names)
        let output = Engine(rules: rules, vocabulary: Self.ruleSet.vocabulary).run(
            timelines: Engine.timelines(from: records, asOf: asOf),
            options: .init(asOf: asOf, keepsFindingsOpenSince: since))
        let views = log.views.withLock { $0 }
        return (views.map(\.view), views.map(\.inputs), output.findings)
    }

    private func dates(_ view: CaseloadView) -> [String] {
        view.findings.map { "\($0.rule) \($0.subject) \($0.opened)…\($0.closed?.description ?? "open")" }
    }

    @Test func readersAreShownTheSameFindingsAsWithEveryFindingKept() throws {
        for readsValues in [true, false] {
            let whole = try run(readsValues: readsValues, since: nil)
            let review = try run(readsValues: readsValues, since: since)
            // With every finding kept, a reader sees its inputs' findings of the therapist in the
            // engine's order (the timelines', then rule and dates).
            for (view, inputs) in zip(whole.views, whole.inputs) {
                let expected = whole.findings.filter {
                    inputs.contains($0.rule) && $0.therapist == view.therapist && $0.subject.client != nil
                }
                #expect(view.findings == expected.map(ReadFinding.init))
            }
            #expect(review.views.map(\.therapist) == whole.views.map(\.therapist))
            #expect(review.views.map(dates) == whole.views.map(dates))
            #expect(review.findings == whole.findings.filter { $0.isOpen(during: since, asOf) })
            let history = review.views.flatMap(\.findings).filter { $0.closed.map { $0 < since } ?? false }
            #expect(!history.isEmpty, "the readers read findings from before the period")
            if readsValues {
                #expect(review.views.map(\.findings) == whole.views.map(\.findings))
            } else {
                // Values of history are kept only for readers that read them.
                #expect(history.allSatisfy { $0.values.isEmpty })
            }
        }
    }

    /// A therapist written two ways that `String` finds equal (K and the Kelvin sign) has one
    /// caseload: each reader is shown the findings of both spellings, as when written one way.
    /// (Findings are sorted by therapist through their ids' numbers; this is what the fallback
    /// to the text is for.)
    @Test func aTherapistWrittenTwoWaysHasOneCaseload() throws {
        func respelled(_ kelvin: String) -> [SessionRecord] {
            Self.records.enumerated().map { index, record in
                var record = record
                if record.therapist == "T-1" { record.therapist = index % 2 == 0 ? "K-1" : "\(kelvin)-1" }
                return record
            }
        }
        for since in [nil, since] {
            let oneWay = try run(readsValues: false, since: since, records: respelled("K"))
            let twoWays = try run(readsValues: false, since: since, records: respelled("\u{212A}"))
            #expect(twoWays.views.map(\.therapist) == oneWay.views.map(\.therapist))
            #expect(twoWays.views.map(dates) == oneWay.views.map(dates))
            #expect(oneWay.views.contains { $0.therapist == "K-1" && $0.findings.count > 3 })
        }
    }

    /// Fails for one therapist's caseload and answers as the kind it wraps for the others.
    struct FailingFor: FindingsDetector {
        let wrapped: any FindingsDetector
        let therapist: String

        var branches: [KindBranch] { wrapped.branches }
        var inputRules: [String] { wrapped.inputRules }

        func detect(in caseload: CaseloadView) throws(EvaluationError) -> [FindingDraft] {
            if caseload.therapist == therapist { throw EvaluationError("no answer for \(therapist)") }
            return try wrapped.detect(in: caseload)
        }
    }

    /// Caseloads are judged on several threads: the findings and the failures come in the same
    /// order, with the same content, as on one thread, in a review and with every finding kept.
    @Test func caseloadsJudgedOnSeveralThreadsGiveWhatOneThreadGives() throws {
        let rules = Self.ruleSet.activeRules.map { rule in
            guard rule.id == "low-cluster", let reader = rule.kind as? any FindingsDetector else { return rule }
            var failing = rule
            failing.kind = FailingFor(wrapped: reader, therapist: "T-1")
            return failing
        }
        let engine = Engine(rules: rules, vocabulary: Self.ruleSet.vocabulary)
        for since in [nil, since] {
            func run(jobs: Int) -> Engine.Output {
                engine.run(
                    timelines: Engine.timelines(from: Self.records, asOf: asOf),
                    options: .init(asOf: asOf, jobs: jobs, keepsFindingsOpenSince: since))
            }
            let one = run(jobs: 1)
            #expect(one.findings.contains { $0.rule == "both" && $0.subject.client == nil })
            #expect(one.failures.map(\.message) == ["therapist T-1's caseload: no answer for T-1"])
            for jobs in [2, 3, 8] {
                let several = run(jobs: jobs)
                #expect(several.findings == one.findings, "jobs \(jobs)")
                #expect(several.failures == one.failures, "jobs \(jobs)")
                #expect(several.unjudged == one.unjudged, "jobs \(jobs)")
            }
        }
    }

    @Test func theBuiltInCaseloadKindDoesNotReadValues() throws {
        let readers = Fixtures.defaultRuleSet.activeRules.compactMap { $0.kind as? any FindingsDetector }
        #expect(!readers.isEmpty)
        #expect(readers.allSatisfy { !$0.readsValues })
    }
}
