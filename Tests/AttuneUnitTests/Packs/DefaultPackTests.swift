import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneRuleTesting
import Foundation
import Testing

/// The default pack loads cleanly, its inline tests pass, and the embedded copy matches rules/.
struct DefaultPackTests {
    @Test func loadsWithoutErrors() {
        let errors = Fixtures.defaultRuleSet.diagnostics.errors
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        #expect(!Fixtures.defaultRuleSet.rules.isEmpty)
    }

    struct InlineCase: CustomTestStringConvertible, Sendable {
        let rule: String
        let test: String
        var testDescription: String { "\(rule) › \(test)" }
    }

    // Rules that are off (off-expected-trajectory, until a pack holds a calibration) are tested where they are on.
    static let inlineCases: [InlineCase] = Fixtures.defaultRuleSet.activeRules.flatMap { rule in
        rule.tests.map { InlineCase(rule: rule.id, test: $0.name) }
    }

    @Test("default rule inline test", arguments: inlineCases)
    func inlineTest(_ testCase: InlineCase) throws {
        let ruleSet = Fixtures.defaultRuleSet
        let rule = try #require(ruleSet.rule(testCase.rule))
        let test = try #require(rule.tests.first { $0.name == testCase.test })
        let outcome = RuleTestRunner(ruleSet: ruleSet).runInline(test, of: rule)
        #expect(outcome.passed, "\(outcome.report)")
    }

    @Test func everyRuleHasAFiringTestAndANearMiss() {
        for rule in Fixtures.defaultRuleSet.rules {
            #expect(rule.tests.contains { !$0.expect.isEmpty }, "\(rule.id) has no test that fires")
            #expect(rule.tests.contains { $0.expect.isEmpty }, "\(rule.id) has no near-miss test expecting nothing")
            #expect(!rule.guidance.isEmpty, "\(rule.id) has no guidance")
            #expect(!rule.references.isEmpty, "\(rule.id) has no references")
        }
    }

    @Test func embeddedCopyMatchesRulesFolder() throws {
        let folder = Fixtures.repositoryRoot + "/rules"
        let onDisk = try PackSource.directory(folder)
        let disk = Dictionary(uniqueKeysWithValues: onDisk.files.map { ($0.relativePath, $0.bytes) })
        let embedded = Dictionary(uniqueKeysWithValues: DefaultPack.files.map { ($0.path, Array($0.contents.utf8)) })
        #expect(disk.keys.sorted() == embedded.keys.sorted(), "run: python3 scripts/embed-default-pack.py")
        for (path, bytes) in disk {
            #expect(
                embedded[path] == bytes,
                "\(path) differs from the embedded copy; run: python3 scripts/embed-default-pack.py")
        }
    }
}
