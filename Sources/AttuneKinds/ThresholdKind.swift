import AttuneCore

/// `threshold`: a point finding on each record where `match` holds.
///
/// ```yaml
/// kind: threshold
/// where: attendance == 'attended'
/// match: measures.srs < srs_cutoff
/// ```
public struct ThresholdKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "threshold",
        summary: "Each record where `match` holds (point findings).",
        details: "A finding opens and closes on the same day, once for every matching record.",
        parameters: [],
        expressions: [.match],
        placeholders: [
            PlaceholderDeclaration("date", "the date of the matching record")
        ],
        examples: [
            KindExample(
                name: "fires on every matching record",
                rule: "match: measures.srs < 36",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {srs: 38}}
                    - {date: 2026-01-12, attendance: attended, measures: {srs: 31}}
                    - {date: 2026-01-19, attendance: attended, measures: {srs: 34}}
                    """,
                expect: [
                    .init(opened: "2026-01-12", closed: "2026-01-12"),
                    .init(opened: "2026-01-19", closed: "2026-01-19"),
                ]),
            KindExample(
                name: "a missing measure never matches",
                rule: "match: measures.srs < 36",
                records: """
                    - {date: 2026-01-05, attendance: attended}
                    - {date: 2026-01-12, attendance: no-show}
                    """,
                expect: []),
            KindExample(
                name: "where narrows the records looked at",
                rule: "where: attendance == 'attended'\nmatch: days_since_prev > 14",
                records: """
                    - {date: 2026-01-05, attendance: attended}
                    - {date: 2026-01-26, attendance: no-show}
                    - {date: 2026-02-16, attendance: attended}
                    """,
                expect: [.init(opened: "2026-02-16", closed: "2026-02-16")]),
        ])

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {}

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        for index in timeline.indices where try timeline.matches(index) {
            let date = timeline[index].date
            timeline.trace(index, "match holds: point finding on \(date)")
            if timeline.drops(closedOn: date) { continue }
            drafts.append(FindingDraft(opened: date, closed: date, evidence: [index], values: ["date": .date(date)]))
        }
        return drafts
    }
}
