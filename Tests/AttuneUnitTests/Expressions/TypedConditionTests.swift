import AttuneCore
import Testing

/// Conditions compile to a typed test besides the general evaluator (for speed); on every record
/// the two must agree on the answer, on a thrown error and on flagging a missing measure.
struct TypedConditionTests {
    static let records = """
        - {date: 2026-01-05, attendance: attended, measures: {srs: 38, ors: 20, phq9: 14}, tags: [distancing]}
        - {date: 2026-01-12, attendance: no-show}
        - {date: 2026-01-19, attendance: attended, measures: {srs: 22, ors: 22}, rupture: {type: withdrawal, markers: [minimal-response], intensity: 4}}
        - {date: 2026-01-26, attendance: late-cancel, next_appointment: 2026-02-02}
        - {date: 2026-02-02, attendance: attended, measures: {ors: 15, phq9: 9, phq9_i9: 1}, rupture: {type: confrontation, markers: [defending-self], intensity: 2, resolution: full}, repair: partial}
        - {date: 2026-02-09, attendance: attended, measures: {srs: 40, ors: 19}, rupture: {type: mixed, markers: [deferential-appeasing], intensity: 3, resolution: partial}, tags: [unfocused, homework-done]}
        - {date: 2026-02-23, attendance: cancelled, repair: full, episode_end: planned}
        """

    /// The default pack's conditions, and shapes that take other typed paths (or none).
    static let conditions = [
        "attendance == 'attended'",
        "measures.srs < srs_cutoff",
        "not has(measures.srs)",
        "attendance in ['no-show', 'late-cancel']",
        "attendance not in ['no-show', 'late-cancel']",
        "attendance == 'attended' and has(measures.ors)",
        "attended_n >= 4 and first.measures.ors < ors_cutoff and measures.ors <= first.measures.ors",
        "overlaps(rupture.markers, masking_markers) and measures.srs >= 39",
        "rupture.type in ['confrontation', 'mixed'] or overlaps(rupture.markers, confrontation_markers)",
        "rupture.type in ['withdrawal', 'mixed'] or overlaps(rupture.markers, withdrawal_markers) or overlaps(tags, distancing_note_tags)",
        "overlaps(distancing_note_tags, tags)",
        "measures.phq9_i9 >= 1",
        "attended_n >= 3 and first.measures.phq9 >= 10 and first.measures.phq9 - measures.phq9 < 6",
        "rupture.intensity >= 3 and rupture.resolution != 'full'",
        "repair == 'full'",
        "repair != 'full'",
        "'distancing' in tags",
        "'distancing' not in tags",
        "'minimal-response' in prev.rupture.markers",
        "prev.attendance == 'attended' and prev.measures.srs > measures.srs",
        "measures.srs == null",
        "measures.srs != null",
        "rupture == null",
        "has(tags) and has(prev) and has(next_appointment)",
        "measures.srs == measures.ors",
        "abs(measures.ors - first.measures.ors) > 3",
        "-measures.phq9 < -10",
        "measures.srs / measures.phq9_i9 > 1",
        "days_since_prev > 10 or session == 3",
        "date >= date('2026-02-01')",
        "attended_n <= 3 and measures.srs < srs_cutoff",
        "attendance == 'attended' and not has(next_appointment) and not has(episode_end)",
    ]

    /// The answer, or the error, with whether a missing measure was flagged.
    struct Outcome: Equatable {
        var holds: Bool?
        var error: String?
        var missedMeasure: Bool
    }

    static func outcome(_ body: (EvaluationProbe) throws(EvaluationError) -> Bool, recording: Bool) -> Outcome {
        let probe = EvaluationProbe(recordingReads: recording)
        do {
            return Outcome(holds: try body(probe), error: nil, missedMeasure: probe.missedMeasure)
        } catch {
            return Outcome(holds: nil, error: error.message, missedMeasure: probe.missedMeasure)
        }
    }

    @Test(arguments: conditions)
    func typedTestAgreesWithTheEvaluator(_ text: String) throws {
        let (decoded, diagnostics) = Fixtures.records(Self.records, defaults: .ruleTests)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let timeline = Timeline(client: "C-1", episode: "1", records: decoded)
        let compiled = try ExpressionCompiler(vocabulary: Fixtures.vocabulary).compile(text).get()
        for index in 0..<timeline.count {
            // A probe that does not record reads gets the typed test; one that does, the evaluator.
            let typed = Self.outcome(
                { probe throws(EvaluationError) in
                    try compiled.holds(EvaluationRow(timeline: timeline, index: index, probe: probe))
                }, recording: false)
            let general = Self.outcome(
                { probe throws(EvaluationError) in
                    try compiled.evaluate(EvaluationRow(timeline: timeline, index: index, probe: probe)).isTrue
                }, recording: true)
            #expect(typed == general, "record \(index + 1) of \(text)")
        }
    }

    @Test func theCasesDiffer() throws {
        // Guards the test above against records on which every condition gives the same answer.
        let (decoded, _) = Fixtures.records(Self.records, defaults: .ruleTests)
        let timeline = Timeline(client: "C-1", episode: "1", records: decoded)
        let compiler = ExpressionCompiler(vocabulary: Fixtures.vocabulary)
        for text in Self.conditions where !text.contains("/") {
            let compiled = try compiler.compile(text).get()
            let answers = try Set(
                (0..<timeline.count).map { index throws(EvaluationError) in
                    try compiled.holds(EvaluationRow(timeline: timeline, index: index))
                })
            #expect(answers.count == 2, "\(text) gives only \(answers) on the test records")
        }
    }
}
