import Foundation
import Testing

/// `attune review` run as a user runs it: the README's command, bad records, --strict, exit statuses.
struct ReviewE2ETests {
    @Test func readmeReviewCommandPrintsAReview() throws {
        let result = try AttuneProcess.run(["review", "Examples/clinic"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Attune supervision review"))
        #expect(result.stdout.contains("204 records"))
        #expect(result.stdout.contains("data ends 2026-11-27"))
        #expect(result.stderr.isEmpty)
    }

    /// Three kinds of bad record each give one located error; the good records still give findings.
    static let mixedRecords = """
        - {client: C-9001, therapist: T-9, date: 2026-03-02, attendance: attended, measures: {srs: 30}}
        - {client: C-9002, therapist: T-9, date: 2026-03-02, attendance: attendend}
        - {client: C-9003, therapist: T-9, date: 2026-03-02, attendence: attended}
        - {client: C-9004, therapist: T-9, date: 2026-03-02, attendance: attended, repair: yes}
        - {client: C-9005, therapist: T-9, date: 2026-03-03, attendance: attended, measures: {phq9_i9: 2}}
        """

    @Test func badRecordsAreLocatedAndTheRestEvaluated() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("week.yaml")
        try Self.mixedRecords.write(to: file, atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["review", file.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 3, "\(result.stderr)")
        #expect(result.stderr.contains("week.yaml:2:66: error: 'attendend' is not a valid attendance"))
        #expect(result.stderr.contains("did you mean 'attended'?"))
        #expect(result.stderr.contains("week.yaml:3:54: error: unknown field 'attendence'; did you mean 'attendance'?"))
        #expect(result.stderr.contains("week.yaml:4:84: error: 'yes' is not a valid repair (partial, full)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let census = try #require(json["census"] as? [String: Any])
        #expect(census["records_read"] as? Int == 5)
        #expect(census["records_left_out"] as? Int == 3)
        let recordErrors = try #require(json["record_errors"] as? [[String: Any]])
        #expect(recordErrors.count == 3)
        #expect(recordErrors.first?["line"] as? Int == 2)
        #expect(recordErrors.first?["column"] as? Int == 66)
        let findings = try #require(json["findings"] as? [[String: Any]])
        let rules = Set(findings.compactMap { $0["rule"] as? String })
        #expect(rules.contains("alliance-below-cutoff"))
        #expect(rules.contains("risk-item-endorsed"))
    }

    @Test func strictTurnsRecordErrorsIntoExitTwoWithNoReport() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("week.yaml")
        try Self.mixedRecords.write(to: file, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("review.json")
        let result = try AttuneProcess.run([
            "review", file.path, "--strict", "--format", "json", "--output", output.path,
        ])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func failOnExitsOneWhenAFindingIsSevereEnough() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let file = folder.appendingPathComponent("week.yaml")
        try Self.mixedRecords.write(to: file, atomically: true, encoding: .utf8)
        let critical = try AttuneProcess.run(["review", file.path, "--fail-on", "critical"])
        #expect(critical.status == 1)
        // One record with a low and a high finding: nothing critical.
        let low = folder.appendingPathComponent("low.yaml")
        try String(Self.mixedRecords.split(separator: "\n")[0]).write(to: low, atomically: true, encoding: .utf8)
        let none = try AttuneProcess.run(["review", low.path, "--fail-on", "critical"])
        #expect(none.status == 0, "\(none.stdout)")
        // Findings left out by --min-severity could never trip --fail-on: a gate that cannot fail is a usage error.
        let unfailing = try AttuneProcess.run(["review", low.path, "--min-severity", "critical", "--fail-on", "low"])
        #expect(unfailing.status == 2)
        #expect(unfailing.stderr.contains("--fail-on low is below --min-severity critical"), "\(unfailing.stderr)")
    }

    @Test func usageErrorsExitTwo() throws {
        let badWeek = try AttuneProcess.run(["review", "Examples/clinic", "--week", "2026-W60"])
        #expect(badWeek.status == 2)
        #expect(badWeek.stderr.contains("ISO week"))
        let missing = try AttuneProcess.run(["review", "no/such/folder"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/folder: error: no such file or folder"))
        let unknownFlag = try AttuneProcess.run(["review", "Examples/clinic", "--colour"])
        #expect(unknownFlag.status == 2)
    }

    @Test func sitePackWithErrorsStopsTheReview() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        try "name: site\nversion: 1.0.0\n".write(
            to: folder.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        try "id: broken\ntitle: Broken\nseverity: low\nkind: threshold\nmatch: measures.ssr < 30\nmessage: x\n"
            .write(to: folder.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--rules", folder.path])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("broken.yaml:5:17: error: in 'match': unknown measure 'ssr'; did you mean 'srs'?"))
    }
}
