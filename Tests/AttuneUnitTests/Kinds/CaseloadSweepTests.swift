import AttuneCore
import AttuneKinds
import Testing

/// The `caseload` kind sweeps the days on which something changes once, in order. These tests
/// hold it to the definition, judged the plain way: on every such day, look at every finding
/// and every attendance. Same clusters, same evidence, and the same branches taken (which
/// `attune test --coverage` counts), over generated caseloads.
struct CaseloadSweepTests {
    struct Configuration {
        var atLeast: Int
        var share: Double
        var activeDays: Int
    }

    static func kind(_ configuration: Configuration) throws -> CaseloadKind {
        try CaseloadKind(
            configuration: KindConfiguration(
                parameters: [
                    "rules": .strings(["r1", "r2"]), "at_least": .integer(configuration.atLeast),
                    "share": .number(configuration.share), "active_days": .integer(configuration.activeDays),
                ], vocabulary: Fixtures.vocabulary))
    }

    /// The definition, day by day: the days judged are those a finding opens or stops being
    /// open on, and with a share also the days a client attends or that attendance ages out.
    static func reference(_ view: CaseloadView, _ configuration: Configuration) -> (
        spans: [String], branches: [String: Int]
    ) {
        var branches: [String: Int] = [:]
        let findings = view.findings.filter { ["r1", "r2"].contains($0.rule) && $0.subject.client != nil }
        var days = Set<Day>()
        for finding in findings {
            days.insert(finding.opened)
            if let closed = finding.closed {
                days.insert(closed == finding.opened ? closed.adding(days: 1) : closed)
            }
        }
        if configuration.share > 0 {
            for date in view.attended.values.joined() {
                days.insert(date)
                days.insert(date.adding(days: configuration.activeDays))
            }
        }
        func active(on day: Day) -> Int {
            let since = day.adding(days: -(configuration.activeDays - 1))
            var clients = Set(findings.filter { $0.isOpen(on: day) }.compactMap(\.subject.client))
            for (client, dates) in view.attended where dates.contains(where: { $0 <= day && $0 >= since }) {
                clients.insert(client)
            }
            return clients.count
        }
        var spans: [String] = []
        var opened: (day: Day, count: Int, active: Int)?
        for day in days.sorted() where day <= view.asOf {
            let count = Set(findings.filter { $0.isOpen(on: day) }.compactMap(\.subject.client)).count
            var holds = count >= configuration.atLeast
            if holds, configuration.share > 0 {
                holds = Double(count) >= configuration.share * Double(active(on: day)) - 1e-9
                if !holds, opened == nil { branches["below the share", default: 0] += 1 }
            }
            if opened == nil, holds {
                branches["opens", default: 0] += 1
                opened = (day, count, active(on: day))
            } else if let start = opened, !holds {
                branches["closes", default: 0] += 1
                spans.append("\(start.day)…\(day) \(start.count)/\(start.active)")
                opened = nil
            } else if opened == nil, count > 0 {
                branches["falls short", default: 0] += 1
            }
        }
        if let start = opened { spans.append("\(start.day)…open \(start.count)/\(start.active)") }
        return (spans, branches)
    }

    static func caseload(_ rng: inout YAMLTestRandom) -> (findings: [ReadFinding], attended: [String: [Day]], asOf: Day)
    {
        let start = Day(year: 2026, month: 1, day: 1)!
        let clients = (0..<Int.random(in: 1...12, using: &rng)).map { "C-\($0)" }
        var findings: [ReadFinding] = []
        for _ in 0..<Int.random(in: 0...20, using: &rng) {
            let client = clients.randomElement(using: &rng)!
            let opened = start.adding(days: Int.random(in: 0...60, using: &rng))
            let closed: Day? =
                switch Int.random(in: 0...3, using: &rng) {
                case 0: nil
                case 1: opened
                default: opened.adding(days: Int.random(in: 1...20, using: &rng))
                }
            let rule = ["r1", "r2", "other"].randomElement(using: &rng)!
            let episode = String(Int.random(in: 1...2, using: &rng))
            findings.append(
                ReadFinding(
                    rule: rule, subject: .episode(client: client, episode: episode), opened: opened, closed: closed))
        }
        if Bool.random(using: &rng) {
            findings.append(ReadFinding(rule: "r1", subject: .therapist("T-1"), opened: start, closed: nil))
        }
        var attended: [String: [Day]] = [:]
        for client in clients where Int.random(in: 0...3, using: &rng) > 0 {
            let dates = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                start.adding(days: Int.random(in: -30...70, using: &rng))
            }
            attended[client] = dates.sorted()
        }
        // Now and then a date years away, so that the events span too many days for the
        // counting sort and the plain sort orders them.
        if Int.random(in: 0..<10, using: &rng) == 0, let client = clients.randomElement(using: &rng) {
            attended[client, default: []].append(start.adding(days: 3_000))
        }
        return (findings, attended, start.adding(days: Int.random(in: 10...90, using: &rng)))
    }

    @Test func theSweepAgreesWithTheDefinitionOnGeneratedCaseloads() throws {
        var rng = YAMLTestRandom(seed: 20_261_130)
        var clusters = 0
        for round in 0..<3_000 {
            let configuration = Configuration(
                atLeast: Int.random(in: 1...4, using: &rng), share: [0, 0.25, 0.5, 1].randomElement(using: &rng)!,
                activeDays: [1, 3, 14, 56].randomElement(using: &rng)!)
            let (findings, attended, asOf) = Self.caseload(&rng)
            let coverage = RuleCoverage()
            let view = CaseloadView(
                therapist: "T-1", findings: findings, asOf: asOf, attended: attended, coverage: coverage)
            let drafts = try Self.kind(configuration).detect(in: view)
            let spans = drafts.map { draft in
                let count = draft.values["count"].map { "\($0)" } ?? "?"
                let active = draft.values["active"].map { "\($0)" } ?? "?"
                return "\(draft.opened)…\(draft.closed?.description ?? "open") \(count)/\(active)"
            }
            let expected = Self.reference(view, configuration)
            #expect(spans == expected.spans, "round \(round), \(configuration)")
            #expect(coverage.branchesTaken == expected.branches, "round \(round), \(configuration)")
            if spans != expected.spans || coverage.branchesTaken != expected.branches { return }
            clusters += spans.count
        }
        // The generated caseloads do make clusters, and clusters that hold at the as-of date.
        #expect(clusters > 1_000)
    }
}
