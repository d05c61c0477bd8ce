import AttuneCore

/// `trajectory`: a client's change from baseline is below what most clients of this clinic who
/// started where they started had achieved by the same session (the clinic's own calibration,
/// made by `attune calibrate`).
///
/// ```yaml
/// kind: trajectory
/// params: {measure: ors, expected: expected/ors.yaml, below_percentile: 25, from_session: 3}
/// message: "ORS {change} by session {session}; {above_share}% of clients who started at {band} had changed by {expected} or better"
/// ```
public struct TrajectoryKind: TimelineKind {
    /// A small calibration for the examples: two intake bands, sessions 2 to 4.
    static let exampleCalibration = """
        format: attune.expected/1
        measure: ors
        better: higher
        made_by: "the trajectory kind's examples"
        method: {minimum_per_band: 50, minimum_per_cell: 30, smoothing_window: 3}
        inputs: {records: 2400, closed_episodes: 200, episodes_used: 190, first_date: 2025-01-06, last_date: 2025-12-29, digest: "sha256:example"}
        percentiles: [25, 50, 75]
        horizon: 4
        bands:
          - baseline: [0, 20]
            episodes: 95
            sessions:
              - {session: 2, episodes: 90, p25: 0, p50: 2, p75: 4}
              - {session: 3, episodes: 85, p25: 1, p50: 4, p75: 7}
              - {session: 4, episodes: 80, p25: 2, p50: 6, p75: 9}
          - baseline: [20, 40]
            episodes: 95
            sessions:
              - {session: 2, episodes: 90, p25: -2, p50: 0, p75: 2}
              - {session: 3, episodes: 85, p25: -1, p50: 1, p75: 3}
              - {session: 4, episodes: 80, p25: -1, p50: 2, p75: 4}
        """

    public static let declaration = KindDeclaration(
        name: "trajectory",
        summary:
            "A client's change from baseline is below a percentile of the clinic's own expected response; closes when back above.",
        details: """
            The expected response is a calibration file made by `attune calibrate` from the clinic's closed episodes \
            and kept in a pack folder under `expected/`; `expected` names it by its path in the pack (a later pack's \
            file of the same path replaces an earlier one's). A rule whose file no pack holds is off, and lint says how \
            to make one. The baseline is the first recorded value of the measure in the episode, at an attended \
            session; it chooses the intake band. Each later attended record (of those passing `where`) with the \
            measure, at attended session `from_session` or later, is compared: its change from the baseline, counted \
            the good way for the measure, against the `below_percentile` percentile of its band at that attended \
            session number (past the calibration's horizon, the horizon's). The finding opens at the first record \
            below it and closes at the first later compared record that is not; a new one may open after that. Its \
            evidence is the baseline record and the record that opened it, and the HTML chart draws the band \
            between the `below_percentile` and the opposite percentile behind the client's line.
            """,
        parameters: [
            ParameterDeclaration(
                "measure", .measure, doc: "The measure to follow; the calibration file must be for it"),
            ParameterDeclaration(
                "expected", .calibration, doc: "The calibration file, by its path in a pack folder (expected/ors.yaml)"),
            ParameterDeclaration(
                "below_percentile", .integer(1...99), default: .integer(25),
                doc: "Fires while the change is below this percentile of the band; one of the file's percentiles"),
            ParameterDeclaration(
                "from_session", .integer(2...1000), default: .integer(3),
                doc: "The first attended session number compared"),
        ],
        expressions: [],
        placeholders: [
            PlaceholderDeclaration("measure", "the measure's name"),
            PlaceholderDeclaration("measure_title", "the measure's title from the vocabulary"),
            PlaceholderDeclaration("baseline", "the first recorded value of the episode"),
            PlaceholderDeclaration("value", "the value that opened the finding"),
            PlaceholderDeclaration("change", "value minus baseline, signed (+1, -3)"),
            PlaceholderDeclaration("session", "the attended session number that opened the finding"),
            PlaceholderDeclaration(
                "expected", "the change (signed, +4) the band's percentile had reached by that session"),
            PlaceholderDeclaration("percentile", "the param below_percentile"),
            PlaceholderDeclaration(
                "above_share", "100 minus the percentile: the share of clients who had changed at least that much"),
            PlaceholderDeclaration("band", "the intake band of baselines (14–18)"),
            PlaceholderDeclaration("band_episodes", "how many closed episodes the band was calibrated on"),
        ],
        examples: [
            KindExample(
                name: "below the band's 25th percentile at session 3 opens; back above at session 4 closes",
                rule: "params: {measure: ors, expected: expected/ors.yaml, below_percentile: 25, from_session: 3}",
                records: """
                    - {date: 2026-01-05, attendance: attended, measures: {ors: 15}}
                    - {date: 2026-01-12, attendance: attended, measures: {ors: 15}}
                    - {date: 2026-01-19, attendance: attended, measures: {ors: 15.5}}
                    - {date: 2026-01-26, attendance: attended, measures: {ors: 18}}
                    """,
                expect: [.init(opened: "2026-01-19", closed: "2026-01-26")],
                files: ["expected/ors.yaml": exampleCalibration]),
            KindExample(
                name: "the band follows the baseline; past the horizon the horizon's percentile holds",
                rule: "params: {measure: ors, expected: expected/ors.yaml}",
                records: """
                    - {date: 2026-02-02, attendance: attended, measures: {ors: 24}}
                    - {date: 2026-02-09, attendance: attended, measures: {ors: 23}}
                    - {date: 2026-02-16, attendance: attended, measures: {ors: 23}}
                    - {date: 2026-02-23, attendance: attended, measures: {ors: 22}}
                    - {date: 2026-03-02, attendance: attended, measures: {ors: 22.5}}
                    """,
                expect: [.init(opened: "2026-02-23", closed: nil)],
                files: ["expected/ors.yaml": exampleCalibration]),
            KindExample(
                name: "missed appointments are not sessions, and a session without the measure is skipped",
                rule: "params: {measure: ors, expected: expected/ors.yaml, from_session: 2}",
                records: """
                    - {date: 2026-03-02, attendance: attended, measures: {ors: 15}}
                    - {date: 2026-03-09, attendance: no-show}
                    - {date: 2026-03-16, attendance: attended, measures: {ors: 16}}
                    - {date: 2026-03-23, attendance: attended}
                    - {date: 2026-03-30, attendance: attended, measures: {ors: 20}}
                    """,
                expect: [],
                files: ["expected/ors.yaml": exampleCalibration]),
        ])

