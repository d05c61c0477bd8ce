import AttuneCore

/// `sequence`: a record matching `match` not followed in time by one matching `until`.
///
/// ```yaml
/// kind: sequence
/// where: attendance == 'attended'
/// match: rupture.intensity >= 3 and rupture.resolution != 'full'
/// until: repair == 'full'
/// params: {within_records: 2, within_days: 21}
/// message: "rupture of {since} not repaired within {within_records} sessions or {within_days} days"
/// ```
///
/// Each matching record starts a window of the next `within_records` records and `within_days`
/// days. When the first of the two runs out with no `until` in it, the finding opens: on the
/// date of the last record of the window, or on the matching record's date plus `within_days`
/// once the review's as-of date has reached it. The first later record matching `until` closes
/// it. A record matching `until` settles every earlier matching record (a repair is a repair),
/// so ruptures that run out while a finding is open join that finding as further evidence
/// rather than opening a duplicate.
public struct SequenceKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "sequence",
        summary: "A record matching `match` not followed, within the window, by one matching `until`.",
        details: """
            For each record A matching `match` (of those passing `where`), the window is the next \
            `within_records` records and the `within_days` days after A. If no record in it matches `until`, \
            the finding opens when the first of the two runs out: on the date of the `within_records`-th \
            following record, or on A's date plus `within_days` once the as-of date has reached it (so a \
            recent A whose window is still running opens nothing yet). It closes on the first later record \
            matching `until`; a record matching `until` settles every earlier A. A further A whose window runs \
            out while a finding is open joins it (as evidence, counted in `count`) instead of opening a second \
            finding; after the close, a new A opens a new finding. A record that matches both settles the \
            earlier ones and starts a window of its own. Evidence: the records matching `match`. The optional \
            `attempt` names work that falls short of `until` (a partial repair): `{attempts}` lists the dates \
            from the first matching record to the opening on which it held, or says 'none'.
            """,
        parameters: [
            ParameterDeclaration(
                "within_records", .integer(1...1000),
                doc: "How many following records `until` has to show up in"),
            ParameterDeclaration(
                "within_days", .integer(1...3650),
                doc: "How many days after the matching record `until` has to show up in"),
        ],
        expressions: [
            .match,
            ExpressionDeclaration(
                "until", required: true,
                doc: "The condition that settles an earlier matching record and closes the finding"),
            ExpressionDeclaration(
                "attempt", required: false,
                doc: "Optional: work towards `until` that does not settle (listed in `{attempts}`)"),
        ],
        placeholders: [
            PlaceholderDeclaration("since", "the date of the first matching record in the finding"),
            PlaceholderDeclaration(
                "count", "how many matching records ran out of their window unsettled in this finding"),
            PlaceholderDeclaration("within_records", "the param within_records"),
            PlaceholderDeclaration("within_days", "the param within_days"),
            PlaceholderDeclaration(
                "attempts",
                "the dates on which `attempt` held, from the first matching record to the opening, or 'none'"),
        ],
        examples: [
            KindExample(
                name: "two records without repair open it on the second; a repair closes it",
                rule:
                    "match: rupture.intensity >= 3\nuntil: repair == 'full'\nparams: {within_records: 2, within_days: 21}",
                records: """
                    - {date: 2026-04-13, attendance: attended, rupture: {type: withdrawal, intensity: 4}}
                    - {date: 2026-04-16, attendance: attended}
                    - {date: 2026-04-20, attendance: attended, repair: partial}
                    - {date: 2026-04-27, attendance: attended, repair: full}
                    """,
                expect: [.init(opened: "2026-04-20", closed: "2026-04-27")]),
            KindExample(
                name: "attempt: a partial repair is listed, not taken for the full one",
                rule:
                    "match: rupture.intensity >= 3\nuntil: repair == 'full'\nattempt: repair == 'partial'\nparams: {within_records: 2, within_days: 21}",
                records: """
                    - {date: 2026-04-13, attendance: attended, rupture: {type: withdrawal, intensity: 4}}
                    - {date: 2026-04-16, attendance: attended, repair: partial}
                    - {date: 2026-04-20, attendance: attended}
                    """,
                expect: [.init(opened: "2026-04-20", closed: nil)]),
            KindExample(
                name: "a repair within the window is a near miss",
                rule:
                    "match: rupture.intensity >= 3\nuntil: repair == 'full'\nparams: {within_records: 2, within_days: 21}",
                records: """
                    - {date: 2026-04-13, attendance: attended, rupture: {type: confrontation, intensity: 3}}
                    - {date: 2026-04-20, attendance: attended}
                    - {date: 2026-04-27, attendance: attended, repair: full}
                    """,
                expect: []),
            KindExample(
                name: "when the days run out first it opens on the rupture's date plus within_days",
                rule:
                    "match: rupture.intensity >= 3\nuntil: repair == 'full'\nparams: {within_records: 2, within_days: 21}",
                records: """
                    - {date: 2026-05-04, attendance: attended, rupture: {type: mixed, intensity: 3}}
                    - {date: 2026-05-11, attendance: attended}
                    """,
                asOf: "2026-06-01",
                expect: [.init(opened: "2026-05-25", closed: nil)]),
            KindExample(
                name: "a window still running at as-of opens nothing yet",
                rule:
                    "match: rupture.intensity >= 3\nuntil: repair == 'full'\nparams: {within_records: 2, within_days: 21}",
                records: """
                    - {date: 2026-05-04, attendance: attended, rupture: {type: mixed, intensity: 3}}
                    - {date: 2026-05-11, attendance: attended}
                    """,
                asOf: "2026-05-24",
                expect: []),
            KindExample(
                name: "overlapping ruptures merge into one finding; after the repair a new one opens",
                rule:
                    "match: rupture.intensity >= 3\nuntil: repair == 'full'\nparams: {within_records: 2, within_days: 21}",
                records: """
                    - {date: 2026-03-02, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
                    - {date: 2026-03-09, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
                    - {date: 2026-03-16, attendance: attended}
                    - {date: 2026-03-23, attendance: attended}
                    - {date: 2026-03-30, attendance: attended, repair: full}
                    - {date: 2026-04-06, attendance: attended, rupture: {type: confrontation, intensity: 3}}
                    - {date: 2026-04-13, attendance: attended}
                    - {date: 2026-04-20, attendance: attended}
                    """,
                expect: [
                    .init(opened: "2026-03-16", closed: "2026-03-30"),
                    .init(opened: "2026-04-20", closed: nil),
                ]),
        ])

    public var branches: [KindBranch] {
        [
            KindBranch("window starts", "a record matches and starts a window"),
            KindBranch("settled in time", "until holds while a window is still running"),
            KindBranch("runs out by records", "within_records records pass with no until", parameter: "within_records"),
            KindBranch("runs out by days", "within_days days pass with no until", parameter: "within_days"),
            KindBranch("joins", "a further window runs out while a finding is open"),
            KindBranch("closes", "until holds while a finding is open"),
        ]
    }

    /// A matching record whose window is still running.
    struct Pending {
        var index: Int
        /// Records seen after it so far.
        var seen: Int
        /// The last day of its window by days.
        var deadline: Day
    }

    let withinRecords: Int
    let withinDays: Int

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        withinRecords = try configuration.requiredInteger("within_records")
        withinDays = try configuration.requiredInteger("within_days")
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        var pending: [Pending] = []
        var open: FindingDraft?
        // Records on which `attempt` held, for `{attempts}`.
        var attempts: [Int] = []
        // Looked up once for the loop, not by name on every record.
        let attempt = timeline.expression("attempt")
        let until = timeline.expression("until")

        // A matching record ran out of its window unsettled: open a finding, or join the open one.
        func runOut(_ item: Pending, on date: Day) {
            if var current = open {
                timeline.reached("joins")
                current.evidence.append(item.index)
                current.evidence.sort()
                current.values["count"] = .number(Double(current.evidence.count))
                open = current
            } else {
                let tried = attempts.filter { $0 >= item.index && timeline[$0].date <= date }.map {
                    timeline[$0].date.description
                }
                open = FindingDraft(
                    opened: date, closed: nil, evidence: [item.index],
                    values: [
                        "attempts": .string(tried.isEmpty ? "none" : tried.joined(separator: ", ")),
                        "since": .date(timeline[item.index].date),
                        "count": .number(1),
                        "within_records": .number(Double(withinRecords)),
                        "within_days": .number(Double(withinDays)),
                    ])
            }
        }

        for index in timeline.indices {
            let date = timeline[index].date
            // Passed as they are: unwrapped here (`if let`, `!`), each was copied (a reference
            // count) on every record.
            if try timeline.holds(attempt, at: index) { attempts.append(index) }
            // Windows whose days ran out before this record's date: nothing settled them in time.
            // Looked for first: most records expire none, and filtering and removing on every
            // record cost about 20 M instructions at 100k records.
            if pending.contains(where: { $0.deadline < date }) {
                let expired = pending.filter { $0.deadline < date }
                pending.removeAll { $0.deadline < date }
                for item in expired {
                    timeline.reached("runs out by days")
                    runOut(item, on: item.deadline)
                    timeline.trace(
                        index,
                        "the \(withinDays)-day window of \(timeline[item.index].date) ran out on \(item.deadline): open since \(open!.opened)"
                    )
                }
            }

            if try timeline.holds(until, at: index) {
                if var current = open {
                    current.closed = date
                    drafts.append(current)
                    open = nil
                    timeline.reached("closes")
                    timeline.trace(index, "until holds: closes on \(date)")
                } else if !pending.isEmpty {
                    timeline.reached("settled in time")
                    timeline.trace(index, "until holds: settles \(pending.count) matching record(s) in time")
                } else {
                    timeline.trace(index, "until holds: nothing to settle")
                }
                pending.removeAll(keepingCapacity: true)
            } else {
                // Kept in place, in order: a new array per record cost an allocation.
                var kept = 0
                for position in pending.indices {
                    pending[position].seen += 1
                    let item = pending[position]
                    if item.seen >= withinRecords || item.deadline <= date {
                        timeline.reached(item.seen >= withinRecords ? "runs out by records" : "runs out by days")
                        runOut(item, on: date)
                        timeline.trace(
                            index,
                            "the window of \(timeline[item.index].date) ran out with no until: open since \(open!.opened)"
                        )
                    } else {
                        pending[kept] = item
                        kept += 1
                    }
                }
                pending.removeLast(pending.count - kept)
            }

            if try timeline.matches(index) {
                pending.append(Pending(index: index, seen: 0, deadline: date.adding(days: withinDays)))
                timeline.reached("window starts")
                timeline.trace(
                    index, "match holds: window of \(withinRecords) record(s) or until \(date.adding(days: withinDays))"
                )
            }
        }
        // After the last record, only days can run out, and only up to as-of.
        for item in pending where item.deadline <= timeline.asOf {
            timeline.reached("runs out by days")
            runOut(item, on: item.deadline)
            if let last = timeline.indices.last {
                timeline.trace(
                    last,
                    "the \(withinDays)-day window of \(timeline[item.index].date) ran out on \(item.deadline), by as-of \(timeline.asOf)"
                )
            }
        }
        if let open { drafts.append(open) }
        return drafts
    }
}
