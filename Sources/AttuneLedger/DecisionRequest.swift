import AttuneCore

/// A decision to record: what the supervisor decided about one finding, before the ledger gives it
/// a sequence number, a timestamp and the finding's current severity.
///
/// ```swift
/// try ledger.decide(DecisionRequest(finding: "k3x9m7qd2a", kind: .discuss, on: today, by: "A. Supervisor",
///                                   note: "Talked it through", action: "Ask about the break", due: nextWeek))
/// ```
public struct DecisionRequest: Sendable, Hashable {
    public var finding: String
    public var kind: LedgerDecision.Kind
    public var on: Day
    public var by: String
    public var note: String?
    public var action: String?
    public var due: Day?
    public var until: Day?
    public var reason: String?

    public init(
        finding: String, kind: LedgerDecision.Kind, on: Day, by: String, note: String? = nil, action: String? = nil,
        due: Day? = nil, until: Day? = nil, reason: String? = nil
    ) {
        self.finding = finding
        self.kind = kind
        self.on = on
        self.by = by
        self.note = note
        self.action = action
        self.due = due
        self.until = until
        self.reason = reason
    }

    /// What each kind needs, as an error message, or nil when the request is complete.
    public var problem: String? {
        func blank(_ text: String?) -> Bool { text.map { $0.allSatisfy(\.isWhitespace) } ?? true }
        if by.allSatisfy(\.isWhitespace) { return "a decision needs who made it (--by)" }
        switch kind {
        case .discuss:
            if blank(note) { return "'discuss' needs --note: what was said or agreed" }
            if due != nil, blank(action) { return "--due needs --action: the action that is due" }
        case .snooze:
            guard let until else { return "'snooze' needs --until DATE" }
            if until <= on { return "--until \(until) is not after \(on), the day of the decision" }
            if blank(reason) { return "'snooze' needs --reason" }
        case .dismiss:
            if blank(reason) { return "'dismiss' needs --reason: why it is not relevant" }
        case .reopen:
            break
        }
        return nil
    }
}
