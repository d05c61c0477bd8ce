import AttuneCore

/// The supervision ledger's words, shared by every format like `ReportText`: a finding's id and
/// state, the ledger's summary line, and the lines of its sections.
///
/// ```swift
/// LedgerText.findingLine(item, review)   // "id k3x9m7qd2a · discussed on 2026-11-24 by A. Supervisor: …"
/// ```
enum LedgerText {
    /// `id k3x9m7qd2a`, then the ledger state when the review has a ledger.
    static func findingLine(_ item: ReportedFinding, _ review: Review) -> String {
        var line = "id " + item.finding.id
        if let state = state(item, review) { line += " · " + state }
        return line
    }

    /// `open`, `discussed on … by …: note`, `back in the list: …`, or nil without a ledger.
    static func state(_ item: ReportedFinding, _ review: Review) -> String? {
        guard let ledger = review.ledger else { return nil }
        let status = ledger.status(of: item.finding)
        return status.summary ?? "open, no decision yet"
    }

    /// `Ledger review #12 · 5 open · 2 discussed · 1 snoozed · 1 dismissed · 1 action due`.
    static func summary(_ review: Review) -> String? {
        guard let ledger = review.ledger else { return nil }
        let counts = ledger.counts(in: review)
        var parts = ["Ledger review #\(ledger.reviewNumber)"]
        for state in FindingLedgerStatus.State.allCases { parts.append("\(counts[state] ?? 0) \(state.rawValue)") }
        parts.append(ReportText.plural(ledger.actionsDue.count, "action") + " due")
        return parts.joined(separator: " · ")
    }

    /// `2026-12-01 · T-02 · C-1010 · Unresolved rupture (k3x9m7qd2a): Ask about … — agreed 2026-11-24 by …`.
    static func action(_ action: LedgerAction) -> String {
        "due \(action.due) · \(action.therapist) · \(action.subject) · \(action.title) (\(action.finding)): \(action.action)"
            + " — agreed \(action.agreedOn) by \(action.by)"
    }

    /// `C-1010`, `C-1010, episode 2`, or `caseload of T-02`.
    static func subject(_ finding: Finding) -> String {
        LedgerAction.subject(
            client: finding.subject.client, episode: finding.subject.episode, therapist: finding.therapist)
    }

    /// `T-02 · C-1010 · HIGH Unresolved rupture (k3x9m7qd2a) · snoozed … until …: reason`.
    static func setAside(_ item: ReportedFinding, _ review: Review) -> String {
        let finding = item.finding
        return
            "\(finding.therapist) · \(subject(finding)) · \(finding.severity.rawValue.uppercased()) \(item.title) (\(finding.id)) · "
            + (review.ledger?.status(of: finding).summary ?? "")
    }
}
