import AttuneCore

/// `change`: a measure moved at least `by` in the bad direction from a baseline.
///
/// ```yaml
/// kind: change
/// where: attendance == 'attended'
/// params: {measure: srs, by: 5, baseline: previous}
/// message: "SRS fell {delta} points, from {baseline} to {value}"
/// ```
///
/// Which way is bad comes from the measure's `better` in the vocabulary, so one rule shape
/// serves the ORS (higher is better) and the PHQ-9 (lower is better) alike.
public struct ChangeKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "change",
        summary: "A measure moved at least `by` the bad way from a baseline; closes when it no longer has.",
        details: """
            Only records (of those passing `where`) that have the measure take part; the others are skipped. \
            The baseline is the previous record with the measure (`previous`), the best of the previous N \
            (`best-of-last-N`: the highest for `better: higher`, the lowest for `better: lower`, so that a slide \
            over several records counts as well as a drop), the first one (`first`), or the mean of the first N \
            (`mean-of-first-N`). With `where: attendance == 'attended'`, `first` is the measure's first recorded \
            value in the episode, `baseline.measures.NAME` in expressions. A record is compared once the baseline exists and the \
            record is not part of it, its attended_n is at least `after_n` (a record not attended counts as the \
            attended appointments before it) and, when the rule has a `match`, `match` holds on it. The \
            bad direction is the measure's `better` in the vocabulary: down for `better: higher`, up for \
            `better: lower`. The finding opens at the first compared record whose value moved at least `by` \
            the bad way from the baseline (within rounding) and closes at the first later compared record where \
            it no longer has; a new finding may open after that. Its evidence is the baseline record(s) and the \
            record that opened it.
            """,
        parameters: [
            ParameterDeclaration("measure", .measure, doc: "The measure to follow, by its vocabulary name"),
            ParameterDeclaration(
                "by", .number, doc: "How far (in the measure's points) it must move the bad way; more than 0"),
            ParameterDeclaration(
                "baseline", .choice(["previous", "best-of-last-N", "first", "mean-of-first-N"]),
                default: .string("previous"),
                doc:
                    "What a value is compared with: the previous value, the best of the previous N values, the first value, or the mean of the first N values"
            ),
            ParameterDeclaration(
                "after_n", .integer(0...1000), default: .integer(1),
                doc:
                    "Compare only records whose attended_n is at least this; the default 1 compares from the first attended session on, once a baseline exists"
            ),
        ],
        expressions: [
            ExpressionDeclaration(
                "match", required: false,
                doc:
                    "Optional: only records where it holds are compared (all records with the measure still form the baseline)"
            )
        ],
        placeholders: [
            PlaceholderDeclaration("measure", "the measure's name"),
            PlaceholderDeclaration("measure_title", "the measure's title from the vocabulary"),
            PlaceholderDeclaration("by", "the param by"),
            PlaceholderDeclaration(
                "baseline", "the baseline value when the finding opened (a mean is rounded to 2 decimals)"),
            PlaceholderDeclaration(
                "baseline_date", "the date of the baseline record (for a mean, of the last record in it)"),
            PlaceholderDeclaration("value", "the value that opened the finding"),
            PlaceholderDeclaration("delta", "how far the value had moved the bad way (a positive number)"),
        ],
        examples: [
            KindExample(
                name: "a drop from the previous value opens; the next value that is not a drop closes",
                rule: "params: {measure: srs, by: 5}",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {srs: 38}}
                    - {date: 2026-01-12, attendance: attended, measures: {srs: 36}}
                    - {date: 2026-01-19, attendance: attended, measures: {srs: 31}}
                    - {date: 2026-01-26, attendance: attended}
                    - {date: 2026-02-02, attendance: attended, measures: {srs: 33}}
                    """,
                expect: [.init(opened: "2026-01-19", closed: "2026-02-02")]),
            KindExample(
                name: "a slide of 4 points at a time never drops 5 from the previous value",
                rule: "params: {measure: srs, by: 5}",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {srs: 39}}
                    - {date: 2026-01-12, attendance: attended, measures: {srs: 35}}
                    - {date: 2026-01-19, attendance: attended, measures: {srs: 31}}
                    """,
                expect: []),
            KindExample(
                name: "best-of-last-2: a slide of 4 points a session is 8 below the best of the two before",
                rule: "params: {measure: srs, by: 5, baseline: best-of-last-2}",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {srs: 39}}
                    - {date: 2026-01-12, attendance: attended, measures: {srs: 35}}
                    - {date: 2026-01-19, attendance: attended, measures: {srs: 31}}
                    - {date: 2026-01-26, attendance: attended, measures: {srs: 33}}
                    """,
                expect: [.init(opened: "2026-01-19", closed: "2026-01-26")]),
            KindExample(
                name: "up is bad for a lower-is-better measure; closes and opens again against the first value",
                rule: "params: {measure: phq9, by: 6, baseline: first}",
                records: """
                    - {date: 2026-02-02, attendance: attended, measures: {phq9: 12}}
                    - {date: 2026-02-09, attendance: attended, measures: {phq9: 18}}
                    - {date: 2026-02-16, attendance: attended, measures: {phq9: 15}}
                    - {date: 2026-02-23, attendance: attended, measures: {phq9: 17}}
                    - {date: 2026-03-02, attendance: attended, measures: {phq9: 19}}
                    """,
                expect: [
                    .init(opened: "2026-02-09", closed: "2026-02-16"),
                    .init(opened: "2026-03-02", closed: nil),
                ]),
            KindExample(
                name: "a mean baseline is not compared with itself, and after_n waits",
                rule: "params: {measure: ors, by: 5, baseline: mean-of-first-2, after_n: 4}",
                records: """
                    - {date: 2026-04-06, attendance: attended, measures: {ors: 24}}
                    - {date: 2026-04-13, attendance: attended, measures: {ors: 16}}
                    - {date: 2026-04-20, attendance: attended, measures: {ors: 14}}
                    - {date: 2026-04-27, attendance: attended, measures: {ors: 15}}
                    - {date: 2026-05-04, attendance: attended, measures: {ors: 21}}
                    """,
                expect: [.init(opened: "2026-04-27", closed: "2026-05-04")]),
        ])

    enum Baseline: Hashable, Sendable {
        /// The best of the previous N values; `previous` is the best of the last 1.
        case bestOfLast(Int)
        case first
        case meanOfFirst(Int)
    }

    let measure: String
    /// The measure's vocabulary index, looked up once rather than by name on every record.
    let measureIndex: Int
    let title: String
    let by: Double
    let baseline: Baseline
    let afterN: Int
    /// Down is bad for `better: higher`, up for `better: lower`.
    let higherIsBetter: Bool

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        let (name, index, spec) = try configuration.measure("measure")
        measure = name
        measureIndex = index
        title = spec.title
        higherIsBetter = spec.better == .higher
        by = try configuration.requiredNumber("by")
        guard by > 0 else {
            throw KindConfigurationError(
                "by must be more than 0: it is how far the measure moves the bad way, and the vocabulary gives the direction",
                parameter: "by")
        }
        afterN = try configuration.requiredInteger("after_n")
        switch try configuration.requiredString("baseline") {
        case "previous": baseline = .bestOfLast(1)
        case "first": baseline = .first
        case let text:
            let meanPrefix = "mean-of-first-"
            let bestPrefix = "best-of-last-"
            if text.hasPrefix(meanPrefix), let n = Int(text.dropFirst(meanPrefix.count)), n >= 1 {
                baseline = .meanOfFirst(n)
            } else if text.hasPrefix(bestPrefix), let n = Int(text.dropFirst(bestPrefix.count)), n >= 1 {
                baseline = .bestOfLast(n)
            } else {
                throw KindConfigurationError(
                    "baseline '\(text)' is not previous, best-of-last-N, first or mean-of-first-N",
                    parameter: "baseline")
            }
        }
    }

    public var branches: [KindBranch] {
        var list = [
            KindBranch("opens", "the measure moves at least by the bad way", parameter: "by"),
            KindBranch("falls short", "the measure moves the bad way, but less than by", parameter: "by"),
            KindBranch("closes", "an open finding's measure comes back within by"),
        ]
        if afterN > 1 {
            list.append(
                KindBranch(
                    "too early", "a record before attended session after_n is not compared", parameter: "after_n"))
        }
        switch baseline {
        case .first, .meanOfFirst:
            list.append(
                KindBranch(
                    "baseline", "records form the first/mean baseline and are not compared", parameter: "baseline"))
        case .bestOfLast(let n) where n > 1:
            list.append(
                KindBranch("earlier best", "the best of the last N is not the most recent value", parameter: "baseline")
            )
        case .bestOfLast:
            break
        }
        return list
    }

    /// The attended appointments up to and including a record: its attended_n, or for a record
    /// not attended the number attended before it.
    private func attendedSoFar(_ timeline: Timeline, _ index: Int) -> Int {
        if let number = timeline.attendedNumber(at: index) { return number }
        return timeline.previousAttendedIndex(at: index).flatMap { timeline.attendedNumber(at: $0) } ?? 0
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 100).rounded() / 100
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        var drafts: [FindingDraft] = []
        var open: FindingDraft?
        // The records that make up the baseline now (for best-of-last-N, the candidates), and their values.
        var baselineRecords: [Int] = []
        var baselineValues: [Double] = []
        let needed: Int
        let isFixed: Bool
        switch baseline {
        case .bestOfLast:
            needed = 0
            isFixed = false
        case .first:
            needed = 1
            isFixed = true
        case .meanOfFirst(let n):
            needed = n
            isFixed = true
        }

        for index in timeline.indices {
            guard let value = timeline.measure(index: measureIndex, at: index) else {
                timeline.trace(index, "no \(measure): skipped")
                continue
            }
            let date = timeline[index].date
            // Still building a first/mean baseline: this record is part of it, never compared.
            if isFixed, baselineValues.count < needed {
                baselineRecords.append(index)
                baselineValues.append(value)
                timeline.reached("baseline")
                timeline.trace(
                    index,
                    "\(measure) \(Value.format(value)): part of the baseline (\(baselineValues.count) of \(needed))")
                continue
            }
            defer {
                if case .bestOfLast(let n) = baseline {
                    // This runs on every record with the measure: a full window moves up by one
                    // in place (`removeFirst` and `append` cost a call each into the array's
                    // general code, several times the moves of a window of a few).
                    if n > 0, baselineRecords.count == n {
                        for slot in 1..<n {
                            baselineRecords[slot - 1] = baselineRecords[slot]
                            baselineValues[slot - 1] = baselineValues[slot]
                        }
                        baselineRecords[n - 1] = index
                        baselineValues[n - 1] = value
                    } else {
                        baselineRecords.append(index)
                        baselineValues.append(value)
                    }
                }
            }
            guard !baselineValues.isEmpty else {
                timeline.trace(index, "\(measure) \(Value.format(value)): the first value, the baseline for the next")
                continue
            }
            guard attendedSoFar(timeline.timeline, index) >= afterN else {
                timeline.reached("too early")
                timeline.trace(
                    index, "\(measure) \(Value.format(value)): before attended session \(afterN), not compared")
                continue
            }
            guard try timeline.matches(index) else {
                timeline.trace(index, "\(measure) \(Value.format(value)): match does not hold, not compared")
                continue
            }
            let reference: Double
            // The baseline record the value is compared with (best-of-last-N); nil when it is
            // all of them (first, mean-of-first-N). The evidence is made from it only when a
            // finding opens, not on every compared record.
            let best: Int?
            if isFixed {
                reference = baselineValues.reduce(0, +) / Double(baselineValues.count)
                best = nil
            } else {
                // The best of the candidates: the one the value has fallen furthest from.
                var position = 0
                for candidate in baselineValues.indices.dropFirst() {
                    let better =
                        higherIsBetter
                        ? baselineValues[candidate] > baselineValues[position]
                        : baselineValues[candidate] < baselineValues[position]
                    if better { position = candidate }
                }
                best = position
                reference = baselineValues[position]
                if baselineValues[position] != baselineValues[baselineValues.count - 1] {
                    timeline.reached("earlier best")
                }
            }
            let delta = higherIsBetter ? reference - value : value - reference
            // A small tolerance so that 20.2 → 15.2 counts as the 5 points it is.
            let moved = delta >= by - 1e-9
            // Made only when someone traces (explain): formatting numbers on every record is costly.
            func state() -> String {
                "\(measure) \(Value.format(value)) against baseline \(Value.format(Self.rounded(reference))): moved \(Value.format(Self.rounded(delta))) the bad way"
            }
            // Changed in place: `if var current = open` would copy the draft on every record, and
            // so would `open != nil` (the `Equatable` overload compares two optional drafts).
            if case .some = open {
                if !moved {
                    open!.closed = date
                    drafts.append(open!)
                    open = nil
                    timeline.reached("closes")
                    timeline.trace(index, state() + ", less than \(Value.format(by)): closes on \(date)")
                } else {
                    timeline.trace(index, state() + ": still open")
                }
            } else if moved {
                let referenceRecords = best.map { [baselineRecords[$0]] } ?? baselineRecords
                open = FindingDraft(
                    opened: date, closed: nil, evidence: referenceRecords + [index],
                    values: [
                        "measure": .string(measure),
                        "measure_title": .string(title),
                        "by": .number(by),
                        "baseline": .number(Self.rounded(reference)),
                        "baseline_date": .date(timeline[referenceRecords[referenceRecords.count - 1]].date),
                        "value": .number(value),
                        "delta": .number(Self.rounded(delta)),
                    ])
                timeline.reached("opens")
                timeline.trace(index, state() + ", at least \(Value.format(by)): opens on \(date)")
            } else {
                if delta > 0 { timeline.reached("falls short") }
                timeline.trace(index, state() + ", less than \(Value.format(by))")
            }
        }
        if let open { drafts.append(open) }
        return drafts
    }
}
