import AttuneAuthoring
import AttuneCore
import AttuneKinds
import Testing

/// Every lint check of issue 4, each fed a broken rule file, asserting the exact
/// `file:line:column` and message.
struct LintCheckTests {
    static let pack = """
        name: site
        version: 0.1.0
        constants: {srs_cutoff: 36}
        measures:
          srs: {title: Session Rating Scale, range: [0, 40], better: higher}
          phq9: {title: PHQ-9, range: [0, 27], better: lower}
        sets:
          withdrawal_markers: [minimal-response, topic-shift]
        """

    /// A valid rule with a test, so that a file's only problems are the ones a test puts in.
    static let goodRule = """
        id: low-srs
        title: Low SRS
        severity: low
        kind: threshold
        match: measures.srs < srs_cutoff
        message: "SRS {measures.srs} on {date}"
        tests:
          - name: fires
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{opened: 2026-01-08}]
        """

    /// The site pack alone (with its own vocabulary), diagnostics as printed.
    static func lint(_ files: [String: String]) -> [String] {
        var all = files
        all["pack.yaml"] = all["pack.yaml"] ?? pack
        let ruleSet = Fixtures.ruleSet(all, alone: true)
        return ruleSet.diagnostics.sortedByLocation().map(\.description)
    }

    @Test func aCleanPackHasNoDiagnostics() {
        #expect(Self.lint(["low-srs.yaml": Self.goodRule]) == [])
    }

