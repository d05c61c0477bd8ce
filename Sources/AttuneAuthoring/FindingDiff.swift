import AttuneCore

/// What a rule change does to the findings on the same records: the findings the head packs add,
/// the ones they remove, and the ones that stay but change (severity, opened, closed, message).
///
/// ```swift
/// let diff = FindingDiff(base: baseOutput.findings, head: headOutput.findings)
/// if diff.isEmpty { print("no finding changed") }
/// ```
public struct FindingDiff: Sendable {
    /// A finding of both runs whose visible parts differ.
    public struct Change: Sendable {
        public var base: Finding
        public var head: Finding
        /// Which parts differ: `severity`, `opened`, `closed`, `message`.
        public var fields: [String]
    }

    /// Counts for one rule or one therapist.
    public struct Tally: Sendable, Hashable {
        public var name: String
        public var added = 0
        public var removed = 0
        public var changed = 0
        public var total: Int { added + removed + changed }
    }

    public var added: [Finding]
    public var removed: [Finding]
    public var changed: [Change]
    /// Findings equal in both runs.
    public var unchanged: Int

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// Pairs findings of the same rule and subject: equal ones first, then the rest in date order
    /// (a moved threshold shifts a finding's dates but it is still the same concern); what is left
    /// unpaired was added or removed.
    public init(base: [Finding], head: [Finding]) {
        struct Key: Hashable {
            var rule: String
            var subject: Finding.Subject
            var therapist: String
        }
        func group(_ findings: [Finding]) -> [Key: [Finding]] {
            Dictionary(grouping: findings) { Key(rule: $0.rule, subject: $0.subject, therapist: $0.therapist) }
        }
        let baseGroups = group(base)
        let headGroups = group(head)
        added = []
        removed = []
        changed = []
        unchanged = 0
        let keys = Set(baseGroups.keys).union(headGroups.keys).sorted {
            ($0.subject, $0.rule, $0.therapist) < ($1.subject, $1.rule, $1.therapist)
        }
        for key in keys {
            var before = baseGroups[key] ?? []
            var after = headGroups[key] ?? []
            before.removeAll { finding in
                guard let index = after.firstIndex(where: { Self.changedFields(finding, $0).isEmpty }) else {
                    return false
                }
                after.remove(at: index)
                unchanged += 1
                return true
            }
            before.sort(by: Engine.findingOrder)
            after.sort(by: Engine.findingOrder)
            // Each remaining base finding pairs with the head finding whose open span overlaps it, if any.
            for finding in before {
                if let index = after.firstIndex(where: { Self.overlap(finding, $0) }) {
                    changed.append(
                        Change(base: finding, head: after[index], fields: Self.changedFields(finding, after[index])))
                    after.remove(at: index)
                } else {
                    removed.append(finding)
                }
            }
            added += after
        }
        added.sort(by: Engine.findingOrder)
        removed.sort(by: Engine.findingOrder)
        changed.sort { Engine.findingOrder($0.head, $1.head) }
    }

    static func changedFields(_ a: Finding, _ b: Finding) -> [String] {
        var fields: [String] = []
        if a.severity != b.severity { fields.append("severity") }
        if a.opened != b.opened { fields.append("opened") }
        if a.closed != b.closed { fields.append("closed") }
        if a.message != b.message { fields.append("message") }
        return fields
    }

    /// Whether two findings were open on a common day (open findings run to the end of time).
    static func overlap(_ a: Finding, _ b: Finding) -> Bool {
        let aEnd = a.closed ?? Day(number: Int32.max)
        let bEnd = b.closed ?? Day(number: Int32.max)
        return a.opened <= bEnd && b.opened <= aEnd
    }

    /// Counts per rule, most changes first.
    public var byRule: [Tally] { tallies { $0.rule } }

    /// Counts per therapist, most changes first.
    public var byTherapist: [Tally] { tallies { $0.therapist } }

    private func tallies(_ name: (Finding) -> String) -> [Tally] {
        var tallies: [String: Tally] = [:]
        for finding in added { tallies[name(finding), default: Tally(name: name(finding))].added += 1 }
        for finding in removed { tallies[name(finding), default: Tally(name: name(finding))].removed += 1 }
        for change in changed { tallies[name(change.head), default: Tally(name: name(change.head))].changed += 1 }
        return tallies.values.sorted { ($0.total, $1.name) > ($1.total, $0.name) }
    }
}
