/// What a rule found: one shape for every kind (rules.md).
///
/// `opened` is the day the condition first held; `closed` the day it stopped holding, or nil
/// while it still holds at the review's as-of date. A point finding has `opened == closed`.
///
/// ```swift
/// if finding.closed == nil { print("\(finding.rule) still open since \(finding.opened)") }
/// ```
public struct Finding: Sendable, Hashable {
    public enum Subject: Sendable, Hashable, Comparable {
        case episode(client: String, episode: String)
        case therapist(String)

        public var client: String? {
            if case .episode(let client, _) = self { return client }
            return nil
        }

        public var episode: String? {
            if case .episode(_, let episode) = self { return episode }
            return nil
        }
    }

    /// A record that is evidence for the finding.
    public struct EvidenceRecord: Sendable, Hashable {
        public var date: Day
        public var session: Int?
        public var client: String
        public var episode: String
        public var source: SourceLocation
        /// The record's free-text note, present only when the user asked (`--include-notes`).
        public var note: String?

        public init(
            date: Day, session: Int?, client: String, episode: String, source: SourceLocation, note: String? = nil
        ) {
            self.date = date
            self.session = session
            self.client = client
            self.episode = episode
            self.source = source
            self.note = note
        }

        /// `2026-11-24 (#6)` or `2026-11-24`.
        public var label: String {
            session.map { "\(date) (#\($0))" } ?? date.description
        }
    }

    public var rule: String
    public var severity: Severity
    public var subject: Subject
    public var therapist: String
    public var opened: Day
    public var closed: Day?
    public var records: [EvidenceRecord]
    public var message: String
    /// The values the kind reported (the same ones its message placeholders use), in name order.
    public var evidence: FindingValues
    /// The expected range of the client's scores, when the kind knows one (`trajectory`): charts draw it.
    public var expectedBand: ExpectedBand?

    public init(
        rule: String, severity: Severity, subject: Subject, therapist: String, opened: Day, closed: Day?,
        records: [EvidenceRecord], message: String, evidence: FindingValues, expectedBand: ExpectedBand? = nil
    ) {
        self.expectedBand = expectedBand
        self.rule = rule
        self.severity = severity
        self.subject = subject
        self.therapist = therapist
        self.opened = opened
        self.closed = closed
        self.records = records
        self.message = message
        self.evidence = evidence
    }

    /// Whether the finding was open at any time in `start...end`.
    public func isOpen(during start: Day, _ end: Day) -> Bool {
        opened <= end && (closed.map { $0 >= start } ?? true)
    }

    /// Whether it was open on `day` (a point finding is open on its one day).
    public func isOpen(on day: Day) -> Bool {
        Self.isOpen(opened: opened, closed: closed, on: day)
    }

    /// Whether a finding from `opened` to `closed` was open on `day`.
    static func isOpen(opened: Day, closed: Day?, on day: Day) -> Bool {
        guard opened <= day else { return false }
        guard let closed else { return true }
        return closed == opened ? day == opened : day < closed
    }
}
