import AttuneCore
import Testing

/// Examples/clinic is documentation: every default rule must fire on it at least once over the
/// twelve weeks, and at least a third of its clients must have nothing to report.
struct ExampleClinicTests {
    static func findings() throws -> (findings: [Finding], clients: Set<String>) {
        let batch = try RecordLoader(vocabulary: Fixtures.vocabulary).load(paths: [
            Fixtures.repositoryRoot + "/Examples/clinic"
        ])
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        let asOf = Fixtures.day("2026-11-29")
        let engine = Engine(rules: Fixtures.defaultRuleSet.activeRules, vocabulary: Fixtures.vocabulary)
        let output = engine.run(
            timelines: Engine.timelines(from: batch.records, asOf: asOf), options: .init(asOf: asOf))
        #expect(output.failures.isEmpty)
        return (output.findings, Set(batch.records.map(\.client)))
    }

    @Test func everyDefaultRuleFiresAtLeastOnce() throws {
        let fired = Set(try Self.findings().findings.map(\.rule))
        let silent = Fixtures.defaultRuleSet.activeRules.map(\.id).filter { !fired.contains($0) }
        #expect(silent.isEmpty, "never fire on Examples/clinic: \(silent)")
    }

    @Test func aThirdOfTheClientsHaveNothingToReport() throws {
        let (findings, clients) = try Self.findings()
        let flagged = Set(findings.compactMap(\.subject.client))
        let quiet = clients.subtracting(flagged)
        #expect(quiet.count * 3 >= clients.count, "quiet: \(quiet.sorted()) of \(clients.count)")
    }
}
