/// A finding of a rule that other rules read, which a review will not report (it closed before
/// the period): only what its readers need, 32 bytes, instead of a `Finding` with a message,
/// evidence records and values. The engine keeps these per rule and lets each rule's go once
/// its last reader has run.
struct HistoryFinding: Sendable {
    /// The rule's position among the run's timeline rules.
    var plan: Int32
    /// The timeline's position in the run.
    var timeline: Int32
    /// The last evidence record (its therapist is the finding's), or -1 for the timeline's therapist.
    var therapistRecord: Int32
    var opened: Day
    var closed: Day?
    /// The kind's values, kept only when a reader reads values.
    var values: [String: Value]?
}
