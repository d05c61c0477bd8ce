import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import Foundation
import Testing

/// The trajectory kind with calibration files in packs: off until calibrated, located errors,
/// and the expected band its findings carry for the chart.
struct TrajectoryKindTests {
    static let exampleCalibration: String = {
        let path = Fixtures.repositoryRoot + "/Examples/expected-response/expected/ors.yaml"
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    @Test func theDefaultRuleIsOffWithANoteSayingHowToCalibrate() throws {
        let ruleSet = Fixtures.defaultRuleSet
        let rule = try #require(ruleSet.rule("off-expected-trajectory"))
        #expect(!rule.enabled)
        let notes = ruleSet.diagnostics.notes
        #expect(notes.count == 1)
        #expect(
            notes.first?.description.hasPrefix(
                "rules/off-expected-trajectory.yaml:10:13: note: rule 'off-expected-trajectory' is off until a pack holds the calibration file 'expected/ors.yaml'; make one from the clinic's closed episodes with: attune calibrate RECORDS --measure ors --out SITE-PACK/expected/ors.yaml"
            ) == true,
            "\(notes)")
    }

    @Test func aSitePackHoldingTheCalibrationSwitchesItOn() throws {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML, "expected/ors.yaml": Self.exampleCalibration,
        ])
        #expect(ruleSet.diagnostics.isEmpty, "\(ruleSet.diagnostics)")
        #expect(try #require(ruleSet.rule("off-expected-trajectory")).enabled)
    }

    @Test func aBrokenCalibrationIsAnErrorInItsOwnFile() {
        let broken = Self.exampleCalibration.replacingOccurrences(of: "horizon: 10", with: "horizon: ten")
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "expected/ors.yaml": broken])
        let errors = ruleSet.diagnostics.errors.map(\.description)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix("site/expected/ors.yaml:") == true, "\(errors)")
        #expect(
            errors.first?.contains("in calibration file 'expected/ors.yaml': 'ten' is not a valid horizon") == true,
            "\(errors)")
    }

    static func rule(_ params: String) -> String {
        """
        id: site-trajectory
        title: T
        severity: low
        kind: trajectory
        params: {\(params)}
        message: "{measure} {change} by session {session}, expected {expected} ({band})"
        """
    }

    @Test func aPercentileTheFileLacksOrAnotherMeasureIsAnErrorAtTheParam() {
        let files = ["pack.yaml": Fixtures.minimalPackYAML, "expected/ors.yaml": Self.exampleCalibration]
        var percentile = files
        percentile["t.yaml"] = Self.rule("measure: ors, expected: expected/ors.yaml, below_percentile: 20")
        #expect(
            Fixtures.ruleSet(percentile).diagnostics.errors.map(\.description)
                == [
                    "site/t.yaml:5:71: error: below_percentile 20 is not in the calibration file 'expected/ors.yaml' (it has 10, 25, 50, 75, 90)"
                ])
        var measure = files
        measure["t.yaml"] = Self.rule("measure: phq9, expected: expected/ors.yaml")
        #expect(
            Fixtures.ruleSet(measure).diagnostics.errors.map(\.description)
                == ["site/t.yaml:5:35: error: the calibration file 'expected/ors.yaml' is for ors, not phq9"])
        var typo = files
        typo["t.yaml"] = Self.rule("measure: ors, expected: expected/ors.yml")
        let notes = Fixtures.ruleSet(typo).diagnostics.notes.map(\.message)
        #expect(
            notes.contains {
                $0.hasPrefix(
                    "rule 'site-trajectory' is off until a pack holds the calibration file 'expected/ors.yml'; did you mean 'expected/ors.yaml'?"
                )
            },
            "\(notes)")
    }

    @Test func aFindingCarriesTheExpectedBandFromTheBaselineOn() throws {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML, "expected/ors.yaml": Self.exampleCalibration,
            "t.yaml": Self.rule("measure: ors, expected: expected/ors.yaml"),
        ])
        let rule = try #require(ruleSet.rule("site-trajectory"))
        let (records, problems) = Fixtures.records(
            """
            - {date: 2026-06-01, attendance: attended, measures: {ors: 22}}
            - {date: 2026-06-08, attendance: no-show}
            - {date: 2026-06-15, attendance: attended, measures: {ors: 22}}
            - {date: 2026-06-22, attendance: attended, measures: {ors: 21}}
            - {date: 2026-06-29, attendance: attended}
            """, defaults: .ruleTests)
        #expect(problems.isEmpty)
        let asOf = Fixtures.day("2026-06-29")
        let findings = Engine(rules: [rule], vocabulary: ruleSet.vocabulary)
            .run(timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf)).findings
        let finding = try #require(findings.first)
        #expect(finding.message == "ors -1 by session 3, expected -0.2 (19.9–23.2)")
        let band = try #require(finding.expectedBand)
        #expect(band.measure == "ors")
        // The baseline, then every later attended session (the no-show is not one).
        #expect(band.points.map(\.date) == ["2026-06-01", "2026-06-15", "2026-06-22", "2026-06-29"].map(Fixtures.day))
        #expect(band.points.first.map { $0.low == 22 && $0.high == 22 } == true)
        #expect(band.points.allSatisfy { $0.low <= $0.high })
        #expect(band.label == "expected (25th–75th percentile of this clinic's clients who started at 19.9–23.2)")
    }
}
