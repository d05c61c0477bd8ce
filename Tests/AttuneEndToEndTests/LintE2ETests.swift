import Foundation
import Testing

/// `attune lint` as CI runs it: exit statuses, text on standard error, JSON and SARIF on standard output.
struct LintE2ETests {
    /// A pack folder with a typo'd key, written for one test.
    static func brokenPack() throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        try "name: site\nversion: 0.1.0\n".write(
            to: folder.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        try """
        id: low-srs
        title: Low SRS
        severity: low
        kind: threshold
        mach: measures.srs < 30
        message: low
        """.write(to: folder.appendingPathComponent("low.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func theRepositoryPacksLintCleanAsAStack() throws {
        let result = try AttuneProcess.run(["lint", "rules", "Examples/custom-rules"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(": 0 errors, "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func theSitePackLintsOnTopOfTheBuiltInPack() throws {
        let result = try AttuneProcess.run(["lint", "Examples/custom-rules", "--warnings-as-errors"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func errorsExitOneWithLocatedDiagnostics() throws {
        let folder = try Self.brokenPack()
        let result = try AttuneProcess.run(["lint", "--no-default-rules", folder.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("\(folder.path)/low.yaml:5:1: error: unknown key 'mach'; did you mean 'match'?\n"),
            "\(result.stderr)")
        #expect(result.stderr.hasSuffix("2 files, 0 rules: 2 errors, 0 warnings\n"), "\(result.stderr)")
    }

    @Test func warningsAsErrors() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        try "name: site\nversion: 0.1.0\n".write(
            to: folder.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        try "id: untested\ntitle: U\nseverity: low\nkind: threshold\nmatch: attendance == 'no-show'\nmessage: m\n"
            .write(to: folder.appendingPathComponent("u.yaml"), atomically: true, encoding: .utf8)
        #expect(try AttuneProcess.run(["lint", folder.path]).status == 0)
        let strict = try AttuneProcess.run(["lint", folder.path, "--warnings-as-errors"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("u.yaml:1:1: warning: rule 'untested' has no tests"))
    }

    @Test func sarifAndJSONGoToStandardOutput() throws {
        let folder = try Self.brokenPack()
        let sarif = try AttuneProcess.run(["lint", folder.path, "--format", "sarif"])
        #expect(sarif.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let typo = try #require(results.first { ($0["ruleId"] as? String) == "unknown-key" })
        let location = try #require(
            (typo["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 5)
        #expect(region["startColumn"] as? Int == 1)

        let json = try AttuneProcess.run(["lint", folder.path, "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["format"] as? String == "attune.lint/1")
        #expect(report["errors"] as? Int == 2)
    }

    @Test func aMissingPackFolderIsAUsageError() throws {
        let result = try AttuneProcess.run(["lint", "no/such/pack"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no/such/pack:1:1: error: no such rule pack folder"), "\(result.stderr)")
    }
}
