import Foundation
import Testing

/// `attune rules`: list, show, reference, and the site pack's effect on the list.
struct RulesE2ETests {
    @Test func listShowsTheSitePackOnTopOfTheDefault() throws {
        let result = try AttuneProcess.run(["rules", "--rules", "Examples/custom-rules"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.contains { $0.hasPrefix("possible-masking (off) ") })
        #expect(
            lines.contains {
                $0.hasPrefix("site-missed-in-a-row ") && $0.contains("streak") && $0.hasSuffix("Examples/custom-rules")
            })
    }

    @Test func showAndFormats() throws {
        let text = try AttuneProcess.run(["rules", "show", "site-severe-anxiety", "--rules", "Examples/custom-rules"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("site-severe-anxiety — Severe anxiety in most recent sessions\n"))
        #expect(text.stdout.contains("  match     measures.gad7 >= gad7_severe\n"))
        let json = try AttuneProcess.run([
            "rules", "show", "site-severe-anxiety", "--rules", "Examples/custom-rules", "--format", "json",
        ])
        let rule = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(rule["kind"] as? String == "window")
        #expect((rule["tests"] as? [Any])?.count == 3)
        let markdown = try AttuneProcess.run(["rules", "show", "alliance-drop", "--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("# `alliance-drop` — "))
        let unknown = try AttuneProcess.run(["rules", "show", "alliance-dorp"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'alliance-drop'?"))
    }

    @Test func referenceMatchesTheCommittedDocs() throws {
        let result = try AttuneProcess.run(["rules", "reference", "--format", "markdown"])
        #expect(result.status == 0)
        let committed = try String(
            contentsOf: AttuneProcess.repositoryRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(
            result.stdout == committed,
            "docs/rules.md is stale; run: swift run attune rules reference --format markdown > docs/rules.md")
    }
}
