/// An inline test of a rule, or a scenario test file's case: records in, expected findings out,
/// against a fixed as-of date.
///
/// ```yaml
/// tests:
///   - name: two of four is not enough
///     records: [...]
///     expect: []
/// ```
public struct RuleTest: Sendable {
    public var name: String
    public var location: SourceLocation
    /// nil: the latest record date.
    public var asOf: Day?
    public var records: [SessionRecord]
    public var expect: [ExpectedFinding]
    /// Rule ids that must give no finding at all (scenario files).
    public var expectAbsent: [String]
    /// Constants this inline test fixes (`constants: {srs_cutoff: 36}`): the rule's expressions read
    /// these values whatever a later pack sets, so a test at a boundary holds for a site that moves it.
    public var constants: [String: Value] = [:]

    public init(
        name: String, location: SourceLocation, asOf: Day?, records: [SessionRecord],
        expect: [ExpectedFinding], expectAbsent: [String] = []
    ) {
        self.name = name
        self.location = location
        self.asOf = asOf
        self.records = records
        self.expect = expect
        self.expectAbsent = expectAbsent
    }
}

/// One expected finding. Fields left out are not compared; `closed: null` means still open.
public struct ExpectedFinding: Sendable, Hashable, CustomStringConvertible {
    public enum Closing: Sendable, Hashable {
        case unchecked
        case open
        case on(Day)
    }

    public var rule: String?
    public var client: String?
    public var episode: String?
    public var therapist: String?
    public var opened: Day?
    public var closed: Closing
    public var severity: Severity?
    /// Text the finding's message must contain: what the supervisor reads (a score, the dates listed).
    public var messageContains: String?
    public var location: SourceLocation?

    public init(
        rule: String? = nil, client: String? = nil, episode: String? = nil, therapist: String? = nil,
        opened: Day? = nil, closed: Closing = .unchecked, severity: Severity? = nil, location: SourceLocation? = nil
    ) {
        self.rule = rule
        self.client = client
        self.episode = episode
        self.therapist = therapist
        self.opened = opened
        self.closed = closed
        self.severity = severity
        self.location = location
    }

    public func matches(_ finding: Finding) -> Bool {
        if let rule, rule != finding.rule { return false }
        if let client, client != finding.subject.client { return false }
        if let episode, episode != finding.subject.episode { return false }
        if let therapist, therapist != finding.therapist { return false }
        if let opened, opened != finding.opened { return false }
        if let severity, severity != finding.severity { return false }
        if let messageContains, !finding.message.contains(messageContains) { return false }
        switch closed {
        case .unchecked: return true
        case .open: return finding.closed == nil
        case .on(let day): return finding.closed == day
        }
    }

    public var description: String {
        var fields: [String] = []
        if let rule { fields.append("rule: \(rule)") }
        if let client { fields.append("client: \(client)") }
        if let episode { fields.append("episode: \(episode)") }
        if let therapist { fields.append("therapist: \(therapist)") }
        if let opened { fields.append("opened: \(opened)") }
        switch closed {
        case .unchecked: break
        case .open: fields.append("closed: null")
        case .on(let day): fields.append("closed: \(day)")
        }
        if let severity { fields.append("severity: \(severity.rawValue)") }
        if let messageContains { fields.append("message_contains: \"\(messageContains)\"") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

extension Finding {
    /// The finding as a test expectation would spell it, for diffs.
    public var testDescription: String {
        var fields = ["rule: \(rule)"]
        switch subject {
        case .episode(let client, let episode):
            fields.append("client: \(client)")
            if episode != "1" { fields.append("episode: \(episode)") }
        case .therapist(let therapist):
            fields.append("therapist: \(therapist)")
        }
        fields.append("opened: \(opened)")
        fields.append("closed: \(closed.map(\.description) ?? "null")")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
