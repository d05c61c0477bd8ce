/// What the supervisor asked for: the period, whom, how severe, and whether notes may appear.
///
/// ```swift
/// var request = ReviewRequest()
/// request.setWeek(Day(isoWeek: "2026-W48")!)   // Monday to Sunday, as of the Sunday
/// request.minimumSeverity = .medium
/// ```
public struct ReviewRequest: Sendable {
    /// nil: the latest record date in the input.
    public var asOf: Day?
    /// nil: the seven days ending at as-of.
    public var since: Day?
    /// Therapists to include; empty means all.
    public var therapists: [String]
    public var minimumSeverity: Severity
    public var includeNotes: Bool
    public var jobs: Int

    public init(
        asOf: Day? = nil, since: Day? = nil, therapists: [String] = [], minimumSeverity: Severity = .info,
        includeNotes: Bool = false, jobs: Int = 1
    ) {
        self.asOf = asOf
        self.since = since
        self.therapists = therapists
        self.minimumSeverity = minimumSeverity
        self.includeNotes = includeNotes
        self.jobs = jobs
    }

    /// An ISO week: from its Monday, as of its Sunday.
    public mutating func setWeek(_ monday: Day) {
        since = monday
        asOf = monday.adding(days: 6)
    }
}
