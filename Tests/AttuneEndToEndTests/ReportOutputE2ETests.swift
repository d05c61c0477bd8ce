import Foundation
import Testing

/// The report as the supervisor gets it from the command line: every format, the period flags,
/// and `--output` written whole, owner-readable, with nothing left behind.
@Suite struct ReportOutputE2ETests {
    static let week = ["review", "Examples/clinic", "--week", "2026-W48"]

    @Test(arguments: ["text", "markdown", "html", "json", "csv"])
    func outputFileIsWholeOwnerOnlyAndAlone(_ format: String) throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let file = folder.appendingPathComponent("review.\(format)")
        let written = try AttuneProcess.run(Self.week + ["--format", format, "--output", file.path])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.isEmpty)
        let printed = try AttuneProcess.run(Self.week + ["--format", format])
        #expect(try String(contentsOf: file, encoding: .utf8) == printed.stdout)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["review.\(format)"])
    }

    @Test func anExistingReportIsReplacedWholeAndTightened() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let file = folder.appendingPathComponent("review.html")
        try Data("old report".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let result = try AttuneProcess.run(Self.week + ["--format", "html", "--output", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.hasSuffix("</html>\n"))
        #expect(
            (try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue
                == 0o600)
    }

    @Test func anUnwritableOutputExitsTwoAndLeavesNothing() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let result = try AttuneProcess.run(
            Self.week + ["--output", folder.appendingPathComponent("missing/review.txt").path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/missing does not exist; create it"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func weekSetsThePeriodAndAsOf() throws {
        let result = try AttuneProcess.run(Self.week + ["--format", "json"])
        #expect(result.status == 0)
        #expect(
            result.stdout.contains(
                "\"period\": {\n    \"start\": \"2026-11-23\",\n    \"end\": \"2026-11-29\",\n    \"as_of\": \"2026-11-29\",\n    \"iso_week\": \"2026-W48\""
            ))
        // An earlier week is reviewed as of its own Sunday: later records do not count.
        let earlier = try AttuneProcess.run(["review", "Examples/clinic", "--week", "2026-W45", "--format", "json"])
        #expect(earlier.status == 0)
        #expect(earlier.stdout.contains("\"as_of\": \"2026-11-08\""))
        #expect(!earlier.stdout.contains("\"date\": \"2026-11-2"))
    }

    @Test func sinceAndAsOfMakeACustomPeriod() throws {
        let result = try AttuneProcess.run([
            "review", "Examples/clinic", "--since", "2026-11-01", "--as-of", "2026-11-29", "--format", "csv",
        ])
        #expect(result.status == 0)
        let week = try AttuneProcess.run(Self.week + ["--format", "csv"])
        // A longer period reports at least what the last week reports.
        #expect(result.stdout.split(separator: "\r\n").count >= week.stdout.split(separator: "\r\n").count)
        let backwards = try AttuneProcess.run([
            "review", "Examples/clinic", "--since", "2026-12-01", "--as-of", "2026-11-29",
        ])
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("after the as-of date"))
        let both = try AttuneProcess.run(Self.week + ["--since", "2026-11-01"])
        #expect(both.status == 2)
    }

    @Test func therapistAndSeverityFilters() throws {
        let result = try AttuneProcess.run(
            Self.week + ["--therapist", "T-02", "--min-severity", "high", "--format", "csv"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\r\n").dropFirst()
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0.contains(",high,") || $0.contains(",critical,") })
        #expect(rows.allSatisfy { $0.contains(",T-02,") })
    }

    @Test func failOnCountsOnlyReportedFindings() throws {
        #expect(try AttuneProcess.run(Self.week + ["--fail-on", "critical", "--format", "csv"]).status == 1)
        // T-01 has nothing critical this week.
        #expect(
            try AttuneProcess.run(Self.week + ["--therapist", "T-01", "--fail-on", "critical", "--format", "csv"])
                .status == 0)
    }

    @Test func noColourUnderNoColorOrOffATerminal() throws {
        let result = try AttuneProcess.run(Self.week, environment: ["NO_COLOR": "1"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}["))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    /// Every format this `attune` offers, as its own refusal of an unknown one lists them: a
    /// format added later is checked for notes like the others, with nothing to remember.
    static func formats() throws -> [String] {
        let refused = try AttuneProcess.run(Self.week + ["--format", "no-such-format"])
        let listed = refused.stderr.components(separatedBy: "use one of: ").dropFirst().first
        let formats = (listed?.split(separator: "\n").first ?? "").components(separatedBy: ", ")
        #expect(formats.count >= 5 && formats.contains("text"), "no format list in: \(refused.stderr)")
        return formats
    }

    @Test func notesOnlyWhenAsked() throws {
        for format in try Self.formats() {
            let without = try AttuneProcess.run(Self.week + ["--format", format])
            #expect(!without.stdout.contains("Synthetic note"))
            let with = try AttuneProcess.run(Self.week + ["--format", format, "--include-notes"])
            #expect(with.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("Synthetic note"))
        }
    }
}
