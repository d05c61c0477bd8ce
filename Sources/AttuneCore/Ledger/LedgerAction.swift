/// An action agreed in supervision whose due date has come, for the report's "actions due" section.
///
/// ```swift
/// for action in review.ledger?.actionsDue ?? [] { print(action.due, action.action) }
/// ```
public struct LedgerAction: Sendable, Hashable {
    public var finding: String
    public var rule: String
    public var title: String
    public var therapist: String
    public var client: String?
    public var episode: String?
    public var action: String
    public var due: Day
    public var agreedOn: Day
    public var by: String

    public init(
        finding: String, rule: String, title: String, therapist: String, client: String?, episode: String?,
        action: String, due: Day, agreedOn: Day, by: String
    ) {
        self.finding = finding
        self.rule = rule
        self.title = title
        self.therapist = therapist
        self.client = client
        self.episode = episode
        self.action = action
        self.due = due
        self.agreedOn = agreedOn
        self.by = by
    }

    /// `C-1010`, `C-1010, episode 2`, or `caseload of T-02`.
    public var subject: String { Self.subject(client: client, episode: episode, therapist: therapist) }

    /// How the ledger names a finding's subject everywhere: `C-1010`, `C-1010, episode 2`, or `caseload of T-02`.
    public static func subject(client: String?, episode: String?, therapist: String) -> String {
        guard let client else { return "caseload of \(therapist)" }
        guard let episode, episode != "1" else { return client }
        return "\(client), episode \(episode)"
    }
}
