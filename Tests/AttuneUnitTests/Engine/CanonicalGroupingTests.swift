import Testing

@testable import AttuneCore

/// Where the engine and the review sort findings into groups (by rule, by therapist, by client
/// episode) they compare ids as numbers and fall back to their text only when the numbers differ.
/// Each shortcut must group and order exactly as comparing the text would, including ids that
/// are spelt differently but equal to `String` (the Kelvin sign and K, é composed and not).
struct CanonicalGroupingTests {
    static let spellings = ["K-1", "\u{212A}-1", "C-\u{E9}", "C-e\u{301}", "T-2", ""]

    @Test func aCanonicalIdentifierIsEqualAndHashedAsItsText() {
        let ids = Self.spellings.map { CanonicalIdentifier(InternedIdentifier($0)) }
        for (a, textA) in zip(ids, Self.spellings) {
            for (b, textB) in zip(ids, Self.spellings) {
                #expect((a == b) == (textA == textB), "\(textA) against \(textB)")
                if textA == textB { #expect(a.hashValue == b.hashValue, "\(textA) against \(textB)") }
            }
        }
        #expect(Set(ids).count == Set(Self.spellings).count)
    }

    @Test func aTherapistsSlotIsFoundByTheText() {
        var slots = Engine.TherapistSlots(names: ["K-1", "T-2", "C-\u{E9}"])
        // Asked in turns and again, so that the remembered last answer is checked as well.
        for _ in 0..<2 {
            #expect(slots.slot(of: InternedIdentifier("\u{212A}-1")) == 0)
            #expect(slots.slot(of: InternedIdentifier("K-1")) == 0)
            #expect(slots.slot(of: InternedIdentifier("T-2")) == 1)
            #expect(slots.slot(of: InternedIdentifier("C-e\u{301}")) == 2)
            #expect(slots.slot(of: InternedIdentifier("T-3")) == nil)
            #expect(slots.slot(of: InternedIdentifier("T-3")) == nil)
        }
    }

    /// Findings of random rules, subjects and dates; some therapist findings among them.
    static func findings(_ count: Int, seed: UInt64) -> [Finding] {
        var generator = YAMLTestRandom(seed: seed)
        let rules = ["low-srs", "gap", "alliance-drop", "caseload-cluster"]
        return (0..<count).map { _ in
            let spelling = spellings.randomElement(using: &generator)!
            let subject: Finding.Subject =
                Int.random(in: 0..<5, using: &generator) == 0
                ? .therapist(spelling)
                : .episode(client: spelling, episode: ["1", "2"].randomElement(using: &generator)!)
            let opened = Fixtures.day("2026-01-05").adding(days: Int.random(in: 0..<20, using: &generator))
            return Finding(
                rule: rules.randomElement(using: &generator)!, severity: .medium, subject: subject,
                therapist: spelling, opened: opened,
                closed: Bool.random(using: &generator)
                    ? opened.adding(days: Int.random(in: 0..<5, using: &generator)) : nil,
                records: [], message: "", evidence: FindingValues([:]))
        }
    }

    /// `findingOrder` as it was written before ids were compared: on the text alone.
    static func orderByText(_ a: Finding, _ b: Finding) -> Bool {
        if a.subject != b.subject { return a.subject < b.subject }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.opened != b.opened { return a.opened < b.opened }
        return (a.closed?.number ?? .max) < (b.closed?.number ?? .max)
    }

    @Test func findingsAreOrderedAsByTheirText() {
        let findings = Self.findings(300, seed: 7)
        for a in findings.prefix(60) {
            for b in findings {
                #expect(Engine.findingOrder(a, b) == Self.orderByText(a, b))
            }
        }
        let sorted = findings.sorted(by: Self.orderByText)
        #expect(Engine.inOrder(sorted[...]))
        #expect(Engine.inOrder(sorted[10..<40]))
        #expect(!Engine.inOrder(findings[...]))
        // Neighbours that are equal, or equal but for the spelling of their ids, are in order.
        let twins = [findings[0], findings[0]]
        #expect(Engine.inOrder(twins[...]))
    }

    @Test func aRulesFindingsAreFoundWhereverTheyAre() {
        let findings = Self.findings(250, seed: 11)
        var runs = FindingRuns(expecting: findings.count, runLength: 7)
        var moved = findings
        runs.append(movingFrom: &moved)
        let rules = ["gap", "caseload-cluster", "not-a-rule"]
        let positions = Engine.positions(ofRules: rules, in: runs)
        #expect(positions.keys.sorted() == rules.sorted())
        for rule in rules {
            #expect(positions[rule] == findings.indices.filter { findings[$0].rule == rule }, "\(rule)")
        }
        #expect(positions["gap"]?.isEmpty == false)
    }
}
