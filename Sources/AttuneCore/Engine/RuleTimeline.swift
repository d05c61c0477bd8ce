/// What a timeline kind sees of one (client, episode) for one rule: the records that pass the
/// rule's `where`, its expressions ready to evaluate, and the review's as-of date.
///
/// ```swift
/// for index in timeline.indices where try timeline.matches(index) {
///     timeline.trace(index, "run of \(run)")
/// }
/// ```
public struct RuleTimeline: Sendable {
    public let timeline: Timeline
    /// Indices (into `timeline.records`) of the records that pass `where`, in order.
    public let indices: [Int]
    public let asOf: Day
    public let vocabulary: Vocabulary
    let match: CompiledExpression?
    let expressions: [String: CompiledExpression]
    let probe: EvaluationProbe?
    let tracer: (@Sendable (Int, String) -> Void)?

    init(timeline: Timeline, indices: [Int], asOf: Day, vocabulary: Vocabulary, match: CompiledExpression?,
         expressions: [String: CompiledExpression], probe: EvaluationProbe?, tracer: (@Sendable (Int, String) -> Void)?) {
        self.timeline = timeline
        self.indices = indices
        self.asOf = asOf
        self.vocabulary = vocabulary
        self.match = match
        self.expressions = expressions
        self.probe = probe
        self.tracer = tracer
    }

    public subscript(index: Int) -> SessionRecord { timeline.records[index] }

    /// The rule's `match` on a record (true when the kind has no `match`).
    public func matches(_ index: Int) throws(EvaluationError) -> Bool {
        guard let match else { return true }
        guard let probe else { return try match.holds(EvaluationRow(timeline: timeline, index: index, probe: nil)) }
        probe.missedMeasure = false
        probe.lastRecord = index
        let holds = try match.holds(EvaluationRow(timeline: timeline, index: index, probe: probe))
        if !holds, probe.missedMeasure { probe.unjudgedRecords.insert(index) }
        return holds
    }

    /// Another expression-valued key the kind declared (`until`, …), as a condition.
    public func holds(_ key: String, at index: Int) throws(EvaluationError) -> Bool {
        guard let expression = expressions[key] else { return false }
        return try expression.holds(EvaluationRow(timeline: timeline, index: index, probe: probe))
    }

    /// Any compiled expression (a score signal, say) on a record.
    public func holds(_ expression: CompiledExpression, at index: Int) throws(EvaluationError) -> Bool {
        try expression.holds(EvaluationRow(timeline: timeline, index: index, probe: probe))
    }

    /// A measure's value on a record, by name; counts toward "could not judge" when missing.
    public func measure(_ name: String, at index: Int) -> Double? {
        guard let measureIndex = vocabulary.measureIndex(name) else { return nil }
        let value = timeline.records[index].measures[measureIndex]
        if value == nil { probe?.unjudgedRecords.insert(index) }
        return value
    }

    /// Tells `attune explain` what the kind's state is at a record; free when nobody listens.
    public func trace(_ index: Int, _ message: @autoclosure () -> String) {
        tracer?(index, message())
    }
}
