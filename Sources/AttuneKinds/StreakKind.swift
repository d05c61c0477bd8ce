import AttuneCore

/// `streak`: L consecutive records match; the finding lasts until a record breaks the run.
///
/// ```yaml
/// kind: streak
/// match: attendance == 'no-show' or attendance == 'late-cancel'
/// params: {length: 2}
/// message: "{count} missed appointments in a row ({sessions})"
/// ```
///
/// With `length: 1` a streak is "every record from the first match until one does not": the
/// way to turn a per-session condition (not on track) into one finding that lasts, rather than
/// a point finding each week.
public struct StreakKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "streak",
        summary: "L consecutive records match; closes when a record breaks the run.",
        details: """
            The finding opens at the `length`-th consecutive matching record (of those passing `where`) \
            and closes at the first record after it that does not match; a later run opens a new finding. \
            Its evidence is every record of the run, up to the one before the close (or the latest, while \
            still open), so `count` and `sessions` tell how long the run has lasted.
            """,
        parameters: [
            ParameterDeclaration(
                "length", .integer(1...1000), doc: "How many consecutive matching records open the finding (L)")
        ],
        expressions: [.match],
        placeholders: [
            PlaceholderDeclaration("length", "the param length"),
            PlaceholderDeclaration(
                "count", "how many consecutive records have matched: the run so far, or up to the close"),
        ],
        examples: [
            KindExample(
                name: "opens at the second in a row and closes at the first break",
                rule: "match: attendance == 'no-show'\nparams: {length: 2}",
                records: """
                    - {date: 2026-01-05, attendance: attended}
                    - {date: 2026-01-12, attendance: no-show}
                    - {date: 2026-01-19, attendance: no-show}
                    - {date: 2026-01-26, attendance: no-show}
                    - {date: 2026-02-02, attendance: attended}
                    """,
                expect: [.init(opened: "2026-01-19", closed: "2026-02-02")]),
            KindExample(
                name: "a broken run is a near miss",
                rule: "match: attendance == 'no-show'\nparams: {length: 2}",
                records: """
                    - {date: 2026-01-05, attendance: no-show}
                    - {date: 2026-01-12, attendance: attended}
                    - {date: 2026-01-19, attendance: no-show}
                    - {date: 2026-01-26, attendance: cancelled}
                    - {date: 2026-02-02, attendance: no-show}
                    """,
                expect: []),
            KindExample(
                name: "closes and opens again; a run still going at as-of stays open",
                rule: "where: attendance == 'attended'\nmatch: not has(measures.srs)\nparams: {length: 2}",
                records: """
                    - {date: 2026-03-02, attendance: attended}
                    - {date: 2026-03-09, attendance: attended}
                    - {date: 2026-03-16, attendance: attended, measures: {srs: 38}}
                    - {date: 2026-03-23, attendance: attended}
                    - {date: 2026-03-30, attendance: no-show}
                    - {date: 2026-04-06, attendance: attended}
                    """,
                expect: [
                    .init(opened: "2026-03-09", closed: "2026-03-16"),
                    .init(opened: "2026-04-06", closed: nil),
                ]),
            KindExample(
                name: "length 1 turns a per-session condition into one lasting finding",
                rule: "where: attendance == 'attended'\nmatch: measures.ors < 25\nparams: {length: 1}",
                records: """
                    - {date: 2026-06-01, attendance: attended, measures: {ors: 27}}
                    - {date: 2026-06-08, attendance: attended, measures: {ors: 22}}
                    - {date: 2026-06-15, attendance: attended, measures: {ors: 21}}
                    - {date: 2026-06-22, attendance: attended, measures: {ors: 26}}
                    """,
                expect: [.init(opened: "2026-06-08", closed: "2026-06-22")]),
        ])

    let length: Int

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        length = try configuration.requiredInteger("length")
    }

    public var branches: [KindBranch] {
        // With length 1 every run reaches it: there is no falling short to test.
        length > 1
            ? [
                KindBranch("opens", "a run of matching records reaches the length", parameter: "length"),
                KindBranch("falls short", "a run of matching records ends before the length", parameter: "length"),
                KindBranch("closes", "an open run ends on a record that does not match"),
            ]
            : [
                KindBranch("opens", "a matching record opens a run"),
                KindBranch("closes", "an open run ends on a record that does not match"),
            ]
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        var run: [Int] = []
        var opened: Day?

        func finish(closed: Day?) {
            guard let start = opened else { return }
            if let closed, timeline.drops(closedOn: closed) {
                opened = nil
                return
            }
            drafts.append(
                FindingDraft(
                    opened: start, closed: closed, evidence: run,
                    values: [
                        "length": .number(Double(length)),
                        "count": .number(Double(run.count)),
                    ]))
            opened = nil
        }

        for index in timeline.indices {
            let date = timeline[index].date
            if try timeline.matches(index) {
                run.append(index)
                if opened == nil, run.count >= length {
                    opened = date
                    timeline.reached("opens")
                    timeline.trace(index, "run of \(run.count), length \(length) reached: opens on \(date)")
                } else {
                    timeline.trace(
                        index, "run of \(run.count)" + (opened == nil ? " of \(length) needed" : ": still open"))
                }
            } else {
                if opened != nil {
                    timeline.reached("closes")
                    timeline.trace(index, "does not match: the run of \(run.count) ends, closes on \(date)")
                } else {
                    if !run.isEmpty { timeline.reached("falls short") }
                    timeline.trace(index, "does not match: run reset")
                }
                finish(closed: date)
                // Kept for the next run: freed, it was allocated again at every run's first record.
                if !run.isEmpty { run.removeAll(keepingCapacity: true) }
            }
        }
        finish(closed: nil)
        return drafts
    }
}
