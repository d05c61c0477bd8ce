import Foundation
import Testing

/// `attune calibrate` as a clinic runs it, then the calibration used by a review.
struct CalibrateE2ETests {
    /// 120 closed episodes of 5 weekly sessions; client i starts at ORS 10 + i/6 and gains i % 3 a session.
    static func history() -> String {
        var lines: [String] = []
        for i in 0..<120 {
            for session in 0..<5 {
                let day = Calendar(identifier: .gregorian).date(
                    byAdding: .day, value: 7 * session + i % 30,
                    to: ISO8601DateFormatter().date(from: "2026-01-05T00:00:00Z")!)!
                let date = ISO8601DateFormatter().string(from: day).prefix(10)
                let ors = 10 + i / 6 + session * (i % 3)
                let end = session == 4 ? ", episode_end: planned" : ""
                lines.append(
                    "- {client: C-\(i), therapist: T-1, date: \(date), attendance: attended, measures: {ors: \(ors)}\(end)}"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func writesAReadableCalibrationThatSwitchesTheDefaultRuleOn() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let records = folder.appendingPathComponent("history.yaml")
        try Self.history().write(to: records, atomically: true, encoding: .utf8)
        let pack = folder.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        try "name: site\nversion: 0.1.0\n".write(
            to: pack.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        let out = pack.appendingPathComponent("expected/ors.yaml")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)

        let result = try AttuneProcess.run([
            "calibrate", records.path, "--measure", "ors", "--out", out.path,
            "--horizon", "5", "--min-band", "50", "--min-cell", "40",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.hasPrefix(
                "calibrated ors from 120 closed episodes (600 records, 2026-01-05 to 2026-03-03), sessions 2 to 5, intake bands 0–20 (60), 20–40 (60): wrote "
            ),
            "\(result.stdout)")
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(!text.contains("C-"), "no client id in the calibration")
        #expect(text.contains("  records: 600\n  closed_episodes: 120\n  episodes_used: 120\n"))
        #expect(text.contains("made_by: \"attune "))
        // Band 0–20, session 2: changes 0, 1, 2 (20 each) averaged, by count, with session 3's 0, 2, 4.
        #expect(
            text.contains("      - {session: 2, episodes: 60, p10: 0, p25: 0, p50: 1.5, p75: 3, p90: 3}\n"), "\(text)")

        let lint = try AttuneProcess.run(["lint", pack.path, "--warnings-as-errors"])
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(!lint.stderr.contains("note:"), "the rule is on: \(lint.stderr)")
    }

    @Test func tooFewEpisodesIsARefusalWithCountsAndNoFile() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let out = folder.appendingPathComponent("ors.yaml")
        let result = try AttuneProcess.run(["calibrate", "Examples/clinic", "--measure", "ors", "--out", out.path])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "error: no calibration written: 1 closed episode with a baseline ors (of 1 closed, 21 in all, in 204 records); a calibration needs at least 100 (--min-band) for even one intake band\n",
            "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func neverOverwritesAnInputAndKnowsItsMeasures() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let records = folder.appendingPathComponent("history.yaml")
        try Self.history().write(to: records, atomically: true, encoding: .utf8)
        let overwrite = try AttuneProcess.run(["calibrate", records.path, "--measure", "ors", "--out", records.path])
        #expect(overwrite.status == 2)
        #expect(
            overwrite.stderr.contains(
                "error: --out \(records.path) is the records file \(records.path); refusing to overwrite an input"))
        // Nor a record file in a folder of records: the next run would read it.
        let inside = try AttuneProcess.run([
            "calibrate", folder.path, "--measure", "ors", "--out", folder.appendingPathComponent("ors.yaml").path,
        ])
        #expect(inside.status == 2)
        #expect(inside.stderr.contains("is inside the records folder"), "\(inside.stderr)")
        #expect(try String(contentsOf: records, encoding: .utf8) == Self.history())
        let unknown = try AttuneProcess.run([
            "calibrate", records.path, "--measure", "orss", "--out", folder.appendingPathComponent("x.yaml").path,
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: unknown measure 'orss'; did you mean 'ors'?"), "\(unknown.stderr)")
    }

    @Test func theChartOfAFlaggedClientDrawsTheExpectedBandBehindTheLine() throws {
        let result = try AttuneProcess.run([
            "review", "Examples/clinic", "--rules", "Examples/expected-response", "--therapist", "T-03",
            "--format", "html",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let html = result.stdout
        let band = try #require(html.range(of: "<polygon class=\"expected-band\""), "no band drawn")
        // In the same panel, before the line and the points.
        let series = try #require(html.range(of: "<polyline class=\"series\"", range: band.upperBound..<html.endIndex))
        #expect(!html[band.upperBound..<series.lowerBound].contains("<g class=\"panel\">"))
        #expect(
            html.contains("ORS expected (10th–90th percentile of this clinic&#39;s clients who started at")
                || html.contains("ORS expected (10th–90th percentile of this clinic's clients who started at"))
    }
}
