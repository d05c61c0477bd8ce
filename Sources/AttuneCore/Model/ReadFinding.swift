/// A finding as a rule reading findings (`caseload`) sees it: its rule, subject, dates and
/// values, never the message or evidence records, which only a report shows.
///
/// In a review, the findings a reader needs from before the period (never reported) are kept
/// only as this much, and their values only for readers that read values
/// (`FindingsDetector.readsValues`).
///
/// ```swift
/// let read = ReadFinding(finding)
/// read.isOpen(on: Day(iso: "2026-03-02")!)
/// ```
public struct ReadFinding: Sendable, Hashable {
    public var rule: String
    public var subject: Finding.Subject
    public var opened: Day
    public var closed: Day?
    /// The values the rule's kind reported (its message placeholders).
    public var values: [String: Value]

    public init(rule: String, subject: Finding.Subject, opened: Day, closed: Day?, values: [String: Value] = [:]) {
        self.rule = rule
        self.subject = subject
        self.opened = opened
        self.closed = closed
        self.values = values
    }

    /// What a reader sees of a finding.
    public init(_ finding: Finding) {
        self.init(
            rule: finding.rule, subject: finding.subject, opened: finding.opened, closed: finding.closed,
            values: finding.evidence.dictionary)
    }

    /// Whether it was open on `day` (a point finding is open on its one day), as `Finding.isOpen(on:)`.
    public func isOpen(on day: Day) -> Bool {
        Finding.isOpen(opened: opened, closed: closed, on: day)
    }
}
