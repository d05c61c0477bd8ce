import AttuneCore
import AttuneKinds
import Testing

/// The `caseload` kind's edges: point findings, closing when fewer than K clients remain,
/// clients counted once, and the as-of date.
struct CaseloadKindTests {
    private func kind(_ rules: [String] = ["r1", "r2"], atLeast: Int) throws -> CaseloadKind {
        // The declared defaults, filled in as the loader fills them in.
        let defaults = CaseloadKind.declaration.parameters.compactMap { parameter in
            parameter.defaultValue.map { (parameter.name, $0) }
        }
        let given: [String: ParameterValue] = ["rules": .strings(rules), "at_least": .integer(atLeast)]
        return try CaseloadKind(
            configuration: KindConfiguration(
                parameters: Dictionary(uniqueKeysWithValues: defaults).merging(given) { $1 },
                vocabulary: Fixtures.vocabulary))
    }

    private func finding(
        _ client: String, _ opened: String, _ closed: String?, rule: String = "r1", episode: String = "1"
    ) -> ReadFinding {
        ReadFinding(
            rule: rule, subject: .episode(client: client, episode: episode), opened: Fixtures.day(opened),
            closed: closed.map(Fixtures.day))
    }

    private func spans(_ kind: CaseloadKind, _ findings: [ReadFinding], asOf: String = "2026-12-31") -> [String] {
        kind.detect(in: CaseloadView(therapist: "T-1", findings: findings, asOf: Fixtures.day(asOf)))
            .map { "\($0.opened)…\($0.closed?.description ?? "open")" }
    }

    @Test func pointFindingsCountOnTheirOwnDayOnly() throws {
        let kind = try kind(atLeast: 2)
        #expect(
            spans(kind, [finding("C-1", "2026-01-05", "2026-01-05"), finding("C-2", "2026-01-05", "2026-01-05")])
                == ["2026-01-05…2026-01-06"])
        #expect(
            spans(kind, [finding("C-1", "2026-01-05", "2026-01-05"), finding("C-2", "2026-01-06", "2026-01-06")])
                .isEmpty)
    }

    @Test func aFindingIsNoLongerOpenOnTheDayItCloses() throws {
        let kind = try kind(atLeast: 2)
        // C-1's finding closed on 01-10, the day C-2's point finding happens: no overlap.
        #expect(
            spans(kind, [finding("C-1", "2026-01-01", "2026-01-10"), finding("C-2", "2026-01-10", "2026-01-10")])
                .isEmpty)
        #expect(
            spans(kind, [finding("C-1", "2026-01-01", "2026-01-10"), finding("C-2", "2026-01-09", "2026-01-09")])
                == ["2026-01-09…2026-01-10"])
    }

    @Test func closesWhenFewerThanKRemainAndOpensAgain() throws {
        let findings = [
            finding("C-1", "2026-01-01", "2026-01-20"),
            finding("C-2", "2026-01-05", "2026-01-10"),
            finding("C-3", "2026-01-15", nil, rule: "r2"),
        ]
        #expect(spans(try kind(atLeast: 2), findings) == ["2026-01-05…2026-01-10", "2026-01-15…2026-01-20"])
        #expect(spans(try kind(atLeast: 3), findings).isEmpty)
        #expect(spans(try kind(atLeast: 1), findings) == ["2026-01-01…open"])
    }

    @Test func aClientCountsOnceAcrossRulesAndEpisodes() throws {
        let kind = try kind(atLeast: 2)
        let findings = [
            finding("C-1", "2026-01-01", nil, rule: "r1"),
            finding("C-1", "2026-01-02", nil, rule: "r2"),
            finding("C-1", "2026-01-03", nil, rule: "r1", episode: "2"),
        ]
        #expect(spans(kind, findings).isEmpty)
        #expect(spans(kind, findings + [finding("C-2", "2026-01-04", "2026-01-08")]) == ["2026-01-04…2026-01-08"])
    }

    @Test func onlyTheNamedRulesCount() throws {
        let kind = try kind(["r1"], atLeast: 2)
        #expect(
            spans(kind, [finding("C-1", "2026-01-01", nil), finding("C-2", "2026-01-01", nil, rule: "r3")]).isEmpty)
    }

    @Test func aClusterHoldingAtAsOfStaysOpen() throws {
        let kind = try kind(atLeast: 2)
        let points = [finding("C-1", "2026-01-05", "2026-01-05"), finding("C-2", "2026-01-05", "2026-01-05")]
        #expect(spans(kind, points, asOf: "2026-01-05") == ["2026-01-05…open"])
        // Nothing after as-of is looked at.
        #expect(
            spans(kind, [finding("C-1", "2026-01-01", nil), finding("C-2", "2026-02-01", nil)], asOf: "2026-01-31")
                .isEmpty)
    }

    @Test func evidenceNamesTheClientsCountedWhenItOpened() throws {
        let kind = try kind(atLeast: 2)
        let drafts = kind.detect(
            in: CaseloadView(
                therapist: "T-1",
                findings: [
                    finding("C-2", "2026-01-03", nil, rule: "r2"),
                    finding("C-1", "2026-01-02", nil),
                    finding("C-3", "2026-01-09", nil),
                ], asOf: Fixtures.day("2026-01-31")))
        let draft = try #require(drafts.first)
        #expect(drafts.count == 1)
        #expect(draft.values["count"] == .number(2))
        #expect(draft.values["clients"] == .list([.string("C-1"), .string("C-2")]))
        #expect(draft.values["rules"] == .list([.string("r1"), .string("r2")]))
        #expect(
            draft.values["details"]
                == .list([.string("C-1: r1 since 2026-01-02"), .string("C-2: r2 since 2026-01-03")]))
    }

    @Test func theEngineReportsAClusterPerTherapist() throws {
        let ruleSet = Fixtures.defaultRuleSet
        let rules = try ["caseload-dropout-cluster", "early-dropout-risk", "disengagement-gap"].map {
            try #require(ruleSet.rule($0))
        }
        let (records, problems) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: no-show}
            - {client: C-2, therapist: T-1, date: 2026-03-03, attendance: no-show}
            - {client: C-3, therapist: T-1, date: 2026-03-04, attendance: no-show}
            - {client: C-4, therapist: T-2, date: 2026-03-04, attendance: no-show}
            - {client: C-5, therapist: T-2, date: 2026-03-05, attendance: no-show}
            """, defaults: .ruleTests)
        #expect(problems.isEmpty, "\(problems)")
        let asOf = Fixtures.day("2026-03-06")
        let output = Engine(rules: rules, vocabulary: ruleSet.vocabulary)
            .run(timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
        let clusters = output.findings.filter { $0.rule == "caseload-dropout-cluster" }
        #expect(clusters.map(\.subject) == [.therapist("T-1")])
        #expect(clusters.first?.opened == Fixtures.day("2026-03-04"))
        #expect(clusters.first?.closed == nil)
        #expect(
            clusters.first?.message.hasPrefix(
                "3 of T-1's 3 active clients (100%) at risk of dropping out at the same time (C-1: early-dropout-risk since 2026-03-02"
            ) == true,
            "\(clusters.first?.message ?? "")")
    }

    @Test func rulesMustNameSomething() {
        #expect(throws: KindConfigurationError.self) {
            try CaseloadKind(
                configuration: KindConfiguration(
                    parameters: ["rules": .strings([]), "at_least": .integer(2)],
                    vocabulary: Fixtures.vocabulary))
        }
    }
}
