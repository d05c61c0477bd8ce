import AttuneCore

/// `score`: points from several signals add up to a threshold.
///
/// ```yaml
/// kind: score
/// params:
///   first_n: 5
///   at_least: 2
///   signals:
///     - {label: no-show, when: "attendance == 'no-show'", points: 2}
///     - {label: late cancellation, when: "attendance == 'late-cancel'", points: 1}
/// message: "early dropout risk score {score}: {signals}"
/// ```
///
/// The score at a record is the sum of the points of every signal holding on every record in
/// scope so far. The scope is one of two, and a rule names exactly one:
///
/// - `first_n: N` — the first N appointments of the episode, counted by `n` (every attendance
///   kind counts, as `n` does). The finding opens at the record where the score reaches
///   `at_least` and stays open until the first attended record after those N appointments: the
///   early period is a fixed stretch, and a client who comes back after it has answered the
///   question the score asked. Later points in the period (negative ones included) do not close it.
/// - `of_last: N` — the last N records, this one included (fewer at the start of an episode).
///   The finding opens when the score reaches `at_least` and closes at the first later record
///   where it falls below; a new finding may open after that.
///
/// Only records passing `where` are scored and can close a finding. Signals carry their own
/// conditions, so the kind reads no `match`.
public struct ScoreKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "score",
        summary: "The points of the signals that held over the records in scope reach a threshold.",
        details: """
            Each signal is `{when: expression, points: whole number, label: text}`. The score at a record \
            sums the points of every signal holding on every record in scope so far; the rule gives exactly \
            one scope. With `first_n` the scope is the first N appointments by `n` (all attendance kinds): \
            the finding opens at the record where the score reaches `at_least` and closes at the first \
            attended record after those N appointments. With `of_last` the scope is the last N records, this \
            one included: the finding opens when the score reaches `at_least` and closes at the first later \
            record where it falls below, and may open again. Only records passing `where` are scored or can \
            close a finding. Evidence: the records whose signals scored, as the score stood when the finding opened.
            """,
        parameters: [
            ParameterDeclaration("signals", .signals, doc: "What scores: a list of {when, points, label}"),
            ParameterDeclaration("at_least", .integer(1...100_000), doc: "The score that opens a finding"),
            ParameterDeclaration(
                "first_n", .integer(0...1000), default: .integer(0),
                doc:
                    "Score the first N appointments of the episode (by n); give this or of_last, not both (0: not used)"
            ),
            ParameterDeclaration(
                "of_last", .integer(0...1000), default: .integer(0),
                doc: "Score the last N records, this one included; give this or first_n, not both (0: not used)"),
        ],
        expressions: [],
        placeholders: [
            PlaceholderDeclaration("score", "the score when the finding opened"),
            PlaceholderDeclaration("at_least", "the param at_least"),
            PlaceholderDeclaration("signals", "the signals that scored, each as 'label (date)'"),
            PlaceholderDeclaration("scope", "what was scored, e.g. 'the first 5 appointments' or 'the last 4 records'"),
        ],
        examples: [
            KindExample(
                name:
                    "first_n: opens when the points reach the threshold, closes at the first attendance after the period",
                rule: """
                    params:
                      first_n: 3
                      at_least: 2
                      signals:
                        - {label: no-show, when: "attendance == 'no-show'", points: 2}
                        - {label: late cancellation, when: "attendance == 'late-cancel'", points: 1}
                    """,
                records: """
                    - {date: 2026-02-02, attendance: attended, next_appointment: 2026-02-09}
                    - {date: 2026-02-09, attendance: no-show}
                    - {date: 2026-02-16, attendance: attended, next_appointment: 2026-02-23}
                    - {date: 2026-02-23, attendance: attended}
                    """,
                expect: [.init(opened: "2026-02-09", closed: "2026-02-23")]),
            KindExample(
                name: "first_n: points after the first N appointments do not count (near miss)",
                rule: """
                    params:
                      first_n: 3
                      at_least: 2
                      signals:
                        - {label: no-show, when: "attendance == 'no-show'", points: 2}
                        - {label: late cancellation, when: "attendance == 'late-cancel'", points: 1}
                    """,
                records: """
                    - {date: 2026-02-02, attendance: attended}
                    - {date: 2026-02-09, attendance: late-cancel}
                    - {date: 2026-02-16, attendance: attended}
                    - {date: 2026-02-23, attendance: no-show}
                    """,
                expect: []),
            KindExample(
                name: "first_n: signals add up across records and stay open without a later attendance",
                rule: """
                    params:
                      first_n: 5
                      at_least: 2
                      signals:
                        - {label: low SRS, when: "attended_n <= 3 and measures.srs < 36", points: 1}
                        - {label: late cancellation, when: "attendance == 'late-cancel'", points: 1}
                    """,
                records: """
                    - {date: 2026-02-02, attendance: attended, measures: {srs: 33}}
                    - {date: 2026-02-09, attendance: late-cancel}
                    - {date: 2026-02-16, attendance: attended, measures: {srs: 38}}
                    """,
                expect: [.init(opened: "2026-02-09", closed: nil)]),
            KindExample(
                name: "of_last: opens while the recent records score enough, closes when the score falls below",
                rule: """
                    params:
                      of_last: 3
                      at_least: 3
                      signals:
                        - {label: low SRS, when: "measures.srs < 36", points: 1}
                        - {label: withdrawal rupture, when: "rupture.type == 'withdrawal'", points: 2}
                    """,
                records: """
                    - {date: 2026-03-02, attendance: attended, measures: {srs: 34}}
                    - {date: 2026-03-09, attendance: attended, measures: {srs: 38}, rupture: {type: withdrawal}}
                    - {date: 2026-03-16, attendance: attended, measures: {srs: 37}}
                    - {date: 2026-03-23, attendance: attended, measures: {srs: 38}}
                    - {date: 2026-03-30, attendance: attended, measures: {srs: 38}}
                    """,
                expect: [.init(opened: "2026-03-09", closed: "2026-03-23")]),
            KindExample(
                name: "of_last: points spread wider than the window never add up (near miss)",
                rule: """
                    params:
                      of_last: 2
                      at_least: 2
                      signals:
                        - {label: low SRS, when: "measures.srs < 36", points: 1}
                    """,
                records: """
                    - {date: 2026-03-02, attendance: attended, measures: {srs: 34}}
                    - {date: 2026-03-09, attendance: attended, measures: {srs: 38}}
                    - {date: 2026-03-16, attendance: attended, measures: {srs: 35}}
                    """,
                expect: []),
        ])

    enum Scope: Sendable {
        case firstN(Int)
        case ofLast(Int)
    }

    let signals: [Signal]
    let atLeast: Int
    let scope: Scope
    /// `{scope}`: "the first 3 appointments", made once rather than for every timeline.
    let scopeText: String

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        guard let signals = configuration.signals("signals"), !signals.isEmpty else {
            throw KindConfigurationError("score needs at least one signal {when, points, label}", parameter: "signals")
        }
        let atLeast = try configuration.requiredInteger("at_least")
        let firstN = try configuration.requiredInteger("first_n")
        let ofLast = try configuration.requiredInteger("of_last")
        switch (firstN > 0, ofLast > 0) {
        case (true, false): scope = .firstN(firstN)
        case (false, true): scope = .ofLast(ofLast)
        case (true, true):
            throw KindConfigurationError(
                "score takes first_n or of_last, not both: first_n scores the start of an episode, of_last the most recent records",
                parameter: "of_last")
        case (false, false):
            throw KindConfigurationError(
                "score needs exactly one of first_n (score the first N appointments) or of_last (score the last N records), a whole number of at least 1"
            )
        }
        self.signals = signals
        self.atLeast = atLeast
        switch scope {
        case .firstN(let n): scopeText = "the first \(n) appointment" + (n == 1 ? "" : "s")
        case .ofLast(let n): scopeText = "the last \(n) record" + (n == 1 ? "" : "s")
        }
    }

    public var branches: [KindBranch] {
        var list = [
            KindBranch("opens", "the score reaches at_least", parameter: "at_least"),
            KindBranch("falls short", "some signal scores, but the score stays below at_least", parameter: "at_least"),
        ]
        switch scope {
        case .firstN:
            list.append(
                KindBranch(
                    "after first_n", "a record after the first first_n appointments is not scored", parameter: "first_n"
                ))
        case .ofLast:
            list.append(KindBranch("slides", "a scoring record leaves the last of_last records", parameter: "of_last"))
        }
        list.append(KindBranch("closes", "an open finding closes"))
        return list
    }

    /// What scored on one record: a signal that held there, named by its position in `signals`
    /// (its label, a string, copied into every hit cost a reference count each, on storage every
    /// thread shares).
    struct Hit {
        var index: Int
        var signal: Int
        var points: Int
    }

    private func label(of hit: Hit) -> String { signals[hit.signal].label }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        switch scope {
        case .firstN(let n): return try detectFirst(n, in: timeline)
        case .ofLast(let n): return try detectRecent(n, in: timeline)
        }
    }

    private func hits(at index: Int, in timeline: RuleTimeline) throws(EvaluationError) -> [Hit] {
        var hits: [Hit] = []
        try appendHits(at: index, in: timeline, to: &hits)
        return hits
    }

    /// The signals that hold on a record, added to `hits`: straight into the list they end up
    /// in, where a list per record cost an allocation each time a signal held.
    private func appendHits(at index: Int, in timeline: RuleTimeline, to hits: inout [Hit]) throws(EvaluationError) {
        // By position, read in place: `for signal in signals` copied every signal's label and
        // condition (reference counts, on objects that every thread shares) on every record.
        for position in signals.indices where try timeline.holds(signals[position].condition, at: index) {
            hits.append(Hit(index: index, signal: position, points: signals[position].points))
        }
    }

    private func draft(
        opened index: Int, closed: Day?, score: Int, hits: [Hit], scopeText: String,
        in timeline: RuleTimeline
    ) -> FindingDraft {
        var evidence: [Int] = []
        for hit in hits where hit.points != 0 && evidence.last != hit.index { evidence.append(hit.index) }
        let labels = hits.filter { $0.points != 0 }.map {
            Value.string("\(label(of: $0)) (\(timeline[$0.index].date))")
        }
        return FindingDraft(
            opened: timeline[index].date, closed: closed, evidence: evidence,
            values: [
                "score": .number(Double(score)),
                "at_least": .number(Double(atLeast)),
                "signals": .list(labels),
                "scope": .string(scopeText),
            ])
    }

    /// The first `n` appointments by `n`; open until the first attended record after them.
    private func detectFirst(_ n: Int, in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var score = 0
        var scored: [Hit] = []
        var opened: (index: Int, score: Int, hits: [Hit])?
        for index in timeline.indices {
            let position = index + 1  // `n`: every appointment of the episode counts, whatever `where` keeps
            if position <= n {
                let first = scored.count
                try appendHits(at: index, in: timeline, to: &scored)
                let hits = scored[first...]
                score += hits.reduce(0) { $0 + $1.points }
                timeline.trace(
                    index,
                    "appointment \(position) of the first \(n): score \(score)"
                        + (hits.isEmpty
                            ? "" : " (" + hits.map { "\(label(of: $0)) +\($0.points)" }.joined(separator: ", ") + ")"))
                if opened == nil, score >= atLeast {
                    timeline.reached("opens")
                    opened = (index, score, scored)
                    timeline.trace(index, "score \(score) reaches \(atLeast): finding opens")
                } else if opened == nil, score > 0 {
                    timeline.reached("falls short")
                }
            } else if let start = opened, timeline[index].attended {
                timeline.reached("after first_n")
                timeline.reached("closes")
                timeline.trace(index, "first attended appointment after the first \(n): finding closes")
                if timeline.drops(closedOn: timeline[index].date) { return [] }
                return [
                    draft(
                        opened: start.index, closed: timeline[index].date, score: start.score, hits: start.hits,
                        scopeText: scopeText, in: timeline)
                ]
            } else if opened == nil {
                timeline.reached("after first_n")
                break  // nothing opened in the period, and nothing after it scores
            }
        }
        guard let start = opened else { return [] }
        return [
            draft(
                opened: start.index, closed: nil, score: start.score, hits: start.hits, scopeText: scopeText,
                in: timeline)
        ]
    }

    /// The last `n` records; open while the score stays at or above `at_least`.
    private func detectRecent(_ n: Int, in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var perRecord: [[Hit]] = []
        var drafts: [FindingDraft] = []
        var opened: (index: Int, score: Int, hits: [Hit])?
        for (position, index) in timeline.indices.enumerated() {
            perRecord.append(try hits(at: index, in: timeline))
            let window = perRecord[max(0, position - n + 1)...position].flatMap { $0 }
            if position >= n, !perRecord[position - n].isEmpty { timeline.reached("slides") }
            let score = window.reduce(0) { $0 + $1.points }
            timeline.trace(index, "score over \(scopeText): \(score)")
            if opened == nil, score >= atLeast {
                timeline.reached("opens")
                opened = (index, score, window)
                timeline.trace(index, "score \(score) reaches \(atLeast): finding opens")
            } else if let start = opened, score < atLeast {
                timeline.reached("closes")
                timeline.trace(index, "score \(score) below \(atLeast): finding closes")
                if !timeline.drops(closedOn: timeline[index].date) {
                    drafts.append(
                        draft(
                            opened: start.index, closed: timeline[index].date, score: start.score, hits: start.hits,
                            scopeText: scopeText, in: timeline))
                }
                opened = nil
            } else if opened == nil, score > 0 {
                timeline.reached("falls short")
            }
        }
        if let start = opened {
            drafts.append(
                draft(
                    opened: start.index, closed: nil, score: start.score, hits: start.hits, scopeText: scopeText,
                    in: timeline))
        }
        return drafts
    }
}
