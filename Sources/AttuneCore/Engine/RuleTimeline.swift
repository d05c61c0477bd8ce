/// What a timeline kind sees of one (client, episode) for one rule: the records that pass the
/// rule's `where`, its expressions ready to evaluate, and the review's as-of date.
///
/// ```swift
/// for index in timeline.indices where try timeline.matches(index) {
///     timeline.trace(index, "run of \(run)")
/// }
/// ```
public struct RuleTimeline {
    /// What stays the same for one rule across timelines: made once per rule and run, and
    /// shared by reference, so that a rule timeline costs a few reference counts to make.
    @usableFromInline final class Context: Sendable {
        let vocabulary: Vocabulary
        let match: CompiledExpression?
        let expressions: [String: CompiledExpression]
        /// The same, for `holds(_:at:)`: a kind asks for one of a handful of keys on every record,
        /// and comparing a few short strings costs less than hashing one.
        let keyed: [(key: String, expression: CompiledExpression)]
        @usableFromInline let tracer: (@Sendable (Int, String) -> Void)?
        @usableFromInline let coverage: RuleCoverage?

        init(rule: Rule, vocabulary: Vocabulary, tracer: (@Sendable (Int, String) -> Void)?) {
            self.vocabulary = vocabulary
            match = rule.expressions["match"]
            expressions = rule.expressions
            keyed = rule.expressions.map { ($0.key, $0.value) }
            self.tracer = tracer
            coverage = rule.coverage
        }
    }

    public let timeline: Timeline
    /// Indices (into `timeline.records`) of the records that pass `where`, in order.
    public private(set) var indices: [Int]
    public let asOf: Day
    /// Findings closed before this day are neither reported nor read by another rule: the engine
    /// drops them, so a kind may skip making them (a point finding per matching record, say).
    /// Nil when every finding is kept (`attune explain`, `attune test`, a rule others read).
    public private(set) var dropsFindingsClosedBefore: Day?
    @usableFromInline private(set) var context: Context
    let probe: EvaluationProbe?
    /// The rule's `match`, taken out of the context once: read there on every record, it was
    /// retained and released each time.
    private var match: CompiledExpression?

    public var vocabulary: Vocabulary { context.vocabulary }

    init(
        timeline: Timeline, indices: [Int], asOf: Day, context: Context, probe: EvaluationProbe?,
        dropsFindingsClosedBefore: Day? = nil
    ) {
        self.timeline = timeline
        self.indices = indices
        self.asOf = asOf
        self.dropsFindingsClosedBefore = dropsFindingsClosedBefore
        self.context = context
        self.probe = probe
        match = context.match
    }

    /// The same timeline seen by another rule. The engine runs each timeline's rules through one
    /// view, changed from rule to rule: a view made for each rule counted references to the
    /// timeline and the probe, which stay the same, twice a rule.
    mutating func show(_ indices: [Int], to context: Context, dropsFindingsClosedBefore: Day?) {
        self.indices = indices
        self.context = context
        self.dropsFindingsClosedBefore = dropsFindingsClosedBefore
        match = context.match
    }

    /// Inlinable so that `timeline[index].date` in a kind reads one field in place instead of
    /// copying the whole record (and retaining every reference in it).
    @inlinable
    public subscript(index: Int) -> SessionRecord { timeline.records[index] }

    /// Whether a finding closed on `day` would be dropped (`dropsFindingsClosedBefore`).
    @inlinable
    public func drops(closedOn day: Day) -> Bool {
        dropsFindingsClosedBefore.map { day < $0 } ?? false
    }

    /// The rule's `match` on a record (true when the kind has no `match`).
    public func matches(_ index: Int) throws(EvaluationError) -> Bool {
        // Unwrapped in place: `guard let` would copy the expression (a reference count) per record.
        guard match != nil else { return true }
        return try holds(match!, at: index)
    }

    /// Another expression-valued key the kind declared (`until`, …), as a condition.
    public func holds(_ key: String, at index: Int) throws(EvaluationError) -> Bool {
        guard let expression = expression(key) else { return false }
        return try holds(expression, at: index)
    }

    /// Another expression-valued key the kind declared, nil when the rule does not set it: looked
    /// up once before a loop over the records, then given to `holds(_:at:)` on each, rather than
    /// found by name on every record.
    ///
    /// ```swift
    /// let until = timeline.expression("until")
    /// for index in timeline.indices {
    ///     if try timeline.holds(until, at: index) { … }   // false when the rule leaves it out
    /// }
    /// ```
    public func expression(_ key: String) -> CompiledExpression? {
        context.keyed.first(where: { $0.key == key })?.expression
    }

    /// The same, for an expression the rule may leave out (`expression(_:)`): false when it does.
    /// Takes the optional as it is: a caller that unwraps it first (`if let`, `!`) copies the
    /// expression, a reference count, on every record.
    public func holds(_ expression: CompiledExpression?, at index: Int) throws(EvaluationError) -> Bool {
        guard expression != nil else { return false }
        return try holds(expression!, at: index)
    }

    /// Any compiled expression (a score signal, say) on a record. Like `match`, a condition that
    /// fails only because something it reads was not recorded counts the record as not judged.
    public func holds(_ expression: CompiledExpression, at index: Int) throws(EvaluationError) -> Bool {
        // Read in place: `guard let probe` would copy it (a reference count) on every record.
        guard probe != nil else {
            return try expression.holds(on: timeline, at: index, probe: nil)
        }
        probe!.missedMeasure = false
        probe!.lastRecord = index
        let holds = try expression.holds(on: timeline, at: index, probe: probe)
        if !holds, probe!.missedMeasure { probe!.unjudgedRecords.insert(index) }
        return holds
    }

    /// A measure's value on a record, by name; counts toward "could not judge" when missing.
    public func measure(_ name: String, at index: Int) -> Double? {
        guard let measureIndex = context.vocabulary.measureIndex(name) else { return nil }
        return measure(index: measureIndex, at: index)
    }

    /// A measure's value on a record, by its vocabulary index (`Vocabulary.measureIndex`, looked
    /// up once when the kind is configured); counts toward "could not judge" when missing from
    /// an episode that records the measure elsewhere (an episode that never does is not followed).
    public func measure(index measureIndex: Int, at index: Int) -> Double? {
        let value = timeline.records[index].measures[measureIndex]
        if value == nil, let probe, timeline.recordsMeasure(measureIndex) { probe.unjudgedRecords.insert(index) }
        return value
    }

    /// Tells `attune test --coverage` that the kind took one of its branches; free when nobody listens.
    /// Inlinable, like `trace`: kinds call both on most records, and a call each cost more than the check.
    @inlinable
    public func reached(_ branch: String) {
        context.coverage?.reach(branch)
    }

    /// Tells `attune explain` what the kind's state is at a record; free when nobody listens.
    @inlinable
    public func trace(_ index: Int, _ message: @autoclosure () -> String) {
        context.tracer?(index, message())
    }
}
