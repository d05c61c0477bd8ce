import AttuneCore
import Foundation
import Synchronization

/// Explains one rule on one client's records, for the author of a rule that does not fire (or
/// fires when it should not): `attune explain`.
///
/// For a timeline rule, each record's `where` and other expressions are evaluated with an
/// `EvaluationProbe` that records the paths read; the kind then runs with a tracer that
/// collects what it says about its state, and its findings are placed at the records where
/// they open and close. A `caseload` rule is explained by the findings of the rules it reads,
/// for the client's therapists.
///
/// ```swift
/// let explanation = try Explainer(ruleSet: ruleSet)
///     .explain(ruleID: "repeated-distancing", records: records, client: "C-1042", episode: nil, asOf: nil)
/// ```
public struct Explainer: Sendable {
    /// Why there is nothing to explain.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    public func explain(
        ruleID: String, records: [SessionRecord], client: String, episode: String?,
        asOf: Day?
    ) throws(Failure) -> Explanation {
        guard let rule = ruleSet.rule(ruleID) else {
            throw Failure(
                message: "no rule '\(ruleID)' in the loaded packs"
                    + Suggestion.phrase(for: ruleID, in: ruleSet.rules.map(\.id)))
        }
        let ofClient = records.filter { $0.client == client && (episode == nil || $0.episode == episode) }
        guard !ofClient.isEmpty else {
            let clients = Set(records.map(\.client)).sorted()
            if records.contains(where: { $0.client == client }), let episode {
                let episodes = Set(records.filter { $0.client == client }.map(\.episode)).sorted()
                throw Failure(
                    message:
                        "client \(client) has no episode '\(episode)' (episodes: \(episodes.joined(separator: ", ")))")
            }
            throw Failure(
                message: "no records for client '\(client)'" + Suggestion.phrase(for: client, in: clients)
                    + " (\(clients.count) client\(clients.count == 1 ? "" : "s") in the input)")
        }
        // As in a review: days after the latest record are days without data, so rules that count
        // days are explained no later than the data's end.
        let dataEnd = records.map(\.date).max()!
        let asOf = min(asOf ?? dataEnd, dataEnd)
        guard ofClient.contains(where: { $0.date <= asOf }) else {
            let dates = ofClient.map(\.date)
            throw Failure(
                message: "client \(client) has no records up to the as-of date \(asOf); their records run from "
                    + "\(dates.min()!) to \(dates.max()!)")
        }
        var activeRule = rule
        activeRule.enabled = true
        if rule.kind.timelineDetector != nil {
            let sections = Engine.timelines(
                from: ofClient, asOf: asOf, bookingsRecorded: records.contains { $0.nextAppointment != nil }
            ).map { explainTimeline(activeRule, $0, asOf: asOf) }
            return Explanation(rule: rule, asOf: asOf, sections: sections)
        }
        return Explanation(
            rule: rule, asOf: asOf, sections: explainCaseload(activeRule, records, client: client, asOf: asOf))
    }

    /// Collects the kind's trace lines. The engine calls it synchronously, but its tracer is
    /// `@Sendable`, so the lines sit behind a `Mutex` the compiler can check.
    final class TraceCollector: Sendable {
        private let lines = Mutex<[Int: [String]]>([:])

        func add(_ index: Int, _ line: String) {
            lines.withLock { $0[index, default: []].append(line) }
        }

        func lines(at index: Int) -> [String] {
            lines.withLock { $0[index] ?? [] }
        }
    }

    func explainTimeline(_ rule: Rule, _ timeline: Timeline, asOf: Day) -> Explanation.Section {
        let engine = Engine(rules: [rule], vocabulary: ruleSet.vocabulary)
        var steps: [Explanation.Step] = []
        let keyed = keyedExpressions(rule)
        for index in 0..<timeline.count {
            var evaluations: [Explanation.Evaluation] = []
            var seen = true
            if let condition = rule.whereExpression {
                let evaluation = evaluate("where", condition, timeline, index)
                evaluations.append(evaluation)
                if case .success(let value) = evaluation.value { seen = value.isTrue } else { seen = false }
            }
            if seen {
                for (key, expression) in keyed { evaluations.append(evaluate(key, expression, timeline, index)) }
            }
            steps.append(
                Explanation.Step(
                    index: index, record: timeline.records[index], seenByKind: seen,
                    evaluations: evaluations, trace: [], events: []))
        }

        let collector = TraceCollector()
        var findings: [Finding] = []
        var failure: String?
        var notes: [String] = []
        do {
            let view = try engine.ruleTimeline(
                rule, timeline, asOf: asOf, probe: nil, tracer: { collector.add($0, $1) })
            guard let kind = rule.kind.timelineDetector else {
                preconditionFailure("explainTimeline takes timeline rules")
            }
            for draft in try kind.detect(in: view) {
                findings.append(engine.finding(rule, timeline, draft, includeNotes: false))
            }
        } catch {
            failure = error.message
        }
        for index in steps.indices { steps[index].trace = collector.lines(at: index) }

        for finding in findings {
            let evidence = finding.records.map(\.date.description).joined(separator: ", ")
            place(
                "▶ finding opens on \(finding.opened)" + (evidence.isEmpty ? "" : " (evidence: \(evidence))")
                    + ": \(finding.message)",
                on: finding.opened, &steps, &notes)
            if let closed = finding.closed {
                if closed == finding.opened {
                    place("■ and closes the same day (a point finding)", on: closed, &steps, &notes)
                } else {
                    place("■ finding of \(finding.opened) closes on \(closed)", on: closed, &steps, &notes)
                }
            } else {
                notes.append("… the finding of \(finding.opened) is still open at as-of \(asOf)")
            }
        }
        let heading =
            "client \(timeline.client), episode \(timeline.episode): \(timeline.count) record\(timeline.count == 1 ? "" : "s")"
            + " up to \(asOf), \(steps.filter(\.seenByKind).count) seen by the kind"
        return Explanation.Section(heading: heading, steps: steps, notes: notes, findings: findings, failure: failure)
    }

    /// An event belongs to the last record on or before its date; earlier than every record, to the first.
    private func place(_ event: String, on day: Day, _ steps: inout [Explanation.Step], _ notes: inout [String]) {
        guard !steps.isEmpty else {
            notes.append(event)
            return
        }
        if let last = steps.lastIndex(where: { $0.record.date <= day }) {
            if last == steps.count - 1, steps[last].record.date < day {
                notes.append(event + " (after the last record)")
            } else {
                steps[last].events.append(event)
            }
        } else {
            steps[0].events.append(event)
        }
    }

    /// The kind's expression keys in declaration order, then each score signal.
    func keyedExpressions(_ rule: Rule) -> [(String, CompiledExpression)] {
        var keyed: [(String, CompiledExpression)] = []
        for declared in rule.declaration.expressions {
            if let expression = rule.expressions[declared.name] { keyed.append((declared.name, expression)) }
        }
        for parameter in rule.declaration.parameters {
            guard case .signals(let signals)? = rule.parameters[parameter.name] else { continue }
            for signal in signals {
                keyed.append(("signal '\(signal.label)' (\(signal.points) points)", signal.condition))
            }
        }
        return keyed
    }

    func evaluate(_ key: String, _ expression: CompiledExpression, _ timeline: Timeline, _ index: Int)
        -> Explanation.Evaluation
    {
        let probe = EvaluationProbe(recordingReads: true)
        let value: Result<Value, EvaluationError>
        do {
            value = .success(try expression.evaluate(EvaluationRow(timeline: timeline, index: index, probe: probe)))
        } catch {
            value = .failure(error)
        }
        return Explanation.Evaluation(key: key, source: expression.source, value: value, reads: probe.reads)
    }

    /// A caseload rule: run it with the rules it reads, and show, for each therapist of the
    /// client, the input findings it counted and the clusters it found.
    func explainCaseload(_ rule: Rule, _ records: [SessionRecord], client: String, asOf: Day) -> [Explanation.Section] {
        var needed = [rule]
        var queue = rule.inputRules
        while let id = queue.popLast() {
            guard !needed.contains(where: { $0.id == id }), var input = ruleSet.rule(id) else { continue }
            input.enabled = true
            needed.append(input)
            queue += input.inputRules
        }
        let engine = Engine(rules: needed, vocabulary: ruleSet.vocabulary)
        let output = engine.run(
            timelines: Engine.timelines(from: records, asOf: asOf),
            options: Engine.Options(asOf: asOf, countsUnjudged: false))
        let therapists = Set(records.filter { $0.client == client }.map(\.therapist)).sorted()
        // Read once: each read of `findings` joins the engine's runs into a new list.
        let found = output.findings
        return therapists.map { therapist in
            var notes = ["reads the findings of: " + rule.inputRules.joined(separator: ", ")]
            let inputs = found.filter { rule.inputRules.contains($0.rule) && $0.therapist == therapist }
            if inputs.isEmpty { notes.append("no finding of those rules for \(therapist)'s clients") }
            for finding in inputs {
                notes.append(
                    "input: \(finding.rule) for \(finding.subject.client ?? "-") opened \(finding.opened), "
                        + (finding.closed.map { "closed \($0)" } ?? "still open"))
            }
            for failure in output.failures { notes.append("! \(failure)") }
            let findings = found.filter { $0.rule == rule.id && $0.therapist == therapist }
            return Explanation.Section(
                heading: "therapist \(therapist) (caseload of client \(client))", steps: [], notes: notes,
                findings: findings, failure: nil)
        }
    }
}
