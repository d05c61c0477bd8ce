import Foundation
import Testing

/// `attune test --coverage` and `attune test --mutate`: reports, files and gates.
struct TestCoverageE2ETests {
    static let rule = """
        id: low-srs
        title: Low SRS
        severity: low
        kind: threshold
        where: attendance == 'attended'
        match: measures.srs < 36
        message: low
        tests:
          - name: fires
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{opened: 2026-01-08}]
        """

    static func pack() throws -> URL {
        try TestE2ETests.write(["pack.yaml": TestE2ETests.pack, "low.yaml": rule])
    }

    @Test func coverageIsReportedAndGated() throws {
        let folder = try Self.pack()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--coverage"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(
            text.stdout.contains("1 passed, 0 failed\nRule coverage: 50.0% (2 of 4 outcomes exercised by the tests)\n"),
            "\(text.stdout)")
        #expect(text.stdout.contains("/low.yaml:5:1: where: `attendance == 'attended'` never false in a test\n"))

        let gated = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--min-coverage", "75"])
        #expect(gated.status == 1)
        #expect(gated.stderr.contains("error: rule coverage 50.0% is below --min-coverage 75.0%"), "\(gated.stderr)")
        let passing = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--min-coverage", "50"])
        #expect(passing.status == 0, "\(passing.stderr)")
        let wrong = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--min-coverage", "150"])
        #expect(wrong.status == 2)
    }

    @Test func aCoverageFileForCI() throws {
        let folder = try Self.pack()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("coverage.xml")
        let result = try AttuneProcess.run([
            "test", "--no-default-rules", folder.path, "--format", "junit", "--coverage-format", "cobertura",
            "--coverage-output", output.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<?xml"))
        #expect(result.stderr.contains("rule coverage 50.0% written to \(output.path)"))
        let xml = try String(contentsOf: output, encoding: .utf8)
        #expect(xml.contains("<coverage line-rate=\"1\" branch-rate=\"0.5\""), "\(xml)")
        #expect(xml.contains("<line number=\"6\" hits=\"1\" branch=\"true\" condition-coverage=\"50% (1/2)\"/>"))

        // The coverage file never replaces a file of the packs it reports on.
        let manifest = folder.appendingPathComponent("pack.yaml")
        let before = try String(contentsOf: manifest, encoding: .utf8)
        let overwrite = try AttuneProcess.run([
            "test", "--no-default-rules", folder.path, "--coverage-output", manifest.path,
        ])
        #expect(overwrite.status == 2)
        #expect(overwrite.stderr.contains("--coverage-output"), "\(overwrite.stderr)")
        #expect(try String(contentsOf: manifest, encoding: .utf8) == before)

        let mixed = try AttuneProcess.run([
            "test", "--no-default-rules", folder.path, "--format", "junit", "--coverage",
        ])
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("--coverage-output FILE"))
    }

    @Test func survivingMutantsAreListedAndCanFail() throws {
        let folder = try Self.pack()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--mutate"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(
            report.stdout.contains(
                "/low.yaml:6:1: low-srs: match: `measures.srs < 36`: < → <= survives: no test at the boundary, where `measures.srs` equals `36`\n"
            ), "\(report.stdout)")
        #expect(
            report.stdout.contains(
                "/low.yaml:6:1: low-srs: match: `measures.srs < 36`: 36 → 32 survives: no test where `measures.srs` is from 32 to 36, where the two bounds disagree\n"
            ))
        // The negated where leaves the test's one record out, so the test notices it.
        #expect(!report.stdout.contains("negated survives"))
        let summary = report.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("Mutation testing: 7 mutants, 2 killed, 5 survived"), "\(summary)")

        let failing = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--fail-on-surviving"])
        #expect(failing.status == 1)
    }

    @Test func noMutationWhileTestsFail() throws {
        let folder = try TestE2ETests.write(["pack.yaml": TestE2ETests.pack, "low.yaml": TestE2ETests.failingRule])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try AttuneProcess.run(["test", "--no-default-rules", folder.path, "--mutate"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: no mutation testing while tests fail"))
    }
}