    let measure: String
    let measureIndex: Int
    let title: String
    let path: String
    /// nil only in a rule that is off because no pack holds its file: such a rule never runs.
    let expected: ExpectedResponse?
    let percentile: Int
    let percentileIndex: Int
    /// The other side of the band drawn on charts: the percentile as far above the median.
    let upperIndex: Int
    let fromSession: Int
    /// +1 when higher is better, -1 when lower is.
    let sign: Double

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        let (name, index, spec) = try configuration.measure("measure")
        measure = name
        measureIndex = index
        title = spec.title
        sign = spec.better == .higher ? 1 : -1
        percentile = try configuration.requiredInteger("below_percentile")
        fromSession = try configuration.requiredInteger("from_session")
        guard let calibration = configuration.calibration("expected") else {
            throw KindConfigurationError(
                "expected must name a calibration file", parameter: "expected", check: .calibration)
        }
        path = calibration.path
        expected = calibration.expected
        guard let expected else {
            percentileIndex = 0
            upperIndex = 0
            return
        }
        guard expected.measure == name else {
            throw KindConfigurationError(
                "the calibration file '\(path)' is for \(expected.measure), not \(name)", parameter: "expected",
                check: .calibration)
        }
        guard expected.better == spec.better else {
            throw KindConfigurationError(
                "the calibration file '\(path)' counts \(expected.better.rawValue) as better, the vocabulary \(spec.better.rawValue)",
                parameter: "expected", check: .calibration)
        }
        guard let found = expected.percentileIndex(percentile) else {
            throw KindConfigurationError(
                "below_percentile \(percentile) is not in the calibration file '\(path)' (it has "
                    + expected.percentiles.map(String.init).joined(separator: ", ") + ")",
                parameter: "below_percentile",
                check: .calibration
            )
        }
        percentileIndex = found
        let opposite = expected.percentiles.firstIndex(of: 100 - percentile)
        upperIndex = opposite ?? (percentile < 50 ? expected.percentiles.count - 1 : 0)
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        guard let expected else {
            throw EvaluationError(
                "rule is off: no pack holds the calibration file '\(path)' ('attune lint' says how to make one with attune calibrate)"
            )
        }
        let records = timeline.timeline
        // The baseline: the first recorded value of the episode, at an attended session (the
        // expressions' `baseline.measures.X`).
        guard let baselineIndex = records.baselineIndex(measure: measureIndex, at: records.count - 1),
            let baseline = records.records[baselineIndex].measures[measureIndex],
            let baselineSession = records.attendedNumber(at: baselineIndex),
            let band = expected.band(baseline: baseline)
        else {
            return []
        }
        var drafts: [FindingDraft] = []
        var open: FindingDraft?
        for index in timeline.indices {
            guard let session = records.attendedNumber(at: index), session > baselineSession else { continue }
            guard let value = timeline.measure(index: measureIndex, at: index) else {
                timeline.trace(index, "no \(measure): skipped")
                continue
            }
            guard session >= fromSession else {
                timeline.trace(
                    index,
                    "\(measure) \(Value.format(value)) at attended session \(session), before session \(fromSession): not compared"
                )
                continue
            }
            guard let cell = expected.cell(in: band, session: session) else { continue }
            let improvement = sign * (value - baseline)
            let bar = cell.values[percentileIndex]
            let below = improvement < bar - 1e-9
            let date = timeline[index].date
            func state() -> String {
                "\(measure) \(Value.format(value)) at attended session \(session): changed \(Self.signed(value - baseline)) from \(Value.format(baseline)); "
                    + "the \(percentile)th percentile of band \(band.label) is \(Self.signed(sign * bar))"
            }
            // Changed in place: `if var current = open` would copy the draft on every record.
            if case .some = open {
                if !below {
                    open!.closed = date
                    drafts.append(open!)
                    open = nil
                    timeline.trace(index, state() + ": back above, closes on \(date)")
                } else {
                    timeline.trace(index, state() + ": still below")
                }
            } else if below {
                open = FindingDraft(
                    opened: date, closed: nil, evidence: [baselineIndex, index],
                    values: [
                        "measure": .string(measure),
                        "measure_title": .string(title),
                        "baseline": .number(baseline),
                        "value": .number(value),
                        "change": .string(Self.signed(value - baseline)),
                        "session": .number(Double(session)),
                        "expected": .string(Self.signed(sign * bar)),
                        "percentile": .number(Double(percentile)),
                        "above_share": .number(Double(100 - percentile)),
                        "band": .string(band.label),
                        "band_episodes": .number(Double(band.episodes)),
                    ],
                    expectedBand: expectedBand(
                        records, baseline: baseline, baselineIndex: baselineIndex, band: band, expected: expected))
                timeline.trace(index, state() + ": below, opens on \(date)")
            } else {
                timeline.trace(index, state() + ": not below")
            }
        }
        if let open { drafts.append(open) }
        return drafts
    }

    /// The band from the baseline on, at every attended appointment of the episode.
    private func expectedBand(
        _ records: Timeline, baseline: Double, baselineIndex: Int, band: ExpectedResponse.Band,
        expected: ExpectedResponse
    ) -> ExpectedBand {
        var points = [ExpectedBand.Point(date: records[baselineIndex].date, low: baseline, high: baseline)]
        for index in (baselineIndex + 1)..<records.count {
            guard let session = records.attendedNumber(at: index), let cell = expected.cell(in: band, session: session)
            else { continue }
            let a = baseline + sign * cell.values[percentileIndex]
            let b = baseline + sign * cell.values[upperIndex]
            points.append(ExpectedBand.Point(date: records[index].date, low: min(a, b), high: max(a, b)))
        }
        let upper = expected.percentiles[upperIndex]
        let range = [percentile, upper].sorted().map { "\($0)th" }.joined(separator: "–")
        return ExpectedBand(
            measure: measure,
            label: "expected (\(range) percentile of this clinic's clients who started at \(band.label))",
            points: points)
    }

    static func signed(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return (rounded > 0 ? "+" : "") + Value.format(rounded == 0 ? 0 : rounded)
    }
}
