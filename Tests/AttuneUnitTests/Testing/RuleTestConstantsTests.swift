import AttuneCore
import AttuneRuleTesting
import Testing

/// An inline test's `constants:` fix the values its rule reads, so a boundary test holds when a
/// later pack moves the constant.
struct RuleTestConstantsTests {
    static let rule = """
        id: low
        title: Low
        severity: low
        kind: threshold
        match: measures.srs < cutoff
        message: low
        tests:
          - name: 35 is under a cutoff of 36
            constants: {cutoff: 36}
            records: [{date: 2026-01-05, attendance: attended, measures: {srs: 35}}]
            expect: [{opened: 2026-01-05}]
        """

    @Test func aFixedConstantHoldsWhenALaterPackMovesIt() throws {
        let base =
            "name: base\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\nconstants: {cutoff: 36}\n"
        let alone = Fixtures.ruleSet(["pack.yaml": base, "low.yaml": Self.rule], alone: true)
        #expect(!alone.diagnostics.hasErrors, "\(alone.diagnostics)")
        #expect(RuleTestRunner(ruleSet: alone).runAll().allSatisfy { $0.passed })
        // The same rule where a pack has set the cutoff to 34: the test still reads 36.
        var moved = alone
        moved.vocabulary.constants["cutoff"]?.value = .number(34)
        let rebuilt = RuleRebuilder(vocabulary: moved.vocabulary).rebuild(moved.rules[0])
        moved.rules[0] = try #require(rebuilt)
        #expect(RuleTestRunner(ruleSet: moved).runAll().allSatisfy { $0.passed })
        // Without the fixed value the test would fail there.
        moved.rules[0].tests[0].constants = [:]
        #expect(RuleTestRunner(ruleSet: moved).runAll().allSatisfy { !$0.passed })
    }

    @Test func onlyNumericConstantsOfThePacks() {
        let base =
            "name: base\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\nconstants: {cutoff: 36}\n"
        let wrong = Self.rule.replacingOccurrences(of: "constants: {cutoff: 36}", with: "constants: {cutof: 36}")
        let ruleSet = Fixtures.ruleSet(["pack.yaml": base, "low.yaml": wrong], alone: true)
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(messages == ["'cutof' is not a numeric constant of the packs; did you mean 'cutoff'?"], "\(messages)")
    }

    @Test func coverageCountsARuleCompiledAgainOnce() throws {
        let base =
            "name: base\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\nconstants: {cutoff: 36}\n"
        let ruleSet = Fixtures.ruleSet(["pack.yaml": base, "low.yaml": Self.rule], alone: true)
        let entry = try #require(CoverageReport.measure(ruleSet).rules.first)
        #expect(entry.items.map(\.text) == ["measures.srs < cutoff"])
        #expect(entry.items.first?.missing == ["false"])
    }
}
