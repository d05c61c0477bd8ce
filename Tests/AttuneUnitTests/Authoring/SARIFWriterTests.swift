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
                .warning("rule 'x' has no tests", at: SourceLocation(file: "site/x.yaml", line: 1, column: 1)),
                .error(
                    "unknown key 'mach'; did you mean 'match'?",
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
        #expect(ruleIDs == LintReport.checks.map(\.id))
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

    @Test func lintChecksAreToldByTheirMessages() {
        let at = SourceLocation(file: "r.yaml", line: 2, column: 3)
        let cases: [(String, LintReport.Check)] = [
            ("while parsing a flow sequence, did not find expected ',' or ']'", LintReport.yamlSyntax),
            ("unknown key 'mach'; did you mean 'match'?", LintReport.unknownKey),
            ("unknown param 'of_lst' for kind window", LintReport.unknownKey),
            ("rule is missing required key 'title'", LintReport.missingKey),
            ("kind window needs param 'of_last' (whole number 1–1000): how many", LintReport.missingKey),
            ("'two' is not a valid param at_least; expected a whole number", LintReport.invalidValue),
            ("unknown kind 'windowed'; did you mean 'window'?", LintReport.unknownKind),
            ("in 'match': unknown measure 'ssr'; did you mean 'srs'?", LintReport.expression),
            ("placeholder '{cnt}' is not provided by kind threshold", LintReport.placeholder),
            ("duplicate rule id 'x', also defined at a.yaml:1:5", LintReport.duplicateID),
            ("rule 'c' reads unknown rule 'low-sr'", LintReport.ruleReference),
            ("scenario expects unknown rule 'low-sr'", LintReport.ruleReference),
            ("test record: 'atended' is not a valid attendance", LintReport.testRecord),
            ("rule 'x' has no tests", LintReport.noTests),
            ("pack.yaml is missing 'version'", LintReport.missingKey),
            ("switches off rule 'x', which no earlier pack defines", LintReport.pack),
        ]
        for (message, check) in cases {
            #expect(LintReport.check(of: .error(message, at: at)) == check, "\(message)")
        }
    }
}
