import AttuneCore
import Testing

/// The keys of inline tests and scenario files come from one declaration (`RuleTestDecoder.Key`):
/// a key of the other kind of test is an error that says where it belongs, never read and ignored.
struct TestKeyTests {
    /// `LintCheckTests.goodRule` with other tests: its `tests:` is on line 7.
    static func rule(test: String) -> String {
        LintCheckTests.goodRule.components(separatedBy: "tests:")[0] + "tests:\n" + test
    }

    /// Before, `records_file` in an inline test was read, loaded nothing, and the test passed with
    /// no records at all.
    @Test func aScenarioKeyInAnInlineTestIsAnError() {
        let found = LintCheckTests.lint([
            "low-srs.yaml": Self.rule(
                test: """
                      - name: fires
                        records_file: week.yaml
                        expect: []
                        expect_absent: [low-srs]
                    """)
        ])
        #expect(
            found.contains(
                "site/low-srs.yaml:9:5: error: 'records_file' is not a key of a rule's inline test, only of a scenario file (*.test.yaml); list the records under 'records'"
            ), "\(found)")
        #expect(
            found.contains(
                "site/low-srs.yaml:11:5: error: 'expect_absent' is not a key of a rule's inline test, only of a scenario file (*.test.yaml); 'expect: []' expects no finding"
            ), "\(found)")
        #expect(found.contains("site/low-srs.yaml:8:5: error: test 'fires' has no records"), "\(found)")
    }

    @Test func constantsInAScenarioAreAnError() {
        let found = LintCheckTests.lint([
            "low-srs.yaml": LintCheckTests.goodRule,
            "week.test.yaml": """
            name: a week
            as_of: 2026-01-10
            constants: {srs_cutoff: 20}
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{rule: low-srs}]
            """,
        ])
        #expect(
            found == [
                "site/week.test.yaml:3:1: error: 'constants' is not a key of a scenario file, only of a rule's inline test; a scenario runs with the packs' constants"
            ])
    }

    @Test func aMisspeltKeyGetsADidYouMean() {
        let found = LintCheckTests.lint([
            "low-srs.yaml": Self.rule(
                test: """
                      - name: fires
                        record: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
                        expect: [{opened: 2026-01-08, mesage_contains: SRS}]
                    """)
        ])
        #expect(found.contains("site/low-srs.yaml:9:5: error: unknown key 'record' in a test; did you mean 'records'?"))
        #expect(
            found.contains(
                "site/low-srs.yaml:10:35: error: unknown key 'mesage_contains' in an expected finding; did you mean 'message_contains'?"
            ), "\(found)")
    }

    @Test func eachKindOfTestListsItsOwnKeys() {
        #expect(RuleTestDecoder.keys == ["name", "as_of", "constants", "records", "expect"])
        #expect(ScenarioFile.keys == ["name", "as_of", "records", "records_file", "expect", "expect_absent"])
        #expect(RuleTestDecoder.Key.allCases.allSatisfy { $0.isInInlineTest || $0.isInScenario })
    }
}