    @Test func yamlSyntaxError() {
        let found = Self.lint(["broken.yaml": "id: broken\ntitle: [unclosed\nseverity: low\n"])
        #expect(
            found == ["site/broken.yaml:3:9: error: while parsing a flow sequence, did not find expected ',' or ']'"])
    }

    @Test func unknownKeyAndParamWithDidYouMean() {
        let found = Self.lint([
            "typo.yaml": """
            id: typo
            title: Typo
            severity: low
            kind: window
            mach: measures.srs < 30
            params: {at_least: 2, of_lst: 4}
            message: "low"
            """
        ])
        #expect(found.contains("site/typo.yaml:5:1: error: unknown key 'mach'; did you mean 'match'?"))
        #expect(
            found.contains(
                "site/typo.yaml:6:23: error: unknown param 'of_lst' for kind window; did you mean 'of_last'? (it takes: at_least, of_last)"
            ))
    }

    @Test func missingRequiredKeys() {
        let found = Self.lint([
            "missing.yaml": "id: missing\nseverity: low\nkind: threshold\nmatch: measures.srs < 30\n"
        ])
        #expect(
            found == [
                "site/missing.yaml:1:1: error: rule is missing required key 'title'",
                "site/missing.yaml:1:1: error: rule is missing required key 'message'",
            ])
    }

    @Test func wrongParamType() {
        let found = Self.lint([
            "window.yaml": """
            id: three-of-four
            title: Three of four
            severity: low
            kind: window
            match: measures.srs < 30
            params: {at_least: two, of_last: 4}
            message: "low"
            """
        ])
        #expect(found == ["site/window.yaml:6:20: error: 'two' is not a valid param at_least; expected a whole number"])
    }

    @Test func unknownKind() {
        let found = Self.lint([
            "kind.yaml": "id: k\ntitle: K\nseverity: low\nkind: windowed\nmatch: measures.srs < 30\nmessage: low\n"
        ])
        #expect(
            found == [
                "site/kind.yaml:4:7: error: unknown kind 'windowed'; did you mean 'window'? (kinds: "
                    + BuiltinKinds.registry.names.joined(separator: ", ") + ")"
            ])
    }

    @Test func expressionSyntaxErrorAtTheBadToken() {
        let found = Self.lint([
            "syntax.yaml": """
            id: bad-syntax
            title: Bad syntax
            severity: low
            kind: threshold
            where: attendance == 'attended' and
            match: measures.srs < < 30
            message: "low"
            """
        ])
        #expect(
            found == [
                "site/syntax.yaml:5:36: error: in 'where': expression ends too soon; expected a value",
                "site/syntax.yaml:6:23: error: in 'match': unexpected '<'; expected a value",
            ])
    }

    @Test func unknownMeasureAndSetInAFoldedBlockAreLocatedOnTheirOwnLines() {
        let found = Self.lint([
            "names.yaml": """
            id: bad-names
            title: Bad names
            severity: low
            kind: threshold
            match: >-
              measures.srs < srs_cutoff
              and overlaps(rupture.markers, withdrawl_markers)
              or measures.ssr < 30
            message: "low"
            """
        ])
        #expect(
            found == [
                "site/names.yaml:7:33: error: in 'match': unknown name 'withdrawl_markers'; did you mean 'withdrawal_markers'?",
                "site/names.yaml:8:15: error: in 'match': unknown measure 'ssr'; did you mean 'srs'?",
            ])
    }

    @Test func typeError() {
        let found = Self.lint([
            "types.yaml":
                "id: t\ntitle: T\nseverity: low\nkind: threshold\nmatch: measures.srs == 'high'\nmessage: low\n"
        ])
        #expect(found == ["site/types.yaml:5:21: error: in 'match': cannot compare a number with a string"])
    }

    @Test func placeholderTheKindDoesNotProvide() {
        let found = Self.lint([
            "message.yaml": """
            id: m
            title: M
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "SRS {measures.srs} is {cnt} on {date}"
            """
        ])
        #expect(
            found == [
                "site/message.yaml:6:33: error: placeholder '{cnt}' is not provided by kind threshold (it provides: "
                    + "client, episode, therapist, opened, closed, sessions, date, and record paths such as measures.srs)"
            ])
    }

    @Test func duplicateIdsAcrossPacksReportBothPlaces() {
        let site = PackSource(
            name: "site",
            files: [
                .init(
                    path: "site/pack.yaml", relativePath: "pack.yaml", bytes: Array("name: site\nversion: 1.0.0\n".utf8)
                ),
                .init(path: "site/low.yaml", relativePath: "low.yaml", bytes: Array(Self.goodRule.utf8)),
            ])
        let base = PackSource(
            name: "base",
            files: [
                .init(path: "base/pack.yaml", relativePath: "pack.yaml", bytes: Array(Self.pack.utf8)),
                .init(path: "base/low.yaml", relativePath: "low.yaml", bytes: Array(Self.goodRule.utf8)),
            ])
        let found = PackLoader(registry: BuiltinKinds.registry).load([base, site]).diagnostics.sortedByLocation().map(
            \.description)
        #expect(
            found == [
                "base/low.yaml:1:5: error: duplicate rule id 'low-srs', also defined at site/low.yaml:1:5",
                "site/low.yaml:1:5: error: duplicate rule id 'low-srs', also defined at base/low.yaml:1:5; add 'override: true' to replace it",
            ])
    }

    @Test func caseloadRuleNamingAnUnknownRule() {
        let found = Self.lint([
            "low-srs.yaml": Self.goodRule,
            "cluster.yaml": """
            id: cluster
            title: Cluster
            severity: high
            kind: caseload
            params: {rules: [low-sr], at_least: 2}
            message: "{count} clients"
            tests:
              - name: nothing
                records: [{date: 2026-01-08, attendance: attended}]
                expect: []
            """,
        ])
        #expect(
            found == [
                "site/cluster.yaml:5:18: error: rule 'cluster' reads unknown rule 'low-sr'; did you mean 'low-srs'?"
            ])
    }

    @Test func inlineTestWithInvalidRecords() {
        let found = Self.lint([
            "tested.yaml": """
            id: tested
            title: Tested
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "low"
            tests:
              - name: a bad record
                records:
                  - {date: 2026-01-08, attendance: atended, measures: {srs: 50}}
                expect: []
            """
        ])
        #expect(
            found == [
                "site/tested.yaml:10:40: error: test record: 'atended' is not a valid attendance (attended, cancelled, late-cancel, no-show); did you mean 'attended'?",
                "site/tested.yaml:10:65: error: test record: srs 50 is out of range 0–40",
            ])
    }

    @Test func ruleWithoutTestsIsAWarning() {
        let found = Self.lint([
            "untested.yaml":
                "id: untested\ntitle: U\nseverity: low\nkind: threshold\nmatch: measures.srs < 30\nmessage: low\n"
        ])
        #expect(found == ["site/untested.yaml:1:1: warning: rule 'untested' has no tests"])
        let report = LintReport(
            ruleSet: Fixtures.ruleSet(
                [
                    "pack.yaml": Self.pack,
                    "untested.yaml":
                        "id: untested\ntitle: U\nseverity: low\nkind: threshold\nmatch: measures.srs < 30\nmessage: low\n",
                ], alone: true), files: [])
        #expect(report.exitStatus(warningsAsErrors: false) == 0)
        #expect(report.exitStatus(warningsAsErrors: true) == 1)
    }

    @Test func scenarioNamingUnknownRules() {
        let found = Self.lint([
            "low-srs.yaml": Self.goodRule,
            "week.test.yaml": """
            name: a week
            as_of: 2026-01-10
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{rule: low-sr}]
            expect_absent: [low-srs, no-such-rule]
            """,
        ])
        #expect(
            found == [
                "site/week.test.yaml:4:10: error: scenario expects unknown rule 'low-sr'; did you mean 'low-srs'?",
                "site/week.test.yaml:5:26: error: scenario expects no finding of unknown rule 'no-such-rule'",
            ])
    }

    @Test func allProblemsOfAllPacksInOnePass() {
        let found = Self.lint([
            "a.yaml": "id: a\ntitle: A\nseverity: low\nkind: windowed\nmessage: low\n",
            "b.yaml": "id: b\ntitle: B\nseverity: extreme\nkind: threshold\nmatch: measures.srs < 30\nmessage: low\n",
        ])
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("site/a.yaml:4:7: error: unknown kind 'windowed'"))
        #expect(
            found[1] == "site/b.yaml:3:11: error: 'extreme' is not a valid severity (info, low, medium, high, critical)"
        )
    }
}
