import Testing

@testable import AttuneCore

/// The review's sorts move values into order by position (`Engine.permute`) and merges move
/// elements (`append(movingFrom:)`) rather than copy them: each must give exactly what sorting or
/// appending the values whole gave, ties included.
struct PrioritySortTests {
    /// Findings with many ties: a handful of severities, days, rules, and open or closed.
    private func findings(_ count: Int, seed: UInt64) -> [ReportedFinding] {
        var generator = YAMLTestRandom(seed: seed)
        return (0..<count).map { position in
            let opened = Day(number: Int32.random(in: 0..<4, using: &generator))
            let finding = Finding(
                rule: ["gap", "drop", "rupture"].randomElement(using: &generator)!,
                severity: Severity.allCases.randomElement(using: &generator)!,
                subject: .episode(client: "C-\(position)", episode: "1"), therapist: "T-1", opened: opened,
                closed: Bool.random(using: &generator) ? nil : opened.adding(days: 7), records: [],
                message: "finding \(position)", evidence: [:])
            return ReportedFinding(finding: finding, status: .new, title: "", guidance: "")
        }
    }

    /// The order as it was before: a stable sort of the values themselves.
    private func sortedWhole(_ items: [ReportedFinding]) -> [String] {
        items.sorted { a, b in
            if a.finding.severity != b.finding.severity { return a.finding.severity > b.finding.severity }
            if (a.finding.closed == nil) != (b.finding.closed == nil) { return a.finding.closed == nil }
            if a.finding.opened != b.finding.opened { return a.finding.opened > b.finding.opened }
            return a.finding.rule < b.finding.rule
        }.map(\.finding.message)
    }

    @Test(arguments: [0, 1, 2, 3, 17, 200])
    func sortingByPriorityMatchesSortingTheFindingsWhole(_ count: Int) {
        for seed in UInt64(1)...5 {
            var items = findings(count, seed: seed)
            let expected = sortedWhole(items)
            ReviewBuilder.sortByPriority(&items)
            #expect(items.map(\.finding.message) == expected)
        }
    }

    @Test(arguments: [0, 1, 2, 3, 17, 200])
    func sortingClientsMatchesSortingTheReviewsWhole(_ count: Int) {
        var generator = YAMLTestRandom(seed: 11)
        var clients = (0..<count).map { position in
            ClientReview(
                client: "C-\(Int.random(in: 0..<5, using: &generator))", episode: "\(position)", therapist: "T-1",
                findings: findings(Int.random(in: 1..<4, using: &generator), seed: UInt64(position)),
                trajectory: Trajectory())
        }
        let expected = clients.sorted { a, b in
            if a.highestSeverity != b.highestSeverity { return a.highestSeverity > b.highestSeverity }
            if a.findings.count != b.findings.count { return a.findings.count > b.findings.count }
            return (a.client, a.episode) < (b.client, b.episode)
        }.map { "\($0.client)/\($0.episode)" }
        ReviewBuilder.sortClients(&clients)
        #expect(clients.map { "\($0.client)/\($0.episode)" } == expected)
    }

    @Test func appendingByMovingMatchesAppendingACopy() {
        for (first, second) in [(0, 0), (0, 3), (2, 0), (3, 5), (100, 257)] {
            var all = (0..<first).map { "a\($0)" }
            var part = (0..<second).map { "b\($0)" }
            let expected = all + part
            all.append(movingFrom: &part)
            #expect(all == expected)
            #expect(part.isEmpty && part.capacity == 0)
        }
    }

    @Test func highestSeverityIsTheMostSevereOfClientsAndCaseload() {
        let items = findings(30, seed: 3)
        let expected = items.map(\.finding.severity).max()
        let review = TherapistReview(
            id: "T-1",
            clients: [
                ClientReview(
                    client: "C-1", episode: "1", therapist: "T-1", findings: Array(items[..<10]),
                    trajectory: Trajectory()),
                ClientReview(client: "C-2", episode: "1", therapist: "T-1", findings: [], trajectory: Trajectory()),
            ],
            caseload: Array(items[10...]), clientCount: 2)
        #expect(review.highestSeverity == expected)
        #expect(TherapistReview(id: "T-2", clients: [], caseload: [], clientCount: 0).highestSeverity == nil)
        #expect(review.clients[1].highestSeverity == .info)
    }
}
