import AttuneCore

/// How a finding's decisions give its state in a review: the latest decision counts; a snooze
/// ends on its date or when the finding's severity rises above what it was when snoozed; a
/// dismissal also ends when the severity rises (a finding that has grown more serious deserves a
/// fresh look). A finding that closes and opens again has a new id, so it starts open.
///
/// ```swift
/// LedgerStates.status(decisions: trail, severity: .high, asOf: day).state   // .open, .discussed, …
/// ```
public enum LedgerStates {
    /// `decisions` oldest first.
    public static func status(decisions: [LedgerDecision], severity: Severity, asOf: Day) -> FindingLedgerStatus {
        guard let last = decisions.last else { return .open }
        switch last.kind {
        case .discuss:
            return FindingLedgerStatus(state: .discussed, decision: last)
        case .reopen:
            return FindingLedgerStatus(state: .open, decision: last)
        case .snooze, .dismiss:
            if let then = last.severity, severity > then {
                return FindingLedgerStatus(
                    state: .open, decision: last,
                    resurfaced: "severity rose from \(then.rawValue) to \(severity.rawValue)")
            }
            if last.kind == .snooze, let until = last.until, asOf >= until {
                return FindingLedgerStatus(state: .open, decision: last, resurfaced: "the snooze ended on \(until)")
            }
            return FindingLedgerStatus(state: last.kind == .snooze ? .snoozed : .dismissed, decision: last)
        }
    }

    /// The action of a finding's latest decision, when that decision agreed one due by `asOf`.
    /// A later decision (even another discussion without an action) settles it.
    public static func actionDue(decisions: [LedgerDecision], asOf: Day) -> LedgerDecision? {
        guard let last = decisions.last, last.kind == .discuss, last.action != nil, let due = last.due, due <= asOf
        else { return nil }
        return last
    }
}
