import Testing

@testable import AttuneCore

/// A reported finding holds its rule's title and guidance in a box the rule's other findings share.
@Suite struct ReportedFindingTests {
    private static let finding = Finding(
        rule: "low", severity: .low, subject: .episode(client: "C-1", episode: "1"), therapist: "T-1",
        opened: Day(iso: "2026-11-02")!, closed: nil, records: [], message: "m", evidence: [:])

    @Test func settingTheTitleOrTheGuidanceChangesThatFindingAlone() {
        let words = Boxed(ReportedFinding.RuleWords(title: "Low", guidance: "What happened?"))
        let first = ReportedFinding(finding: Self.finding, status: .new, words: words)
        var second = ReportedFinding(finding: Self.finding, status: .ongoing, words: words)
        second.title = "Low SRS"
        #expect((second.title, second.guidance) == ("Low SRS", "What happened?"))
        second.guidance = "How did it feel?"
        #expect((second.title, second.guidance) == ("Low SRS", "How did it feel?"))
        #expect((first.title, first.guidance) == ("Low", "What happened?"))
    }

    @Test func thePublicInitialiserKeepsWhatItIsGiven() {
        let item = ReportedFinding(finding: Self.finding, status: .closed, title: "T", guidance: "G")
        #expect((item.title, item.guidance, item.status) == ("T", "G", .closed))
        #expect(item.finding == Self.finding)
    }

    @Test func aReviewsFindingsOfOneRuleShareItsWords() throws {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "low.yaml": """
            id: low
            title: Low
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "SRS {measures.srs}"
            guidance: What did the client say?
            """,
        ])
        let batch = ReportFixtures.batch(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-02, attendance: attended, measures: {srs: 25}}
            - {client: C-2, therapist: T-1, date: 2026-11-03, attendance: attended, measures: {srs: 20}}
            """)
        let review = ReviewBuilder(ruleSet: ruleSet).build(batch: batch, request: ReviewRequest())
        let low = review.allFindings.filter { $0.finding.rule == "low" }
        #expect(low.count == 2)
        #expect(low.allSatisfy { $0.title == "Low" && $0.guidance == "What did the client say?" })
    }

    /// A review holds every reported finding at once (issue 19's memory target).
    @Test func aReportedFindingStaysSmall() {
        #expect(MemoryLayout<ReportedFinding>.size <= 88)
    }
}
