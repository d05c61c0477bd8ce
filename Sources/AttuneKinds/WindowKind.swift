import AttuneCore

/// `window`: at least K of the last N records match; the finding lasts while that holds.
///
/// ```yaml
/// kind: window
/// where: attendance == 'attended'
/// match: rupture.type == 'withdrawal' or 'distancing' in tags
/// params: {at_least: 3, of_last: 4}
/// message: "distancing in {count} of the last {of_last} sessions ({sessions})"
/// ```
///
/// At each record (of those passing `where`) the kind counts the matches among the last
/// `of_last` records, this one included. Early in an episode the window is simply shorter, so
/// three distancing sessions out of the first three already count: a supervisor wants to hear
/// about a pattern as soon as it is there, not once a fourth session has happened.
public struct WindowKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "window",
        summary: "At least K of the last N records match; closes when that stops holding.",
        details: """
            At each record the kind counts how many of the last `of_last` records (this one included, \
            fewer at the start of an episode) match. The finding opens at the first record where the \
            count reaches `at_least` and closes at the first later record where it falls below; a new \
            finding may open after that. Its evidence is the matching records in the window when it opened.
            """,
        parameters: [
            ParameterDeclaration(
                "at_least", .integer(1...1000), doc: "How many matching records the window must hold (K)"),
            ParameterDeclaration(
                "of_last", .integer(1...1000),
                doc: "How many records, counting back from the current one, the window covers (N)"),
        ],
        expressions: [.match],
        placeholders: [
            PlaceholderDeclaration("count", "how many records in the window matched when the finding opened"),
            PlaceholderDeclaration("at_least", "the param at_least"),
            PlaceholderDeclaration("of_last", "the param of_last"),
        ],
        examples: [
            KindExample(
                name: "opens when the third of four matches, closes when the count falls below",
                rule: "match: \"'distancing' in tags\"\nparams: {at_least: 3, of_last: 4}",
                records: """
                    - {date: 2026-01-05, attendance: attended, tags: [distancing]}
                    - {date: 2026-01-12, attendance: attended}
                    - {date: 2026-01-19, attendance: attended, tags: [distancing]}
                    - {date: 2026-01-26, attendance: attended, tags: [distancing]}
                    - {date: 2026-02-02, attendance: attended, tags: [distancing]}
                    - {date: 2026-02-09, attendance: attended}
                    - {date: 2026-02-16, attendance: attended}
                    """,
                expect: [.init(opened: "2026-01-26", closed: "2026-02-16")]),
            KindExample(
                name: "two of four is a near miss",
                rule: "match: \"'distancing' in tags\"\nparams: {at_least: 3, of_last: 4}",
                records: """
                    - {date: 2026-01-05, attendance: attended, tags: [distancing]}
                    - {date: 2026-01-12, attendance: attended}
                    - {date: 2026-01-19, attendance: attended}
                    - {date: 2026-01-26, attendance: attended, tags: [distancing]}
                    - {date: 2026-02-02, attendance: attended}
                    - {date: 2026-02-09, attendance: attended, tags: [distancing]}
                    """,
                expect: []),
            KindExample(
                name: "closes and opens again",
                rule: "match: rupture.type == 'confrontation'\nparams: {at_least: 2, of_last: 3}",
                records: """
                    - {date: 2026-03-02, attendance: attended, rupture: {type: confrontation}}
                    - {date: 2026-03-09, attendance: attended, rupture: {type: confrontation}}
                    - {date: 2026-03-16, attendance: attended}
                    - {date: 2026-03-23, attendance: attended}
                    - {date: 2026-03-30, attendance: attended, rupture: {type: confrontation}}
                    - {date: 2026-04-06, attendance: attended}
                    - {date: 2026-04-13, attendance: attended, rupture: {type: confrontation}}
                    """,
                expect: [
                    .init(opened: "2026-03-09", closed: "2026-03-23"),
                    .init(opened: "2026-04-13", closed: nil),
                ]),
            KindExample(
                name: "the window counts only records that pass where",
                rule:
                    "where: attendance == 'attended'\nmatch: \"'distancing' in tags\"\nparams: {at_least: 2, of_last: 2}",
                records: """
                    - {date: 2026-05-04, attendance: attended, tags: [distancing]}
                    - {date: 2026-05-11, attendance: no-show}
                    - {date: 2026-05-18, attendance: attended, tags: [distancing]}
                    """,
                expect: [.init(opened: "2026-05-18", closed: nil)]),
        ])

    let atLeast: Int
    let ofLast: Int

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        atLeast = try configuration.requiredInteger("at_least")
        ofLast = try configuration.requiredInteger("of_last")
        guard atLeast <= ofLast else {
            throw KindConfigurationError(
                "at_least (\(atLeast)) cannot be more than of_last (\(ofLast)): the window could never fill",
                parameter: "at_least")
        }
    }

    public var branches: [KindBranch] {
        var list = [KindBranch("opens", "the window holds at_least matching records", parameter: "at_least")]
        // With at_least 1 any matching record opens it: there is no falling short to test.
        if atLeast > 1 {
            list.append(
                KindBranch(
                    "falls short", "the window holds some matching records, but fewer than at_least",
                    parameter: "at_least"))
        }
        list.append(
            KindBranch(
                "slides", "a matching record leaves the window of the last of_last records", parameter: "of_last"))
        list.append(KindBranch("closes", "an open finding's window drops below at_least"))
        return list
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        // Positions (in `indices`) of matching records, in order; those from `inside` on are
        // inside the window. Positions only grow, so the ones that slide out are always at the
        // front: counted past rather than removed (removing from the front moved the rest, and
        // on an empty array allocated, on every record).
        var matching: [Int] = []
        var inside = 0
        var open: FindingDraft?
        for (position, index) in timeline.indices.enumerated() {
            if try timeline.matches(index) { matching.append(position) }
            let before = inside
            while inside < matching.count, matching[inside] <= position - ofLast { inside += 1 }
            if inside > before { timeline.reached("slides") }
            let count = matching.count - inside
            let date = timeline[index].date
            // Changed in place: `if var current = open` would copy the draft on every record.
            if case .some = open {
                if count < atLeast {
                    open!.closed = date
                    drafts.append(open!)
                    open = nil
                    timeline.reached("closes")
                    timeline.trace(index, "\(count) of the last \(ofLast) match, below \(atLeast): closes on \(date)")
                } else {
                    timeline.trace(index, "\(count) of the last \(ofLast) match: still open")
                }
            } else if count >= atLeast {
                let evidence = matching[inside...].map { timeline.indices[$0] }
                open = FindingDraft(
                    opened: date, closed: nil, evidence: evidence,
                    values: [
                        "count": .number(Double(count)),
                        "at_least": .number(Double(atLeast)),
                        "of_last": .number(Double(ofLast)),
                    ])
                timeline.reached("opens")
                timeline.trace(index, "\(count) of the last \(ofLast) match, at least \(atLeast): opens on \(date)")
            } else {
                if count > 0 { timeline.reached("falls short") }
                timeline.trace(index, "\(count) of the last \(ofLast) match, fewer than \(atLeast)")
            }
        }
        if let open { drafts.append(open) }
        return drafts
    }
}
