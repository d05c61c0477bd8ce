/// Where a finding stands in the supervision ledger, as a review shows it.
///
/// ```swift
/// if status.state == .snoozed { print("back on", status.decision!.until!) }
/// ```
public struct FindingLedgerStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Nothing decided yet, reopened, or back from a snooze or dismissal.
        case open
        /// Talked about in supervision.
        case discussed
        /// Out of the main list until a date (counted, and listed in the report's ledger section).
        case snoozed
        /// Judged not relevant (listed in the report's appendix with the reason).
        case dismissed
    }

    public var state: State
    /// The latest decision, whatever the state (a finding back from a snooze shows the snooze).
    public var decision: LedgerDecision?
    /// Why a snoozed or dismissed finding is back in the main list, when it is.
    public var resurfaced: String?

    public init(state: State, decision: LedgerDecision? = nil, resurfaced: String? = nil) {
        self.state = state
        self.decision = decision
        self.resurfaced = resurfaced
    }

    public static let open = FindingLedgerStatus(state: .open)

    /// Whether the finding leaves the report's main list.
    public var isSetAside: Bool { state == .snoozed || state == .dismissed }

    /// `snoozed until 2026-12-14 by …`, `open (back: …)`, or nil for a finding with no decision.
    public var summary: String? {
        guard let decision else { return nil }
        if let resurfaced { return "back in the list: \(resurfaced) (\(decision.summary))" }
        return decision.summary
    }
}
