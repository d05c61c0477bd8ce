import AttuneCore

/// `worsening_run`: a measure got worse at each of the last N records that have it, by at least
/// `min_step` each time. A slow slide that no single drop (`change`) and no cut-off (`threshold`)
/// catches, which this site wants to hear about.
///
/// ```yaml
/// kind: worsening_run
/// where: attendance == 'attended'
/// params: {measure: ors, sessions: 3}
/// message: "{measure_title} worse {sessions} sessions in a row, from {from} to {value}"
/// ```
///
/// Which way is worse comes from the measure's `better` in the vocabulary, as for `change`.
public struct WorseningRunKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "worsening_run",
        summary: "A measure got worse at each of the last `sessions` records that have it; closes when it stops.",
        details: """
            Only records (of those passing `where`) that have the measure take part. A record is a step \
            worse when its value moved at least `min_step` the bad way from the previous record's value \
            (down for `better: higher`, up for `better: lower`). The finding opens on the record that makes \
            `sessions` such steps in a row and closes on the first later record that is not a step worse. \
            Its evidence is the record the run started from and every record of the run.
            """,
        parameters: [
            ParameterDeclaration("measure", .measure, doc: "The measure to follow, by its vocabulary name"),
            ParameterDeclaration(
                "sessions", .integer(2...50), default: .integer(3),
                doc: "How many steps worse in a row open the finding (local default 3)"),
            ParameterDeclaration(
                "min_step", .number, default: .number(1),
                doc: "How far, in the measure's points, a step must move the bad way; more than 0 (local default 1)"),
        ],
        expressions: [],
        placeholders: [
            PlaceholderDeclaration("measure", "the measure's name"),
            PlaceholderDeclaration("measure_title", "the measure's title from the vocabulary"),
            PlaceholderDeclaration("sessions", "how many steps worse in a row opened the finding"),
            PlaceholderDeclaration("from", "the value the run started from"),
            PlaceholderDeclaration("value", "the value that opened the finding"),
        ],
        examples: [
            KindExample(
                name: "three steps down in a row open; a step up closes",
                rule: "params: {measure: ors, sessions: 3}",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {ors: 30}}
                    - {date: 2026-01-12, attendance: attended, measures: {ors: 28}}
                    - {date: 2026-01-19, attendance: attended, measures: {ors: 26}}
                    - {date: 2026-01-26, attendance: attended, measures: {ors: 24}}
                    - {date: 2026-02-02, attendance: attended, measures: {ors: 27}}
                    """,
                expect: [.init(opened: "2026-01-26", closed: "2026-02-02")]),
            KindExample(
                name: "a step smaller than min_step breaks the run",
                rule: "params: {measure: ors, sessions: 3, min_step: 2}",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {ors: 30}}
                    - {date: 2026-01-12, attendance: attended, measures: {ors: 28}}
                    - {date: 2026-01-19, attendance: attended, measures: {ors: 27}}
                    - {date: 2026-01-26, attendance: attended, measures: {ors: 25}}
                    """,
                expect: []),
            KindExample(
                name: "up is worse for a lower-is-better measure; records without it are skipped",
                rule: "params: {measure: phq9, sessions: 2}",
                records: """
                    - {date: 2026-03-02, attendance: attended, measures: {phq9: 10}}
                    - {date: 2026-03-09, attendance: no-show}
                    - {date: 2026-03-16, attendance: attended, measures: {phq9: 12}}
                    - {date: 2026-03-23, attendance: attended, measures: {phq9: 15}}
                    """,
                expect: [.init(opened: "2026-03-23", closed: nil)]),
        ])

    let measure: String
    /// The measure's vocabulary index, looked up once rather than by name on every record.
    let measureIndex: Int
    let title: String
    let sessions: Int
    let minStep: Double
    let higherIsBetter: Bool

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        let (name, index, spec) = try configuration.measure("measure")
        measure = name
        measureIndex = index
        title = spec.title
        higherIsBetter = spec.better == .higher
        // The defaults come from the declaration above: the loader fills them in.
        sessions = try configuration.requiredInteger("sessions")
        minStep = try configuration.requiredNumber("min_step")
        guard minStep > 0 else {
            throw KindConfigurationError(
                "min_step must be more than 0: a step that does not move is no worse", parameter: "min_step")
        }
    }

    public var branches: [KindBranch] {
        [
            KindBranch("opens", "the measure gets worse sessions times in a row", parameter: "sessions"),
            KindBranch("falls short", "a run of steps worse ends before it reaches sessions", parameter: "sessions"),
            KindBranch("closes", "an open finding's measure stops getting worse"),
        ]
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        var open: FindingDraft?
        // The records of the current run: where it started, then each step worse.
        var run: [Int] = []
        var previous: Double?
        for index in timeline.indices {
            guard let value = timeline.measure(index: measureIndex, at: index) else {
                timeline.trace(index, "no \(measure): skipped")
                continue
            }
            defer { previous = value }
            guard let last = previous else {
                run = [index]
                timeline.trace(index, "\(measure) \(Value.format(value)): the first value")
                continue
            }
            let moved = higherIsBetter ? last - value : value - last
            let worse = moved >= minStep - 1e-9
            let date = timeline[index].date
            if worse {
                run.append(index)
            } else {
                if run.count > 1, open == nil { timeline.reached("falls short") }
                run = [index]
            }
            if var current = open {
                if !worse {
                    current.closed = date
                    drafts.append(current)
                    open = nil
                    timeline.reached("closes")
                    timeline.trace(index, "\(measure) \(Value.format(value)): not worse, closes on \(date)")
                } else {
                    timeline.trace(index, "\(measure) \(Value.format(value)): worse again, still open")
                }
            } else if run.count - 1 >= sessions {
                let from = timeline.measure(index: measureIndex, at: run[0]) ?? value
                open = FindingDraft(
                    opened: date, closed: nil, evidence: run,
                    values: [
                        "measure": .string(measure),
                        "measure_title": .string(title),
                        "sessions": .number(Double(sessions)),
                        "from": .number(from),
                        "value": .number(value),
                    ])
                timeline.reached("opens")
                timeline.trace(index, "\(measure) \(Value.format(value)): \(sessions) steps worse in a row, opens")
            } else {
                timeline.trace(
                    index, "\(measure) \(Value.format(value)): \(run.count - 1) step(s) worse in a row of \(sessions)")
            }
        }
        if let open { drafts.append(open) }
        return drafts
    }
}
