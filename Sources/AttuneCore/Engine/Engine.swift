import Dispatch

/// Runs rules over timelines and turns what kinds report into findings.
///
/// Timeline rules run per (client, episode), in parallel across timelines; rules that read
/// other rules' findings (`caseload`) run after the rules they read. Output order does not
/// depend on the number of jobs.
///
/// ```swift
/// let engine = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
/// let output = engine.run(timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
/// ```
public struct Engine: Sendable {
    public struct Options: Sendable {
        public var asOf: Day
        /// Copy the evidence records' notes into findings (`--include-notes`).
        public var includeNotes: Bool
        /// Worker threads for timeline evaluation; 1 runs on the calling thread.
        public var jobs: Int
        /// Count, per rule, the records it could not judge because a measure was missing.
        public var countsUnjudged: Bool

        public init(asOf: Day, includeNotes: Bool = false, jobs: Int = 1, countsUnjudged: Bool = true) {
            self.asOf = asOf
            self.includeNotes = includeNotes
            self.jobs = max(1, jobs)
            self.countsUnjudged = countsUnjudged
        }
    }

    /// A rule that could not be evaluated on a timeline: reported, never a crash.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var rule: String
        public var client: String
        public var episode: String
        public var location: SourceLocation?
        public var message: String

        public var description: String {
            "\(location.map { "\($0): " } ?? "")rule \(rule) could not evaluate client \(client) episode \(episode): \(message)"
        }
    }

    public struct Output: Sendable {
        public var findings: [Finding]
        public var failures: [Failure]
        /// Rule id → records it could not judge because a measure was missing.
        public var unjudged: [String: Int]
    }

    public let rules: [Rule]
    public let vocabulary: Vocabulary

    /// `rules` are the active rules; rules reading findings are ordered after their inputs here.
    public init(rules: [Rule], vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        var ordered = rules.filter { $0.kind is any TimelineKind }
        var pending = rules.filter { !($0.kind is any TimelineKind) }
        var placed = Set(ordered.map(\.id))
        while !pending.isEmpty {
            let ready = pending.filter { $0.inputRules.allSatisfy { placed.contains($0) || !rules.map(\.id).contains($0) } }
            // A cycle is a lint error; here the remaining rules simply run in file order.
            let next = ready.isEmpty ? pending : ready
            ordered += next
            placed.formUnion(next.map(\.id))
            pending.removeAll { rule in next.contains { $0.id == rule.id } }
        }
        self.rules = ordered
    }

    /// Groups records into timelines, leaving out those after `asOf`.
    public static func timelines(from records: [SessionRecord], asOf: Day?) -> [Timeline] {
        var groups: [String: [SessionRecord]] = [:]
        for record in records where asOf.map({ record.date <= $0 }) ?? true {
            groups[record.client + "\u{1F}" + record.episode, default: []].append(record)
        }
        return groups.values.map { Timeline(client: $0[0].client, episode: $0[0].episode, records: $0) }
            .sorted { ($0.client, $0.episode) < ($1.client, $1.episode) }
    }

    public func run(timelines: [Timeline], options: Options) -> Output {
        let timelineRules = rules.filter { $0.kind is any TimelineKind }
        var perTimeline = [TimelineResult](repeating: TimelineResult(), count: timelines.count)
        let jobs = min(options.jobs, max(1, timelines.count))
        if jobs == 1 {
            for (index, timeline) in timelines.enumerated() {
                perTimeline[index] = evaluate(timelineRules, on: timeline, options: options)
            }
        } else {
            // Contiguous chunks keep each worker's writes in its own slots.
            let chunk = (timelines.count + jobs - 1) / jobs
            perTimeline.withUnsafeMutableBufferPointer { buffer in
                let slots = UnsafeSendableBuffer(buffer)
                DispatchQueue.concurrentPerform(iterations: jobs) { job in
                    let start = job * chunk
                    let end = min(timelines.count, start + chunk)
                    guard start < end else { return }
                    for index in start..<end {
                        slots.buffer[index] = evaluate(timelineRules, on: timelines[index], options: options)
                    }
                }
            }
        }
        var findings: [Finding] = []
        var failures: [Failure] = []
        var unjudged: [String: Int] = [:]
        for rule in rules { unjudged[rule.id] = 0 }
        for result in perTimeline {
            findings += result.findings
            failures += result.failures
            for (rule, count) in result.unjudged { unjudged[rule, default: 0] += count }
        }
        for rule in rules where !(rule.kind is any TimelineKind) {
            guard let kind = rule.kind as? any FindingsKind else { continue }
            let inputs = Set(kind.inputRules)
            let relevant = findings.filter { inputs.contains($0.rule) }
            let therapists = Set(timelines.flatMap { $0.records.map(\.therapist) }).sorted()
            for therapist in therapists {
                let view = CaseloadView(therapist: therapist, findings: relevant.filter { $0.therapist == therapist }, asOf: options.asOf)
                for draft in kind.detect(in: view) {
                    findings.append(caseloadFinding(rule, therapist, draft))
                }
            }
        }
        findings.sort(by: Engine.findingOrder)
        return Output(findings: findings, failures: failures, unjudged: unjudged)
    }

    /// Subject, then rule, then opening date: stable for any number of jobs.
    public static func findingOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.subject != b.subject { return a.subject < b.subject }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.opened != b.opened { return a.opened < b.opened }
        return (a.closed?.number ?? .max) < (b.closed?.number ?? .max)
    }

    struct TimelineResult: Sendable {
        var findings: [Finding] = []
        var failures: [Failure] = []
        var unjudged: [String: Int] = [:]
    }

    func evaluate(_ rules: [Rule], on timeline: Timeline, options: Options) -> TimelineResult {
        var result = TimelineResult()
        for rule in rules {
            guard let kind = rule.kind as? any TimelineKind else { continue }
            let probe = options.countsUnjudged ? EvaluationProbe() : nil
            do {
                let view = try ruleTimeline(rule, timeline, asOf: options.asOf, probe: probe, tracer: nil)
                for draft in try kind.detect(in: view) {
                    result.findings.append(finding(rule, timeline, draft, includeNotes: options.includeNotes))
                }
            } catch {
                result.failures.append(Failure(rule: rule.id, client: timeline.client, episode: timeline.episode,
                                               location: probe?.lastRecord.map { timeline.records[$0].source },
                                               message: error.message))
            }
            if let probe, !probe.unjudgedRecords.isEmpty { result.unjudged[rule.id, default: 0] += probe.unjudgedRecords.count }
        }
        return result
    }

    /// The records of `timeline` that pass the rule's `where`, packaged for its kind.
    public func ruleTimeline(_ rule: Rule, _ timeline: Timeline, asOf: Day, probe: EvaluationProbe?,
                             tracer: (@Sendable (Int, String) -> Void)?) throws(EvaluationError) -> RuleTimeline {
        var indices: [Int] = []
        indices.reserveCapacity(timeline.count)
        for index in 0..<timeline.count {
            probe?.lastRecord = index
            if let condition = rule.whereExpression {
                guard try condition.holds(EvaluationRow(timeline: timeline, index: index, probe: probe)) else { continue }
            }
            indices.append(index)
        }
        return RuleTimeline(timeline: timeline, indices: indices, asOf: asOf, vocabulary: vocabulary,
                            match: rule.expressions["match"], expressions: rule.expressions, probe: probe, tracer: tracer)
    }

    func finding(_ rule: Rule, _ timeline: Timeline, _ draft: FindingDraft, includeNotes: Bool) -> Finding {
        let evidence = draft.evidence.map { index -> Finding.EvidenceRecord in
            let record = timeline.records[index]
            return Finding.EvidenceRecord(date: record.date, session: record.session, client: record.client,
                                          episode: record.episode, source: record.source,
                                          note: includeNotes ? record.notes : nil)
        }
        let therapist = draft.evidence.last.map { timeline.records[$0].therapist } ?? timeline.therapist
        var values = draft.values
        values["client"] = values["client"] ?? .string(timeline.client)
        values["episode"] = values["episode"] ?? .string(timeline.episode)
        values["therapist"] = values["therapist"] ?? .string(therapist)
        values["opened"] = .date(draft.opened)
        values["closed"] = draft.closed.map(Value.date) ?? .string("open")
        values["sessions"] = values["sessions"] ?? .string(evidence.map(\.date.description).joined(separator: ", "))
        if let last = draft.evidence.last {
            for (name, expression) in rule.messageExpressions where values[name] == nil {
                // A placeholder that cannot be evaluated shows as itself rather than failing the finding.
                if let value = try? expression.evaluate(EvaluationRow(timeline: timeline, index: last)) { values[name] = value }
            }
        }
        return Finding(rule: rule.id, severity: rule.severity,
                       subject: .episode(client: timeline.client, episode: timeline.episode),
                       therapist: therapist, opened: draft.opened, closed: draft.closed, records: evidence,
                       message: rule.message.render(values), evidence: draft.values)
    }

    func caseloadFinding(_ rule: Rule, _ therapist: String, _ draft: FindingDraft) -> Finding {
        var values = draft.values
        values["therapist"] = .string(therapist)
        values["opened"] = .date(draft.opened)
        values["closed"] = draft.closed.map(Value.date) ?? .string("open")
        return Finding(rule: rule.id, severity: rule.severity, subject: .therapist(therapist), therapist: therapist,
                       opened: draft.opened, closed: draft.closed, records: [],
                       message: rule.message.render(values), evidence: draft.values)
    }
}

/// Lets concurrent workers write disjoint slots of one buffer.
private struct UnsafeSendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
