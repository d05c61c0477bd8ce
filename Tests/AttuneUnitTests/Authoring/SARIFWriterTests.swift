import AttuneAuthoring
import AttuneCore
import AttuneReporters
import AttuneYAML
import Testing

/// The SARIF 2.1.0 structure code scanning reads: version, $schema, the driver with its rules,
/// and per result the rule id, level, message and physical location.
struct SARIFWriterTests {
    static func member(_ node: Node, _ key: String) -> Node? {
        node.mappingPairs?.first { $0.key.scalarText == key }?.value
    }

    @Test func diagnosticsBecomeLocatedResults() throws {
        let report = LintReport(
            diagnostics: [
                .warning(
                    .noTests, "rule 'x' has no tests", at: SourceLocation(file: "site/x.yaml", line: 1, column: 1)),
                .error(
                    .unknownKey, "unknown key 'mach'; did you mean 'match'?",
                    at: SourceLocation(file: "./site/my rules/x.yaml", line: 5, column: 3)),
            ], files: ["site/x.yaml"], ruleCount: 1)
        let text = SARIFWriter(toolVersion: "0.1.0").render(report)
        let log = try JSONReader.document(in: .bytes(Array(text.utf8)), limits: .rules)
        #expect(Self.member(log, "version")?.scalarText == "2.1.0")
        #expect(Self.member(log, "$schema")?.scalarText == SARIFWriter.schema)
        let run = try #require(Self.member(log, "runs")?.sequenceItems?.first)
        let driver = try #require(Self.member(run, "tool").flatMap { Self.member($0, "driver") })
        #expect(Self.member(driver, "name")?.scalarText == "attune")
        let ruleIDs = Self.member(driver, "rules")?.sequenceItems?.compactMap { Self.member($0, "id")?.scalarText }
        #expect(ruleIDs == DiagnosticCheck.all.map { $0.id })
        let results = try #require(Self.member(run, "results")?.sequenceItems)
        #expect(results.count == 2)
        // Results come in location order: "./site/…" sorts before "site/…".
        let first = results[0]
        #expect(Self.member(first, "ruleId")?.scalarText == "unknown-key")
        #expect(Self.member(first, "level")?.scalarText == "error")
        #expect(
            Self.member(first, "message").flatMap { Self.member($0, "text") }?.scalarText
                == "unknown key 'mach'; did you mean 'match'?")
        let physical = try #require(
            Self.member(first, "locations")?.sequenceItems?.first.flatMap { Self.member($0, "physicalLocation") })
        #expect(
            Self.member(physical, "artifactLocation").flatMap { Self.member($0, "uri") }?.scalarText
                == "site/my%20rules/x.yaml")
        let region = try #require(Self.member(physical, "region"))
        #expect(Self.member(region, "startLine")?.scalarText == "5")
        #expect(Self.member(region, "startColumn")?.scalarText == "3")
        #expect(Self.member(results[1], "ruleId")?.scalarText == "no-tests")
        #expect(Self.member(results[1], "level")?.scalarText == "warning")
    }

    /// SARIF's rules are the declared checks: id, summary and default level, and each result
    /// points at its rule by index.
    @Test func rulesComeFromTheDeclaredChecks() throws {
        let at = SourceLocation(file: "r.yaml", line: 2, column: 3)
        let diagnostics = DiagnosticCheck.all.map { Diagnostic.error($0, "a \($0.id) problem", at: at) }
        let text = SARIFWriter(toolVersion: "0.1.0").render(
            LintReport(diagnostics: diagnostics, files: [], ruleCount: 0))
        let run = try #require(
            Self.member(try JSONReader.document(in: .bytes(Array(text.utf8)), limits: .rules), "runs")?
                .sequenceItems?.first)
        let driver = try #require(Self.member(run, "tool").flatMap { Self.member($0, "driver") })
        let rules = try #require(Self.member(driver, "rules")?.sequenceItems)
        for (rule, check) in zip(rules, DiagnosticCheck.all) {
            #expect(Self.member(rule, "id")?.scalarText == check.id)
            #expect(
                Self.member(rule, "shortDescription").flatMap { Self.member($0, "text") }?.scalarText == check.summary)
            let level = Self.member(rule, "defaultConfiguration").flatMap { Self.member($0, "level") }
            #expect(level?.scalarText == check.defaultSeverity.rawValue)
        }
        let results = try #require(Self.member(run, "results")?.sequenceItems)
        #expect(results.count == DiagnosticCheck.all.count)
        for (index, (result, check)) in zip(results, DiagnosticCheck.all).enumerated() {
            #expect(Self.member(result, "ruleId")?.scalarText == check.id)
            #expect(Self.member(result, "ruleIndex")?.scalarText == String(index))
        }
    }
}
