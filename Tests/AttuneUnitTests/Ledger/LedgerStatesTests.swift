import AttuneCore
import AttuneLedger
import Testing

/// How decisions give a finding's state: the latest counts; a snooze ends on its date, when the
/// severity rises, or with a new finding (a new id) when it closes and opens again.
@Suite struct LedgerStatesTests {
    static func decision(
        _ kind: LedgerDecision.Kind, until: String? = nil, severity: Severity = .medium, sequence: Int = 1,
        action: String? = nil, due: String? = nil
    ) -> LedgerDecision {
        LedgerDecision(
            sequence: sequence, kind: kind, on: Fixtures.day("2026-11-20"), recordedAt: "2026-11-20T09:00:00Z", by: "A",
            note: kind == .discuss ? "n" : nil, action: action, due: due.map(Fixtures.day),
            until: until.map(Fixtures.day),
            reason: kind == .discuss ? nil : "r", severity: severity)
    }

    @Test func noDecisionIsOpen() {
        #expect(LedgerStates.status(decisions: [], severity: .high, asOf: Fixtures.day("2026-11-29")) == .open)
    }

    @Test func aSnoozeLastsUntilItsDate() {
        let snooze = [Self.decision(.snooze, until: "2026-12-07")]
        #expect(
            LedgerStates.status(decisions: snooze, severity: .medium, asOf: Fixtures.day("2026-12-06")).state
                == .snoozed)
        let back = LedgerStates.status(decisions: snooze, severity: .medium, asOf: Fixtures.day("2026-12-07"))
        #expect(back.state == .open)
        #expect(back.resurfaced == "the snooze ended on 2026-12-07")
        #expect(back.decision?.kind == .snooze)
    }

    @Test func aSnoozeOrDismissalEndsWhenSeverityRises() {
        for kind in [LedgerDecision.Kind.snooze, .dismiss] {
            let trail = [Self.decision(kind, until: "2027-01-01", severity: .medium)]
            #expect(
                LedgerStates.status(decisions: trail, severity: .medium, asOf: Fixtures.day("2026-11-29")).isSetAside)
            #expect(LedgerStates.status(decisions: trail, severity: .low, asOf: Fixtures.day("2026-11-29")).isSetAside)
            let risen = LedgerStates.status(decisions: trail, severity: .high, asOf: Fixtures.day("2026-11-29"))
            #expect(risen.state == .open)
            #expect(risen.resurfaced == "severity rose from medium to high")
        }
    }

    @Test func theLatestDecisionCounts() {
        let trail = [
            Self.decision(.dismiss), Self.decision(.reopen, sequence: 2), Self.decision(.discuss, sequence: 3),
        ]
        #expect(
            LedgerStates.status(decisions: trail, severity: .medium, asOf: Fixtures.day("2026-11-29")).state
                == .discussed)
        #expect(
            LedgerStates.status(decisions: Array(trail.prefix(2)), severity: .medium, asOf: Fixtures.day("2026-11-29"))
                .state == .open)
    }

    @Test func aFindingThatClosesAndOpensAgainIsANewFinding() {
        let subject = Finding.Subject.episode(client: "C-1", episode: "1")
        let first = FindingID.of(rule: "unresolved-rupture", subject: subject, opened: Fixtures.day("2026-11-02"))
        let again = FindingID.of(rule: "unresolved-rupture", subject: subject, opened: Fixtures.day("2026-11-23"))
        #expect(first != again)
        #expect(FindingID.isWellFormed(first) && FindingID.isWellFormed(again))
        #expect(first == FindingID.of(rule: "unresolved-rupture", subject: subject, opened: Fixtures.day("2026-11-02")))
        #expect(
            first
                != FindingID.of(
                    rule: "unresolved-rupture", subject: .episode(client: "C-1", episode: "2"),
                    opened: Fixtures.day("2026-11-02")))
        #expect(
            first
                != FindingID.of(
                    rule: "unresolved-rupture", subject: .therapist("C-1"), opened: Fixtures.day("2026-11-02")))
    }

    @Test func idsDoNotDependOnTheProcess() {
        // Swift's Hasher is seeded per process; the id must not be: this value was computed once and must never change.
        #expect(
            FindingID.of(
                rule: "risk-item-endorsed", subject: .episode(client: "C-1018", episode: "1"),
                opened: Fixtures.day("2026-11-26"))
                == "vjzf7rqn2d")
    }

    @Test func anActionIsDueWhileItsDiscussionIsTheLatestDecision() {
        let agreed = Self.decision(.discuss, action: "Call the GP", due: "2026-12-01")
        #expect(LedgerStates.actionDue(decisions: [agreed], asOf: Fixtures.day("2026-11-30")) == nil)
        #expect(LedgerStates.actionDue(decisions: [agreed], asOf: Fixtures.day("2026-12-01")) == agreed)
        #expect(
            LedgerStates.actionDue(
                decisions: [agreed, Self.decision(.discuss, sequence: 2)], asOf: Fixtures.day("2026-12-05")) == nil)
    }
}
