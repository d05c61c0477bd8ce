import AttuneAuthoring
import AttuneCore
import Testing

struct FindingDiffTests {
    static func finding(
        _ rule: String, _ client: String, _ opened: String, _ closed: String?, severity: Severity = .low,
        message: String = "m"
    ) -> Finding {
        Finding(
            rule: rule, severity: severity, subject: .episode(client: client, episode: "1"), therapist: "T-1",
            opened: Day(iso: opened)!, closed: closed.map { Day(iso: $0)! }, records: [], message: message,
            evidence: [:])
    }

    @Test func pairsEqualFindingsThenOverlappingOnes() {
        let base = [
            Self.finding("a", "C-1", "2026-01-05", "2026-01-05"),
            Self.finding("a", "C-1", "2026-01-12", nil),
            Self.finding("b", "C-2", "2026-02-01", "2026-02-20"),
        ]
        let head = [
            Self.finding("a", "C-1", "2026-01-05", "2026-01-05"),
            Self.finding("a", "C-1", "2026-01-19", nil, severity: .high),
            Self.finding("b", "C-3", "2026-02-01", "2026-02-20"),
        ]
        let diff = FindingDiff(base: base, head: head)
        #expect(diff.unchanged == 1)
        #expect(diff.changed.count == 1)
        #expect(diff.changed.first?.fields == ["severity", "opened"])
        #expect(diff.added.map(\.subject.client) == ["C-3"])
        #expect(diff.removed.map(\.subject.client) == ["C-2"])
        #expect(diff.byRule.map(\.name) == ["b", "a"])
        #expect(diff.byRule.first.map { [$0.added, $0.removed, $0.changed] } == [1, 1, 0])
    }

    @Test func findingsThatDoNotOverlapAreAddedAndRemoved() {
        let diff = FindingDiff(
            base: [Self.finding("a", "C-1", "2026-01-05", "2026-01-05")],
            head: [Self.finding("a", "C-1", "2026-01-12", "2026-01-12")])
        #expect(diff.changed.isEmpty)
        #expect(diff.added.count == 1 && diff.removed.count == 1)
        #expect(!diff.isEmpty)
        #expect(FindingDiff(base: [], head: []).isEmpty)
    }
}
