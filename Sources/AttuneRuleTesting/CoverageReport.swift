import AttuneCore

/// Which parts of each rule the tests exercised (`attune test --coverage`): `where`, `match` and
/// the kind's other conditions taken both ways, each comparison inside them both ways, each
/// `score` signal, and each branch of the kind (a `sequence`'s steps, the branches where a
/// parameter such as a streak's `length` decides).
///
/// ```swift
/// let report = CoverageReport.measure(ruleSet)
/// print(report.percent, report.rules.map(\.rule))
/// ```
public struct CoverageReport: Sendable {
    /// One thing a test can exercise, with each of its outcomes and how often tests gave it.
    public struct Item: Sendable {
        public enum Kind: String, Sendable { case condition, branch }
        public var kind: Kind
        /// `where`, `match`, `signal 'label'`, or for a branch the kind's name.
        public var key: String
        /// The condition as written, or the branch's name.
        public var text: String
        /// What it means, for branches.
        public var doc: String
        /// The parameter the branch belongs to, if any.
        public var parameter: String?
        /// `true`/`false` for conditions, `taken` for branches, with hit counts.
        public var outcomes: [(name: String, hits: Int)]
        public var location: SourceLocation

        public var covered: Int { outcomes.filter { $0.hits > 0 }.count }
        public var missing: [String] { outcomes.filter { $0.hits == 0 }.map(\.name) }
    }

    public struct RuleEntry: Sendable {
        public var rule: String
        public var location: SourceLocation
        public var items: [Item]
        public var covered: Int { items.reduce(0) { $0 + $1.covered } }
        public var total: Int { items.reduce(0) { $0 + $1.outcomes.count } }
        public var percent: Double { CoverageReport.percent(covered, total) }

        /// Parameters that change behaviour, with whether every branch they decide was taken.
        public var parameters: [(name: String, covered: Bool)] {
            var names: [String] = []
            for item in items { if let name = item.parameter, !names.contains(name) { names.append(name) } }
            return names.map { name in (name, items.filter { $0.parameter == name }.allSatisfy { $0.missing.isEmpty }) }
        }
    }

    public var rules: [RuleEntry]
    /// The test outcomes of the instrumented run (the same as an uninstrumented one).
    public var outcomes: [RuleTestRunner.Outcome]

    public var covered: Int { rules.reduce(0) { $0 + $1.covered } }
    public var total: Int { rules.reduce(0) { $0 + $1.total } }
    public var percent: Double { Self.percent(covered, total) }

    static func percent(_ covered: Int, _ total: Int) -> Double {
        total == 0 ? 100 : Double(covered) * 100 / Double(total)
    }

    /// Runs the packs' tests (those `filter` keeps) on instrumented copies of every active rule.
    public static func measure(_ ruleSet: RuleSet, filter: String? = nil) -> CoverageReport {
        let rebuilder = RuleRebuilder(vocabulary: ruleSet.vocabulary)
        var instrumented = ruleSet
        var recorders: [String: RuleCoverage] = [:]
        for (position, rule) in ruleSet.rules.enumerated() where rule.enabled {
            let recorder = RuleCoverage()
            // A rule that loaded always rebuilds: its own text compiled once already.
            guard let copy = rebuilder.rebuild(rule, coverage: recorder) else { continue }
            instrumented.rules[position] = copy
            recorders[rule.id] = recorder
        }
        let outcomes = RuleTestRunner(ruleSet: instrumented).runAll(filter: filter)
        let entries = ruleSet.activeRules.compactMap { rule -> RuleEntry? in
            guard let recorder = recorders[rule.id] else { return nil }
            return RuleEntry(rule: rule.id, location: rule.location, items: items(of: rule, recorder))
        }
        return CoverageReport(rules: entries, outcomes: outcomes)
    }

    static func items(of rule: Rule, _ recorder: RuleCoverage) -> [Item] {
        var items: [Item] = []
        let conditions = recorder.conditions
        for (site, _) in RuleRebuilder.expressions(of: rule) {
            let key = RuleRebuilder.coverageKey(site, of: rule)
            let location: SourceLocation
            switch site {
            case .key(let name): location = rule.keyLocations[name] ?? rule.location
            case .signal(let position):
                location =
                    rule.keyLocations["params.signals.\(position)"] ?? rule.keyLocations["params"] ?? rule.location
            }
            let ofKey = conditions.filter { $0.key == key }
            let whole = ofKey.filter(\.isWhole)
            // A part that is the whole expression (`match: measures.srs < 36`) is listed once.
            let parts = ofKey.filter { part in !part.isWhole && !whole.contains { $0.text == part.text } }
            for condition in whole + parts {
                items.append(
                    Item(
                        kind: .condition, key: key, text: condition.text, doc: "", parameter: nil,
                        outcomes: [("true", condition.timesTrue), ("false", condition.timesFalse)], location: location))
            }
        }
        let taken = recorder.branchesTaken
        for branch in rule.kind.branches {
            let location =
                branch.parameter.flatMap { rule.keyLocations["params.\($0)"] } ?? rule.keyLocations["kind"]
                ?? rule.location
            items.append(
                Item(
                    kind: .branch, key: rule.kindName, text: branch.name, doc: branch.doc, parameter: branch.parameter,
                    outcomes: [("taken", taken[branch.name] ?? 0)], location: location))
        }
        return items
    }
}
