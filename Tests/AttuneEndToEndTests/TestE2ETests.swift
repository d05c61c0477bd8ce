import Foundation
import Testing

/// `attune test`: summary line, exit statuses, diffs with file:line, --filter, JUnit. The small
/// packs written here stand alone, so they are tested with --no-default-rules.
struct TestE2ETests {
    static func write(_ files: [String: String]) throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let pack = "name: site\nversion: 0.1.0\nmeasures: {srs: {range: [0, 40], better: higher}}\n"
    static let failingRule = """
        id: low-srs
        title: Low SRS
        severity: low
        kind: threshold
        match: measures.srs < 36
        message: low
        tests:
          - name: fires
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{opened: 2026-01-08}]
          - name: wrongly expects the wrong day
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{opened: 2026-01-09}]
        """

    @Test func theRepositoryPacksPass() throws {
        let result = try AttuneProcess.run(["test", "rules", "Examples/custom-rules"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let last = result.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.wholeMatch(of: /[0-9]+ passed, 0 failed/) != nil, "\(last)")
        #expect(result.stdout.contains("PASS  Examples/custom-rules/site.test.yaml › "))
    }

    @Test func aFailingTestPrintsItsDiffAndExitsOne() throws {
        let folder = try Self.write(["pack.yaml": Self.pack, "low.yaml": Self.failingRule])
        let result = try AttuneProcess.run(["test", "--no-default-rules", folder.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("PASS  low-srs › fires\n"))
        #expect(
            result.stdout.contains(
                "FAIL  low-srs › wrongly expects the wrong day\n      \(folder.path)/low.yaml:11:5: low-srs › wrongly expects the wrong day\n"
            ), "\(result.stdout)")
        #expect(result.stdout.contains("      - missing:    {opened: 2026-01-09}\n"))
        #expect(
            result.stdout.contains(
                "      + unexpected: {rule: low-srs, client: C-1, opened: 2026-01-08, closed: 2026-01-08}\n"))
        #expect(result.stdout.hasSuffix("\n1 passed, 1 failed\n"))
    }

    @Test func filterAndJUnit() throws {
        let folder = try Self.write(["pack.yaml": Self.pack, "low.yaml": Self.failingRule])
        let filtered = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--filter", "› FIRES"])
        #expect(filtered.status == 0)
        #expect(filtered.stdout.hasSuffix("1 passed, 0 failed\n"))
        let junit = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--format", "junit"])
        #expect(junit.status == 1)
        #expect(
            junit.stdout.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"attune test\" tests=\"2\" failures=\"1\""
            ))
        #expect(junit.stderr == "1 passed, 1 failed\n")
        let none = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--filter", "nothing like this"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no test matches --filter 'nothing like this'"))
    }

    @Test func lintErrorsStopWithExitTwoAndNoTestsIsAnError() throws {
        let broken = try Self.write([
            "pack.yaml": Self.pack,
            "low.yaml": Self.failingRule.replacingOccurrences(of: "kind: threshold", with: "kind: thresold"),
        ])
        let result = try AttuneProcess.run(["test", "--no-default-rules", broken.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("low.yaml:4:7: error: unknown kind 'thresold'; did you mean 'threshold'?"))
        #expect(result.stdout.isEmpty)

        let untested = "id: untested\ntitle: U\nseverity: low\nkind: threshold\nmatch: measures.srs < 30\nmessage: m\n"
        let empty = try Self.write(["pack.yaml": Self.pack, "u.yaml": untested])
        let noTests = try AttuneProcess.run(["test", "--no-default-rules", empty.path])
        #expect(noTests.status == 1)
        #expect(noTests.stderr.contains("error: the packs hold no tests"))

        let mixed = try Self.write([
            "pack.yaml": Self.pack, "u.yaml": untested,
            "low.yaml": Self.failingRule.components(separatedBy: "  - name: wrongly")[0],
        ])
        #expect(try AttuneProcess.run(["test", "--no-default-rules", mixed.path]).status == 0)
        let required = try AttuneProcess.run(["test", "--no-default-rules", mixed.path, "--require-tests"])
        #expect(required.status == 1)
        #expect(
            required.stdout.contains(
                "u.yaml:1:1: error: rule 'untested' has no tests (--require-tests)\n1 passed, 0 failed\n"),
            "\(required.stdout)")
    }
}
