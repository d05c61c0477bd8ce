import AttuneAuthoring
import AttuneCore
import AttuneKinds
import Foundation
import Testing

/// docs/rules.md is generated from the default pack and the kinds' declarations; it must not
/// drift from them. And `attune rules` shows what the files say.
struct RulesReferenceTests {
    static var documentation: RuleDocumentation {
        RuleDocumentation(ruleSet: Fixtures.defaultRuleSet, registry: BuiltinKinds.registry)
    }

    @Test func docsRulesMarkdownIsUpToDate() throws {
        let path = Fixtures.repositoryRoot + "/docs/rules.md"
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        let generated = Self.documentation.reference(format: .markdown)
        let firstDifference =
            zip(
                committed.split(separator: "\n", omittingEmptySubsequences: false),
                generated.split(separator: "\n", omittingEmptySubsequences: false)
            )
            .enumerated().first { $0.element.0 != $0.element.1 }
            .map { "line \($0.offset + 1): committed '\($0.element.0)', generated '\($0.element.1)'" }
            ?? "lengths differ"
        #expect(
            committed == generated,
            "docs/rules.md is stale (\(firstDifference)); run: \(RuleDocumentation.regenerateCommand)")
    }

    @Test func referenceDocumentsEveryKindAndRule() {
        let markdown = Self.documentation.reference(format: .markdown)
        for kind in BuiltinKinds.registry.kinds {
            let declaration = kind.declaration
            #expect(markdown.contains("### `\(declaration.name)`"))
            for parameter in declaration.parameters {
                #expect(markdown.contains("| `\(parameter.name)` |"), "\(declaration.name).\(parameter.name)")
            }
        }
        for rule in Fixtures.defaultRuleSet.rules { #expect(markdown.contains("### `\(rule.id)` — \(rule.title)")) }
    }

    static let site = [
        "pack.yaml": "name: site\nversion: 0.1.0\nconstants: {srs_cutoff: 34}\n",
        "off.yaml": "id: alliance-below-cutoff\nenabled: false\n",
        "window.yaml": """
        id: three-low-srs
        title: Three low SRS of four
        severity: medium
        kind: window
        where: attendance == 'attended'
        match: measures.srs < srs_cutoff
        params: {at_least: 3, of_last: 4}
        message: "{count} of the last {of_last}"
        guidance: Ask about it.
        references: [Duncan et al. (2003)]
        tests:
          - name: nothing
            records: [{date: 2026-01-08, attendance: attended}]
            expect: []
        """,
    ]

    @Test func listShowsIdKindSeverityTitlePackAndSwitchedOffRules() {
        let ruleSet = Fixtures.ruleSet(Self.site)
        let text = RuleDocumentation(ruleSet: ruleSet, registry: BuiltinKinds.registry).list(format: .text)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(
            lines.contains {
                $0.hasPrefix("alliance-below-cutoff (off)") && $0.contains("threshold") && $0.hasSuffix("rules")
            })
        #expect(
            lines.contains {
                $0.hasPrefix("three-low-srs ") && $0.contains("window") && $0.contains("medium")
                    && $0.contains("Three low SRS of four") && $0.hasSuffix("site")
            })
        #expect(lines.last == "\(ruleSet.rules.count) rules, \(ruleSet.activeRules.count) on")
    }

    @Test func showGivesParamsWithTheirDocsGuidanceReferencesAndTests() throws {
        let ruleSet = Fixtures.ruleSet(Self.site)
        let rule = try #require(ruleSet.rule("three-low-srs"))
        let text = RuleDocumentation(ruleSet: ruleSet, registry: BuiltinKinds.registry).show(rule, format: .text)
        #expect(text.hasPrefix("three-low-srs — Three low SRS of four\n"))
        #expect(text.contains("  where     attendance == 'attended'\n"))
        #expect(text.contains("  match     measures.srs < srs_cutoff\n"))
        #expect(text.contains("    at_least  3  — How many matching records the window must hold (K)\n"))
        #expect(text.contains("guidance:\n  Ask about it.\n"))
        #expect(text.contains("references:\n  - Duncan et al. (2003)\n"))
        #expect(text.contains("tests (1):\n  - nothing (site/window.yaml:12:5)\n"))
        let json = RuleDocumentation(ruleSet: ruleSet, registry: BuiltinKinds.registry).show(rule, format: .json)
        #expect(json.contains("\"params\": {\n    \"at_least\": 3,\n    \"of_last\": 4\n  }"))
    }
}
