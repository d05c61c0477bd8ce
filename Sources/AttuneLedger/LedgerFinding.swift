import AttuneCore

/// A finding as the ledger knows it, with its whole history: when reviews saw it open, change
/// severity or close, and every decision about it (`attune ledger show ID`).
///
/// ```swift
/// let finding = try ledger.finding("k3x9m7qd2a")
/// for decision in finding.decisions { print(decision.summary) }
/// ```
public struct LedgerFinding: Sendable, Hashable {
    /// What one recorded review saw change: the finding first seen, its severity, or its closing.
    public struct Change: Sendable, Hashable {
        public var review: Int
        /// The as-of date of that review.
        public var asOf: Day
        public var status: String
        public var severity: Severity
        public var closed: Day?
    }

    public var id: String
    public var rule: String
    public var title: String
    public var therapist: String
    public var client: String?
    public var episode: String?
    public var opened: Day
    public var closed: Day?
    /// As the latest review (by as-of date) saw it.
    public var severity: Severity
    public var changes: [Change]
    /// Oldest first.
    public var decisions: [LedgerDecision]

    /// `C-1010`, `C-1010, episode 2`, or `caseload of T-02`.
    public var subject: String { LedgerAction.subject(client: client, episode: episode, therapist: therapist) }
}
