/// The record an expression is evaluated on: a position in a timeline.
///
/// ```swift
/// let value = try compiled.evaluate(EvaluationRow(timeline: timeline, index: 3))
/// ```
public struct EvaluationRow {
    public let timeline: Timeline
    public let index: Int
    /// Set only when someone wants to know what was read (explain, data-quality counts).
    public let probe: EvaluationProbe?

    public init(timeline: Timeline, index: Int, probe: EvaluationProbe? = nil) {
        self.timeline = timeline
        self.index = index
        self.probe = probe
    }

    public var record: SessionRecord { timeline.records[index] }
}

/// Watches an evaluation: which paths it read, with what values, and whether something it needs
/// (a measure, a rupture's intensity, bookings) was not recorded.
///
/// Used by `attune explain` and by the report's data-quality counts; never shared across threads.
///
/// Its fields are written for every record a rule looks at, each by a plain read or write that
/// never overlaps another access: they skip the runtime's exclusivity checks, which cost more
/// than the writes themselves.
public final class EvaluationProbe {
    @exclusivity(unchecked) public private(set) var reads: [(path: String, value: Value)] = []
    @exclusivity(unchecked) public internal(set) var missedMeasure = false
    /// Records on which the rule could not decide because a measure it read was missing.
    @exclusivity(unchecked) public internal(set) var unjudgedRecords = Set<Int>()
    /// The record being evaluated, to locate an evaluation error.
    @exclusivity(unchecked) public internal(set) var lastRecord: Int?
    /// Whether `reads` is kept; typed condition tests step aside for such a probe.
    let recordsReads: Bool

    public init(recordingReads: Bool = false) {
        recordsReads = recordingReads
    }

    func read(_ path: String, _ value: Value, isMeasure: Bool) {
        if isMeasure, value.isNull { missedMeasure = true }
        if recordsReads, !reads.contains(where: { $0.path == path }) { reads.append((path, value)) }
    }

    public func reset() {
        // Only a probe that records reads holds any: asked first, as looking at the list (for
        // every rule and timeline) counted a reference to it.
        if recordsReads, !reads.isEmpty { reads.removeAll(keepingCapacity: true) }
        missedMeasure = false
    }

    /// Ready for the next rule: the engine keeps one probe per worker rather than making one
    /// per rule and timeline.
    func restart() {
        reset()
        if !unjudgedRecords.isEmpty { unjudgedRecords.removeAll(keepingCapacity: true) }
        lastRecord = nil
    }
}

/// An expression that linted but could not be evaluated on a record (say, division by zero).
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
