/// One decision a supervisor recorded about a finding in the supervision ledger. Decisions are
/// append-only: a later decision supersedes an earlier one, which stays in the audit trail.
///
/// ```swift
/// LedgerDecision(sequence: 7, kind: .discuss, on: today, recordedAt: "2026-11-29T10:02:11Z", by: "A. Supervisor",
///                note: "Talked through the rupture", action: "Repair conversation next session", due: nextWeek)
/// ```
public struct LedgerDecision: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Talked about in supervision, perhaps with an agreed action.
        case discuss
        /// Out of the main list until a date, unless its severity rises.
        case snooze
        /// Judged not relevant, with a reason; listed in the report's appendix.
        case dismiss
        /// Back to open, undoing a snooze or a dismissal.
        case reopen
    }

    /// Its place in the ledger's audit trail, 1 upwards.
    public var sequence: Int
    public var kind: Kind
    /// The day it was made (the supervision meeting), which may be before the day it was recorded.
    public var on: Day
    /// When it was recorded, UTC, ISO 8601 to the second.
    public var recordedAt: String
    public var by: String
    public var note: String?
    public var action: String?
    public var due: Day?
    public var until: Day?
    public var reason: String?
    /// The finding's severity when the decision was recorded: a snooze ends when it rises.
    public var severity: Severity?

    public init(
        sequence: Int, kind: Kind, on: Day, recordedAt: String, by: String, note: String? = nil, action: String? = nil,
        due: Day? = nil, until: Day? = nil, reason: String? = nil, severity: Severity? = nil
    ) {
        self.sequence = sequence
        self.kind = kind
        self.on = on
        self.recordedAt = recordedAt
        self.by = by
        self.note = note
        self.action = action
        self.due = due
        self.until = until
        self.reason = reason
        self.severity = severity
    }

    /// `discussed on 2026-11-24 by A. Supervisor: …`, for every report format.
    public var summary: String {
        var text: String
        switch kind {
        case .discuss: text = "discussed on \(on) by \(by)"
        case .snooze: text = "snoozed on \(on) by \(by)" + (until.map { " until \($0)" } ?? "")
        case .dismiss: text = "dismissed on \(on) by \(by)"
        case .reopen: text = "reopened on \(on) by \(by)"
        }
        if let note { text += ": " + note }
        if let reason { text += (note == nil ? ": " : "; ") + reason }
        if let action { text += "; action: " + action + (due.map { " (due \($0))" } ?? "") }
        return text
    }
}
