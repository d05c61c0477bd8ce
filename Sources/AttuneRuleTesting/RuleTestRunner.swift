import AttuneCore

/// Runs rules' inline tests and scenario files, and says, for each, what was expected and what
/// the rules actually found.
///
/// ```swift
/// let outcomes = RuleTestRunner(ruleSet: ruleSet).runAll()
/// for outcome in outcomes where !outcome.passed { print(outcome.report) }
/// ```
public struct RuleTestRunner: Sendable {
    /// The result of one test case.
    public struct Outcome: Sendable {
        public var suite: String
        public var name: String
        public var location: SourceLocation
        public var missing: [ExpectedFinding]
        public var unexpected: [Finding]
        public var actual: [Finding]
        public var expected: [ExpectedFinding]
        public var failures: [Engine.Failure]

        public var passed: Bool { missing.isEmpty && unexpected.isEmpty && failures.isEmpty }

        /// A readable diff of expected against actual findings.
        public var report: String {
            var lines = ["\(location): \(suite) › \(name)"]
            lines.append("  expected:" + (expected.isEmpty ? " nothing" : ""))
            lines += expected.map { "    - \($0)" }
            lines.append("  actual:" + (actual.isEmpty ? " nothing" : ""))
            // Messages only when an expectation looks at them: they are long.
            let showsMessages = expected.contains { $0.messageContains != nil }
            func described(_ finding: Finding) -> String {
                finding.testDescription + (showsMessages ? " message: \"\(finding.message)\"" : "")
            }
            lines += actual.map { "    - \(described($0))" }
            lines += missing.map { "  - missing:    \($0)" }
            lines += unexpected.map { "  + unexpected: \(described($0))" }
            lines += failures.map { "  ! \($0)" }
            return lines.joined(separator: "\n")
        }
    }

    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    /// Every inline test of every enabled rule, then every scenario; `filter` keeps the tests
    /// whose "rule › name" or file contains it.
    public func runAll(filter: String? = nil) -> [Outcome] {
        var outcomes: [Outcome] = []
        for rule in ruleSet.activeRules {
            for test in rule.tests where Self.keep(filter, rule.id, test) {
                outcomes.append(runInline(test, of: rule))
            }
        }
        for scenario in ruleSet.scenarios {
            for test in scenario.tests where Self.keep(filter, scenario.path, test) {
                outcomes.append(runScenario(test, in: scenario))
            }
        }
        // Plugin kinds' and a site's Swift kinds' declared examples are their tests, as built-in
        // kinds' are in the suite.
        let examples = KindExampleRunner(registry: ruleSet.registry, vocabulary: ruleSet.vocabulary)
        for kind in ruleSet.registry.kinds where kind.examplesRunWithPackTests {
            for example in kind.declaration.examples
            where Self.keep(filter, kind.declaration.name, example.name, file: kind.plugin ?? "") {
                var outcome = examples.run(example, of: kind.declaration)
                outcome.suite = "kind \(kind.declaration.name) (\(kind.plugin.map { "plugin \($0)" } ?? kind.origin))"
                outcomes.append(outcome)
            }
        }
        return outcomes
    }

    static func keep(_ filter: String?, _ suite: String, _ test: RuleTest) -> Bool {
        keep(filter, suite, test.name, file: test.location.file)
    }

    static func keep(_ filter: String?, _ suite: String, _ name: String, file: String) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return "\(suite) › \(name)".localizedLowercase.contains(filter.localizedLowercase) || file.contains(filter)
    }

    /// An inline test: only the rule's own findings count; rules it reads run too.
    public func runInline(_ test: RuleTest, of rule: Rule) -> Outcome {
        var needed = [rule]
        var queue = rule.inputRules
        while let id = queue.popLast() {
            guard !needed.contains(where: { $0.id == id }), let input = ruleSet.rule(id) else { continue }
            needed.append(input)
            queue += input.inputRules
        }
        var vocabulary = ruleSet.vocabulary
        if !test.constants.isEmpty {
            // The test's own values for the constants it fixes: the rules are compiled again with them.
            for (name, value) in test.constants { vocabulary.constants[name]?.value = value }
            let rebuilder = RuleRebuilder(vocabulary: vocabulary)
            let rebuilt = needed.compactMap { rebuilder.rebuild($0, coverage: $0.coverage) }
            guard rebuilt.count == needed.count else {
                return Outcome(
                    suite: rule.id, name: test.name, location: test.location, missing: test.expect, unexpected: [],
                    actual: [],
                    expected: test.expect,
                    failures: [
                        Engine.Failure(
                            rule: rule.id, client: "", episode: "", location: test.location,
                            message: "the rule does not compile with the test's constants")
                    ])
            }
            needed = rebuilt
        }
        let output = evaluate(test, rules: needed, vocabulary: vocabulary)
        let actual = output.findings.filter { $0.rule == rule.id }
        var outcome = Self.compare(test.expect, actual, suite: rule.id, test: test)
        outcome.failures = output.failures
        return outcome
    }

    /// A scenario: every rule runs; each rule an expectation names must find exactly what is
    /// expected of it, and `expect_absent` rules must find nothing.
    public func runScenario(_ test: RuleTest, in scenario: ScenarioFile) -> Outcome {
        let output = evaluate(test, rules: ruleSet.activeRules)
        // Read once: each read of `findings` joins the engine's runs into a new list.
        let found = output.findings
        let named = Set(test.expect.compactMap(\.rule))
        var outcome = Self.compare(
            test.expect, found.filter { named.contains($0.rule) }, suite: scenario.path, test: test)
        let absent = found.filter { test.expectAbsent.contains($0.rule) }
        outcome.unexpected += absent
        outcome.actual += absent
        outcome.failures = output.failures
        return outcome
    }

    private func evaluate(_ test: RuleTest, rules: [Rule], vocabulary: Vocabulary? = nil) -> Engine.Output {
        let asOf = test.asOf ?? test.records.map(\.date).max() ?? Day(number: 0)
        let engine = Engine(rules: rules, vocabulary: vocabulary ?? ruleSet.vocabulary)
        return engine.run(
            timelines: Engine.timelines(from: test.records, asOf: asOf),
            options: Engine.Options(asOf: asOf, countsUnjudged: false))
    }

    /// Pairs each expectation with the first unpaired finding it matches.
    static func compare(_ expected: [ExpectedFinding], _ actual: [Finding], suite: String, test: RuleTest) -> Outcome {
        var unpaired = actual
        var missing: [ExpectedFinding] = []
        for expectation in expected {
            if let index = unpaired.firstIndex(where: { expectation.matches($0) }) {
                unpaired.remove(at: index)
            } else {
                missing.append(expectation)
            }
        }
        return Outcome(
            suite: suite, name: test.name, location: test.location, missing: missing, unexpected: unpaired,
            actual: actual, expected: expected, failures: [])
    }
}
