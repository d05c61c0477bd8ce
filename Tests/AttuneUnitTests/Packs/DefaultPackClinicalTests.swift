import AttuneAuthoring
import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// The clinical review of the default pack (issue 10): each defect it found, as a test that
/// fails on the pack before the fix. The rules' own inline tests cover the rest.
struct DefaultPackClinicalTests {
    static func review(_ yaml: String, week: String = "2026-W48") -> Review {
        var request = ReviewRequest()
        request.setWeek(Day(isoWeek: week)!)
        return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.batch(yaml), request: request)
    }

    static func findings(_ review: Review, rule: String) -> [Finding] {
        review.therapists.flatMap { $0.clients.flatMap(\.findings) + $0.caseload }.map(\.finding).filter {
            $0.rule == rule
        }
    }

    static func unjudged(_ review: Review, rule: String) -> Int {
        review.dataQuality.unjudged.first { $0.rule == rule }?.records ?? 0
    }

    static func evaluate(_ text: String, on records: String, at index: Int) throws -> Value {
        let compiled = try ExpressionCompiler(vocabulary: Fixtures.vocabulary).compile(text, expecting: nil).get()
        let (decoded, problems) = Fixtures.records(records, defaults: .ruleTests)
        #expect(problems.isEmpty, "\(problems)")
        let timeline = Timeline(client: "C-1", episode: "1", records: decoded)
        return try compiled.evaluate(EvaluationRow(timeline: timeline, index: index))
    }

    // MARK: 1. Baselines

    static let intakeWithoutORS = """
        - {date: 2026-01-05, attendance: attended}
        - {date: 2026-01-12, attendance: no-show, measures: {ors: 30}}
        - {date: 2026-01-19, attendance: attended, session: 3, measures: {ors: 15}}
        - {date: 2026-01-26, attendance: attended, measures: {ors: 14}}
        """

    @Test func baselineIsTheFirstRecordedValueNotTheIntakeSession() throws {
        #expect(try Self.evaluate("first.measures.ors", on: Self.intakeWithoutORS, at: 3) == .null)
        #expect(try Self.evaluate("baseline.measures.ors", on: Self.intakeWithoutORS, at: 3) == .number(15))
        #expect(
            try Self.evaluate("baseline.ors.date", on: Self.intakeWithoutORS, at: 3)
                == .date(Fixtures.day("2026-01-19")))
        #expect(try Self.evaluate("baseline.ors.session", on: Self.intakeWithoutORS, at: 3) == .number(3))
        #expect(try Self.evaluate("baseline.ors.attended_n", on: Self.intakeWithoutORS, at: 3) == .number(2))
    }

    @Test func aBaselineIsNeverTakenFromALaterRecord() throws {
        #expect(try Self.evaluate("baseline.measures.ors", on: Self.intakeWithoutORS, at: 0) == .null)
    }

    @Test func baselineMistakesAreLintErrorsWithTheWayToWriteIt() {
        let compiler = ExpressionCompiler(vocabulary: Fixtures.vocabulary)
        for (text, wanted) in [
            ("baseline.measures.orz", "did you mean 'ors'"), ("baseline.ors", "baseline.ors.date"),
            ("baseline", "baseline.measures.NAME"),
        ] {
            guard case .failure(.errors(let errors)) = compiler.compile(text, expecting: nil) else {
                Issue.record("\(text) compiled")
                continue
            }
            #expect(errors.contains { $0.message.contains(wanted) }, "\(text): \(errors)")
        }
    }

    @Test func explainShowsWhereTheBaselineCameFrom() throws {
        let (records, _) = Fixtures.records(
            Self.intakeWithoutORS + """

                - {date: 2026-02-02, attendance: attended, measures: {ors: 15}}
                """, defaults: .ruleTests)
        let explanation = try Explainer(ruleSet: Fixtures.defaultRuleSet)
            .explain(ruleID: "not-on-track", records: records, client: "C-1", episode: nil, asOf: nil)
        let reads = explanation.sections.flatMap(\.steps).flatMap(\.evaluations).flatMap(\.reads).map(\.path)
        #expect(reads.contains("baseline.measures.ors (from 2026-01-19, session 3, attended session 2)"), "\(reads)")
    }

    // MARK: 2. Missing data is not risk

    /// Four new clients of one therapist, two sessions each, from an export that carries no bookings.
    static let exportWithoutBookings = """
        - {client: C-1, therapist: T-01, date: 2026-11-16, attendance: attended, measures: {srs: 38}}
        - {client: C-1, therapist: T-01, date: 2026-11-23, attendance: attended, measures: {srs: 39}}
        - {client: C-2, therapist: T-01, date: 2026-11-17, attendance: attended, measures: {srs: 38}}
        - {client: C-2, therapist: T-01, date: 2026-11-24, attendance: attended, measures: {srs: 38}}
        - {client: C-3, therapist: T-01, date: 2026-11-18, attendance: attended, measures: {srs: 37}}
        - {client: C-3, therapist: T-01, date: 2026-11-25, attendance: attended, measures: {srs: 39}}
        - {client: C-4, therapist: T-01, date: 2026-11-19, attendance: attended, measures: {srs: 38}}
        - {client: C-4, therapist: T-01, date: 2026-11-26, attendance: attended, measures: {srs: 38}}
        """

    @Test func anExportWithoutBookingsMakesNoNewClientADropoutRisk() {
        let review = Self.review(Self.exportWithoutBookings)
        #expect(Self.findings(review, rule: "early-dropout-risk").isEmpty)
        #expect(Self.findings(review, rule: "caseload-dropout-cluster").isEmpty)
        #expect(!review.dataQuality.bookingsRecorded)
        #expect(Self.unjudged(review, rule: "early-dropout-risk") == 8)
        let text = ReportFixtures.render("text", review).replacingOccurrences(of: "\n  ", with: " ")
        #expect(text.contains("bookings are not recorded"), "\(text)")
    }

    @Test func whereBookingsAreRecordedNothingBookedStillCounts() {
        let review = Self.review(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-16, attendance: attended, next_appointment: 2026-11-23}
            - {client: C-1, therapist: T-01, date: 2026-11-23, attendance: late-cancel}
            - {client: C-2, therapist: T-01, date: 2026-11-17, attendance: attended}
            - {client: C-2, therapist: T-01, date: 2026-11-24, attendance: late-cancel}
            """)
        #expect(review.dataQuality.bookingsRecorded)
        #expect(Self.findings(review, rule: "early-dropout-risk").map(\.subject.client) == ["C-2"])
        #expect(Self.findings(review, rule: "early-dropout-risk").first?.severity == .medium)
    }

    @Test func earlyDropoutRiskSaysItIsAHeuristic() throws {
        let rule = try #require(Fixtures.defaultRuleSet.rule("early-dropout-risk"))
        #expect(rule.severity == .medium)
        #expect(rule.message.source.contains("local heuristic, not a validated prediction"))
    }

    // MARK: 3. PHQ-9 item 9

    @Test func missedAppointmentsAreNotMissingRiskAnswers() {
        let review = Self.review(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-02, attendance: attended, measures: {phq9: 12, phq9_i9: 0}}
            - {client: C-1, therapist: T-01, date: 2026-11-09, attendance: no-show}
            - {client: C-1, therapist: T-01, date: 2026-11-16, attendance: cancelled}
            - {client: C-1, therapist: T-01, date: 2026-11-23, attendance: late-cancel}
            """)
        #expect(Self.unjudged(review, rule: "risk-item-endorsed") == 0, "\(review.dataQuality.unjudged)")
    }

    @Test func itemNineGivesTheResponseWordingAndIsNotAnAlertChannel() throws {
        let review = Self.review(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-24, attendance: attended, measures: {phq9: 17, phq9_i9: 2}}
            """)
        let finding = try #require(Self.findings(review, rule: "risk-item-endorsed").first)
        #expect(
            finding.message.contains(
                "answered 2 on 2026-11-24 (1 several days, 2 more than half the days, 3 nearly every day)"))
        let rule = try #require(Fixtures.defaultRuleSet.rule("risk-item-endorsed"))
        #expect(rule.guidance.contains("not an alert channel"))
        #expect(rule.guidance.contains("a 0 does not rule risk out"))
    }

    @Test func aTotalWithoutItemNineIsAFinding() {
        let review = Self.review(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-24, attendance: attended, measures: {phq9: 17}}
            """)
        #expect(Self.findings(review, rule: "missing-risk-item").count == 1)
    }

    // MARK: 4. Repair is never held against a therapist

    @Test func onlyRupturesWithNoRepairAttemptMakeACluster() throws {
        let rule = try #require(Fixtures.defaultRuleSet.rule("caseload-rupture-cluster"))
        #expect(rule.inputRules == ["rupture-without-repair-attempt"])
        #expect(rule.guidance.contains("More coded ruptures often means better noticing"))
        let dropout = try #require(Fixtures.defaultRuleSet.rule("caseload-dropout-cluster"))
        #expect(dropout.parameters["share"] != nil && dropout.parameters["share"] != .number(0))
    }

    // MARK: 5. Rupture coding

    @Test func aRuptureWithoutIntensityIsNotRecordedNotThree() throws {
        let yaml = """
            - {client: C-1, therapist: T-01, date: 2026-11-10, attendance: attended, rupture: {type: withdrawal, reported_by: client}}
            - {client: C-1, therapist: T-01, date: 2026-11-17, attendance: attended}
            - {client: C-1, therapist: T-01, date: 2026-11-24, attendance: attended}
            """
        let (records, problems) = Fixtures.records(yaml)
        #expect(problems.isEmpty)
        #expect(records.first?.rupture?.intensity == nil)
        let review = Self.review(yaml)
        #expect(Self.findings(review, rule: "unresolved-rupture").isEmpty)
        #expect(Self.unjudged(review, rule: "unresolved-rupture") == 1)
        #expect(Self.unjudged(review, rule: "rupture-without-repair-attempt") == 1)
        let markdown = ReportFixtures.render(
            "markdown",
            Self.review(
                yaml + """

                    - {client: C-1, therapist: T-01, date: 2026-11-25, attendance: attended, measures: {phq9: 17, phq9_i9: 1}}
                    """))
        #expect(markdown.contains("intensity not recorded"), "\(markdown)")
        #expect(markdown.contains("reported by the client"))
    }

    @Test func unresolvedRuptureSaysWhetherARepairWasAttempted() throws {
        let review = Self.review(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-02, attendance: attended, rupture: {type: confrontation, intensity: 4, reported_by: observer}}
            - {client: C-1, therapist: T-01, date: 2026-11-09, attendance: attended, repair: partial}
            - {client: C-1, therapist: T-01, date: 2026-11-16, attendance: attended}
            - {client: C-2, therapist: T-01, date: 2026-11-02, attendance: attended, rupture: {type: withdrawal, intensity: 3}}
            - {client: C-2, therapist: T-01, date: 2026-11-09, attendance: attended}
            - {client: C-2, therapist: T-01, date: 2026-11-16, attendance: attended}
            """)
        let messages = Self.findings(review, rule: "unresolved-rupture").map(\.message)
        #expect(messages.count == 2)
        #expect(
            messages.contains { $0.contains("reporter: observer") && $0.contains("partial repair since: 2026-11-09") },
            "\(messages)")
        #expect(
            messages.contains {
                $0.contains("reporter: not recorded") && $0.contains("resolved in session: none")
                    && $0.contains("partial repair since: none")
            }, "\(messages)")
    }

    @Test func lintWarnsWhenMarkersDoNotFitTheRuptureType() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "coded.yaml": """
            id: any-rupture
            title: Any rupture
            severity: info
            kind: threshold
            match: has(rupture)
            message: "rupture"
            tests:
              - name: withdrawal markers on a confrontation rupture
                records:
                  - {date: 2026-01-05, attendance: attended, rupture: {type: confrontation, markers: [minimal-response, complaint-about-therapist]}}
                  - {date: 2026-01-12, attendance: attended, rupture: {type: mixed, markers: [minimal-response, complaint-about-therapist]}}
                expect: [{opened: 2026-01-05}, {opened: 2026-01-12}]
            """,
        ])
        let warnings = ruleSet.diagnostics.filter { $0.location.file.hasPrefix("site/") }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(
            warnings.first?.description
                == "site/coded.yaml:10:9: warning: test record: a confrontation rupture with withdrawal markers (minimal-response): if the session had both, code it as 'mixed'"
        )
    }

    @Test func noteTagsAreNotWithdrawalRuptures() throws {
        let rule = try #require(Fixtures.defaultRuleSet.rule("repeated-distancing"))
        #expect(!rule.expressions.values.contains { $0.source.contains("tags") })
        #expect(Fixtures.defaultRuleSet.rule("distancing-noted")?.severity == .info)
        #expect(Fixtures.vocabulary.sets["withdrawal_markers"]?.members.contains("self-criticism-hopelessness") == true)
        #expect(Fixtures.vocabulary.sets["withdrawal_markers"]?.members.count == 7)
    }

    // MARK: 6. Wording and constants

    @Test func messagesSayWhatTheDataShows() throws {
        let gap = try #require(Fixtures.defaultRuleSet.rule("disengagement-gap")).message.source
        #expect(gap.contains("without an attended appointment") && !gap.contains("without contact"))
        #expect(
            try #require(Fixtures.defaultRuleSet.rule("missing-alliance-measure")).message.source.contains(
                "harder to see"))
    }

    /// Guidance asks; it never presumes what the therapist did wrong ("rather than defensive") or
    /// labels the client ("resistant"). A word list cannot prove reflectiveness, but it keeps
    /// these ones out.
    @Test func guidanceNeverPresumesBlame() {
        let blaming = [
            "defensive", "resistan", "non-compliant", "noncompliant", "unmotivated", "failed to", "should have",
            "your mistake",
        ]
        for rule in Fixtures.defaultRuleSet.rules {
            let text = (rule.guidance + " " + rule.message.source).lowercased()
            for word in blaming { #expect(!text.contains(word), "\(rule.id) says '\(word)'") }
        }
    }

    /// An export without bookings once read "last booking recorded: not recorded".
    @Test func aGapWithoutBookingsSaysSoPlainly() throws {
        let review = Self.review(
            """
            - {client: C-1, therapist: T-1, date: 2026-10-20, session: 1, attendance: attended, measures: {srs: 38}}
            - {client: C-2, therapist: T-1, date: 2026-11-24, session: 1, attendance: attended, measures: {srs: 38}}
            """)
        let gap = try #require(Self.findings(review, rule: "disengagement-gap").first)
        #expect(gap.message.hasSuffix("(latest booking since then: not recorded)"), "\(gap.message)")
    }

    @Test func aSiteConstantChangesEveryRuleThatNamesIt() throws {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML + "constants: {phq9_reliable_change: 5}\n"
        ])
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        #expect(ruleSet.rule("phq9-deterioration")?.parameters["by"] == .number(5))
        let typo = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "drop.yaml": """
            id: site-drop
            title: Drop
            severity: low
            kind: change
            params: {measure: srs, by: srs_dorp}
            message: "drop"
            """,
        ])
        #expect(
            typo.diagnostics.errors.map(\.description).contains {
                $0.contains("'srs_dorp' is not a valid param by; expected a number; did you mean 'srs_drop'?")
            }, "\(typo.diagnostics)")
    }

    @Test func aConstantMaySayItsSource() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML + """
                constants:
                  srs_cutoff: {value: 34, source: "site audit: local default"}
                  site_limit: {valu: 3}
                """
        ])
        #expect(ruleSet.vocabulary.constants["srs_cutoff"]?.value == .number(34))
        #expect(ruleSet.vocabulary.constants["srs_cutoff"]?.source == "site audit: local default")
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(messages.contains("unknown key 'valu' in a constant; did you mean 'value'?"), "\(messages)")
    }

    @Test func aMisspeltMeasureKeyIsNamedWithTheMeasure() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML + """
                measures:
                  srs: {title: Session Rating Scale, range: [0, 40], beter: higher}
                """
        ])
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(messages.contains("unknown key 'beter' in measure srs; did you mean 'better'?"), "\(messages)")
    }

    /// Numbers live in pack.yaml with their source; rules name them. `length: 1` (a streak of
    /// one record) is the shape of a rule, not a threshold, and signal points are local weights.
    @Test func everyNumberIsANamedConstantWithItsSource() throws {
        for (name, constant) in Fixtures.vocabulary.constants {
            #expect(constant.source?.isEmpty == false, "constant \(name) says neither its source nor 'local default'")
        }
        for rule in Fixtures.defaultRuleSet.rules {
            let text = try String(contentsOfFile: Fixtures.repositoryRoot + "/" + rule.location.file, encoding: .utf8)
            let body = text.components(separatedBy: "\ntests:")[0]
            for line in body.split(separator: "\n") where line.hasPrefix("  ") && !line.hasPrefix("   ") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let value = parts[1].split(separator: " ").first, Double(value) != nil else {
                    continue
                }
                #expect(
                    parts[0] == "length" && value == "1",
                    "\(rule.id): param \(parts[0]) is a bare number; name a pack constant")
            }
            for expression in rule.expressions.values where rule.id != "risk-item-endorsed" {
                #expect(
                    expression.source.range(of: #"[<>=] *[0-9]"#, options: .regularExpression) == nil,
                    "\(rule.id): '\(expression.source)' compares with a bare number; name a pack constant")
            }
        }
    }
}
