import AttuneCore
import Foundation

/// Mutation testing of a rule set (`attune test --mutate`): every mutant of every active rule,
/// run against the tests that can see it; a mutant no test fails on survives.
///
/// ```swift
/// let report = MutationReport.run(ruleSet)
/// for mutant in report.survivors { print(mutant.summary, mutant.reason) }
/// ```
public struct MutationReport: Sendable {
    public var mutants: Int
    public var killed: Int
    /// Mutants that did not compile or that the kind refused (`at_least` above `of_last`): not run.
    public var invalid: Int
    public var survivors: [Mutant]
    public var seconds: Double

    /// The tests that can notice a change to `rule`: its own inline tests first, then those of
    /// rules that read its findings, then the scenarios.
    static func tests(for rule: Rule, in ruleSet: RuleSet, filter: String?) -> [(
        test: RuleTest, owner: Rule?, scenario: ScenarioFile?
    )] {
        var list: [(RuleTest, Rule?, ScenarioFile?)] = rule.tests.filter { RuleTestRunner.keep(filter, rule.id, $0) }
            .map { ($0, rule, nil) }
        var readers: [String] = []
        var queue = [rule.id]
        while let id = queue.popLast() {
            for other in ruleSet.activeRules where other.inputRules.contains(id) && !readers.contains(other.id) {
                readers.append(other.id)
                queue.append(other.id)
            }
        }
        for reader in ruleSet.activeRules where readers.contains(reader.id) {
            list += reader.tests.filter { RuleTestRunner.keep(filter, reader.id, $0) }.map { ($0, reader, nil) }
        }
        for scenario in ruleSet.scenarios {
            list += scenario.tests.filter { RuleTestRunner.keep(filter, scenario.path, $0) }.map { ($0, nil, scenario) }
        }
        return list
    }

    public static func run(_ ruleSet: RuleSet, filter: String? = nil) -> MutationReport {
        let start = Date()
        let generator = MutantGenerator(vocabulary: ruleSet.vocabulary)
        let rebuilder = RuleRebuilder(vocabulary: ruleSet.vocabulary)
        var report = MutationReport(mutants: 0, killed: 0, invalid: 0, survivors: [], seconds: 0)
        for (position, rule) in ruleSet.rules.enumerated() where rule.enabled {
            let tests = tests(for: rule, in: ruleSet, filter: filter)
            // With --filter, only rules whose own tests were chosen are mutated.
            guard !tests.isEmpty, filter == nil || tests.contains(where: { $0.owner?.id == rule.id }) else { continue }
            for mutant in generator.mutants(of: rule) {
                report.mutants += 1
                guard let changed = rebuilder.rebuild(rule, changing: mutant.change) else {
                    report.invalid += 1
                    continue
                }
                var mutated = ruleSet
                mutated.rules[position] = changed
                let runner = RuleTestRunner(ruleSet: mutated)
                let killed = tests.contains { test, owner, scenario in
                    if let scenario { return !runner.runScenario(test, in: scenario).passed }
                    let subject = owner.flatMap { owner in owner.id == rule.id ? changed : mutated.rule(owner.id) }
                    return subject.map { !runner.runInline(test, of: $0).passed } ?? false
                }
                if killed { report.killed += 1 } else { report.survivors.append(mutant) }
            }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}
