import AttuneCore

/// `caseload`: at least K clients of one therapist have open findings of the named rules at once.
///
/// ```yaml
/// kind: caseload
/// params: {rules: [unresolved-rupture, repeated-distancing], at_least: 3}
/// message: "{count} of {therapist}'s clients have open rupture findings at once: {clients}"
/// ```
///
/// Per therapist, over time: the finding opens on the first day on which at least `at_least`
/// distinct clients of that therapist have an open finding of any of `rules`, and closes on the
/// first day on which fewer do; it may open again later. A finding is open on day d when it
/// opened on or before d and had not closed by d; a point finding (`opened == closed`) is open
/// on its one day only, so a cluster made of point findings closes the day after. A client
/// counts once however many findings or episodes it has. The subject is the therapist: a
/// pattern across a caseload is a question for supervision about the therapist's work, not
/// about any one client.
public struct CaseloadKind: FindingsKind {
    public static let declaration = KindDeclaration(
        name: "caseload",
        summary: "At least K distinct clients of one therapist have open findings of the named rules at once.",
        details: """
            Reads the findings of `rules`, per therapist. The finding opens on the first day on which at \
            least `at_least` distinct clients of that therapist have one of them open, and closes on the first \
            day on which fewer do; it may open again. A finding counts as open on day d when it opened on or \
            before d and had not closed by d; a point finding counts on its own day only, so a cluster of point \
            findings closes the next day. A cluster still holding at the as-of date stays open. With `share`, \
            the count must also be at least that share of the therapist's active caseload on the day: the \
            clients who attended with the therapist in the last `active_days` days, together with the clients \
            counted (so 3 of 40 is not 3 of 5). The subject is the therapist; evidence lists the clients counted \
            when it opened.
            """,
        parameters: [
            ParameterDeclaration("rules", .ruleIDs, doc: "The rules whose open findings are counted"),
            ParameterDeclaration(
                "at_least", .integer(1...10_000),
                doc: "How many distinct clients with an open finding make a cluster (K)"),
            ParameterDeclaration(
                "share", .number, default: .number(0),
                doc: "The share (0 to 1) of the active caseload those clients must also make up; 0: not used"),
            ParameterDeclaration(
                "active_days", .integer(1...3650), default: .integer(56),
                doc:
                    "A client is in the active caseload on a day when they attended with the therapist in the last this many days"
            ),
        ],
        expressions: [],
        placeholders: [
            PlaceholderDeclaration("count", "how many clients had an open finding when it opened"),
            PlaceholderDeclaration("at_least", "the param at_least"),
            PlaceholderDeclaration("active", "the therapist's active caseload when it opened (clients)"),
            PlaceholderDeclaration(
                "share", "the clients counted as a percentage of the active caseload when it opened"),
            PlaceholderDeclaration("clients", "the clients with an open finding when it opened"),
            PlaceholderDeclaration("rules", "the rules whose findings were open when it opened"),
            PlaceholderDeclaration("details", "each counted finding as 'client: rule since date'"),
        ],
        examples: [
            KindExample(
                name: "point findings of two clients on one day: a one-day cluster",
                rule: "params: {rules: [low-srs], at_least: 2}",
                records: """
                    - {client: C-1, date: 2026-01-05, attendance: attended, measures: {srs: 30}}
                    - {client: C-2, date: 2026-01-05, attendance: attended, measures: {srs: 31}}
                    - {client: C-3, date: 2026-01-12, attendance: attended, measures: {srs: 30}}
                    """,
                expect: [.init(opened: "2026-01-05", closed: "2026-01-06", therapist: "T-1")],
                supportingRules: [lowSRS]),
            KindExample(
                name: "three overlapping gaps; the cluster closes when one client returns",
                rule: "params: {rules: [no-contact], at_least: 3}",
                records: """
                    - {client: C-1, date: 2026-03-02, attendance: attended}
                    - {client: C-2, date: 2026-03-04, attendance: attended}
                    - {client: C-3, date: 2026-03-09, attendance: attended}
                    - {client: C-1, date: 2026-04-06, attendance: attended}
                    - {client: C-9, therapist: T-2, date: 2026-03-01, attendance: attended}
                    """,
                expect: [.init(opened: "2026-03-23", closed: "2026-04-06", therapist: "T-1")],
                supportingRules: [noContact]),
            KindExample(
                name: "any of the named rules counts; closes and opens again, still open at as-of",
                rule: "params: {rules: [no-contact, low-srs], at_least: 2}",
                records: """
                    - {client: C-1, date: 2026-03-02, attendance: attended}
                    - {client: C-2, date: 2026-03-04, attendance: attended, next_appointment: 2026-03-11}
                    - {client: C-2, date: 2026-03-11, attendance: attended, next_appointment: 2026-03-18}
                    - {client: C-2, date: 2026-03-18, attendance: attended, measures: {srs: 30}}
                    """,
                asOf: "2026-04-15",
                expect: [
                    .init(opened: "2026-03-18", closed: "2026-03-19", therapist: "T-1"),
                    .init(opened: "2026-04-01", closed: nil, therapist: "T-1"),
                ],
                supportingRules: [lowSRS, noContact]),
            KindExample(
                name: "share: 2 of 2 active clients is a cluster, 2 of 5 is not (near miss for T-2)",
                rule: "params: {rules: [low-srs], at_least: 2, share: 0.5}",
                records: """
                    - {client: C-1, date: 2026-01-05, attendance: attended, measures: {srs: 30}}
                    - {client: C-2, date: 2026-01-05, attendance: attended, measures: {srs: 31}}
                    - {client: C-3, therapist: T-2, date: 2026-01-05, attendance: attended, measures: {srs: 30}}
                    - {client: C-4, therapist: T-2, date: 2026-01-05, attendance: attended, measures: {srs: 31}}
                    - {client: C-5, therapist: T-2, date: 2026-01-02, attendance: attended}
                    - {client: C-6, therapist: T-2, date: 2026-01-02, attendance: attended}
                    - {client: C-7, therapist: T-2, date: 2026-01-02, attendance: attended}
                    - {client: C-1, date: 2026-01-12, attendance: attended}
                    """,
                expect: [.init(opened: "2026-01-05", closed: "2026-01-06", therapist: "T-1")],
                supportingRules: [lowSRS]),
            KindExample(
                name: "near miss: the clients are spread over two therapists",
                rule: "params: {rules: [no-contact], at_least: 3}",
                records: """
                    - {client: C-1, date: 2026-03-02, attendance: attended}
                    - {client: C-2, date: 2026-03-04, attendance: attended}
                    - {client: C-3, therapist: T-2, date: 2026-03-09, attendance: attended}
                    """,
                asOf: "2026-04-30",
                expect: [],
                supportingRules: [noContact]),
            KindExample(
                name: "near miss: findings that never overlap in time",
                rule: "params: {rules: [low-srs], at_least: 2}",
                records: """
                    - {client: C-1, date: 2026-01-05, attendance: attended, measures: {srs: 30}}
                    - {client: C-2, date: 2026-01-06, attendance: attended, measures: {srs: 31}}
                    - {client: C-1, date: 2026-01-12, attendance: attended, measures: {srs: 29}}
                    """,
                expect: [],
                supportingRules: [lowSRS]),
        ])

    /// A supporting rule for the examples: point findings.
    static let lowSRS = """
        id: low-srs
        title: Low SRS
        severity: low
        kind: threshold
        match: measures.srs < 36
        message: "SRS below 36"
        """

    /// A supporting rule for the examples: findings that last.
    static let noContact = """
        id: no-contact
        title: No contact
        severity: high
        kind: gap
        params: {days: 14}
        message: "no attended session for {days} days"
        """

    public let inputRules: [String]
    let atLeast: Int
    let share: Double
    let activeDays: Int

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        guard let rules = configuration.strings("rules"), !rules.isEmpty else {
            throw KindConfigurationError("caseload needs at least one rule id in rules", parameter: "rules")
        }
        let atLeast = try configuration.requiredInteger("at_least")
        let share = try configuration.requiredNumber("share")
        guard (0...1).contains(share) else {
            throw KindConfigurationError(
                "share must be between 0 and 1 (0.25 is a quarter of the active caseload)", parameter: "share")
        }
        self.inputRules = rules
        self.atLeast = atLeast
        self.share = share
        activeDays = try configuration.requiredInteger("active_days")
    }

    public var branches: [KindBranch] {
        var list = [KindBranch("opens", "at_least clients have an open finding at once", parameter: "at_least")]
        if atLeast > 1 {
            list.append(
                KindBranch(
                    "falls short", "some clients have an open finding, but fewer than at_least", parameter: "at_least"))
        }
        if share > 0 {
            list.append(
                KindBranch(
                    "below the share",
                    "at_least clients have an open finding, but less than the share of the active caseload",
                    parameter: "share"))
        }
        list.append(KindBranch("closes", "the count drops below at_least (or the share) again"))
        return list
    }

    /// Counts findings by their dates alone.
    public var readsValues: Bool { false }

    public func detect(in caseload: CaseloadView) -> [FindingDraft] {
        let inputs = Set(inputRules)
        let findings = caseload.findings.filter { inputs.contains($0.rule) && $0.subject.client != nil }
        // Clients as small numbers, so that the sweep below counts with arrays, not sets of strings.
        var numbers: [String: Int] = [:]
        func number(_ client: String) -> Int {
            if let number = numbers[client] { return number }
            numbers[client] = numbers.count
            return numbers.count - 1
        }
        // One sweep over the days on which something changes, in day order, instead of looking at
        // every finding on every such day: each event is a day, what happens and to which client,
        // packed in one integer so that a plain sort puts them in order (on a day, attendances
        // before the ends of the active spells they renew).
        var events: [UInt64] = []
        events.reserveCapacity(findings.count * 2)
        for finding in findings {
            let client = number(finding.subject.client ?? "")
            events.append(Self.event(finding.opened, .opens, client))
            // A point finding is open on its own day only; any other is open until the day it closed.
            if let closed = finding.closed {
                events.append(Self.event(closed == finding.opened ? closed.adding(days: 1) : closed, .ends, client))
            }
        }
        for (client, dates) in caseload.attended {
            let client = number(client)
            for date in dates {
                events.append(Self.event(date, .attends, client))
                events.append(Self.event(date.adding(days: activeDays), .leavesActive, client))
            }
        }
        events = Self.inOrder(events)

        var openFindings = [Int](repeating: 0, count: numbers.count)
        // Whether each client attended in the `activeDays` days up to the day, and the day that
        // stops being so unless they attend again: `activeDays` after their latest attendance.
        var attendedRecently = [Bool](repeating: false, count: numbers.count)
        var activeUntil = [Day](repeating: Day(number: 0), count: numbers.count)
        var clientsWithOpenFindings = 0
        // Clients who attended recently or have an open finding: the active caseload a share is of.
        var activeCaseload = 0
        func isActive(_ client: Int) -> Bool { openFindings[client] > 0 || attendedRecently[client] }
        var drafts: [FindingDraft] = []
        var opened: (day: Day, values: [String: Value])?
        var next = 0
        while next < events.count {
            let day = Self.day(of: events[next])
            guard day <= caseload.asOf else { break }
            // The days judged are those a finding opens or ends on, and with a share also those on
            // which the active caseload changes.
            var judged = share > 0
            while next < events.count, Self.day(of: events[next]) == day {
                let (change, client) = Self.change(of: events[next])
                next += 1
                let wasActive = isActive(client)
                switch change {
                case .attends:
                    attendedRecently[client] = true
                    activeUntil[client] = day.adding(days: activeDays)
                case .leavesActive:
                    // Unless a later attendance (applied first on its day) renewed the spell.
                    if activeUntil[client] == day { attendedRecently[client] = false }
                case .opens, .ends:
                    judged = true
                    let wasOpen = openFindings[client] > 0
                    openFindings[client] += change == .opens ? 1 : -1
                    let isOpen = openFindings[client] > 0
                    if wasOpen != isOpen { clientsWithOpenFindings += isOpen ? 1 : -1 }
                }
                let nowActive = isActive(client)
                if wasActive != nowActive { activeCaseload += nowActive ? 1 : -1 }
            }
            guard judged else { continue }
            let count = clientsWithOpenFindings
            var holds = count >= atLeast
            var caseloadSize = 0
            if holds, share > 0 {
                caseloadSize = activeCaseload
                holds = Double(count) >= share * Double(caseloadSize) - 1e-9
                if !holds, opened == nil { caseload.reached("below the share") }
            }
            if opened == nil, holds {
                caseload.reached("opens")
                let active = findings.filter { $0.isOpen(on: day) }
                let clients = Set(active.compactMap(\.subject.client))
                if caseloadSize == 0 { caseloadSize = activeCaseload }
                opened = (day, values(active, clients, caseloadSize: caseloadSize))
            } else if let start = opened, !holds {
                caseload.reached("closes")
                drafts.append(FindingDraft(opened: start.day, closed: day, values: FindingValues(start.values)))
                opened = nil
            } else if opened == nil, count > 0 {
                caseload.reached("falls short")
            }
        }
        if let start = opened {
            drafts.append(FindingDraft(opened: start.day, closed: nil, values: FindingValues(start.values)))
        }
        return drafts
    }

    /// What happens to a client on a day of the sweep, in the order it is applied that day.
    private enum Change: UInt64 {
        case attends, leavesActive, opens, ends
    }

    /// A day (its number with the sign bit flipped, so unsigned order is day order), a change
    /// and a client, in one sortable integer.
    private static func event(_ day: Day, _ change: Change, _ client: Int) -> UInt64 {
        UInt64(UInt32(bitPattern: day.number) ^ 0x8000_0000) << 32 | change.rawValue << 30 | UInt64(client)
    }

    /// The events by day and, on a day, by change: a counting sort over the days they span (a
    /// caseload's months, so a short table), or a plain sort when they span too many days.
    private static func inOrder(_ events: [UInt64]) -> [UInt64] {
        guard let first = events.min(), let last = events.max() else { return events }
        // Sort keys from the top 34 bits: the day and the change.
        let low = first >> 30
        let buckets = Int((last >> 30) - low) + 1
        guard buckets <= 8 * events.count + 4096 else { return events.sorted() }
        var starts = [Int](repeating: 0, count: buckets + 1)
        for event in events { starts[Int((event >> 30) - low) + 1] += 1 }
        for bucket in 0..<buckets { starts[bucket + 1] += starts[bucket] }
        var sorted = [UInt64](repeating: 0, count: events.count)
        for event in events {
            let bucket = Int((event >> 30) - low)
            sorted[starts[bucket]] = event
            starts[bucket] += 1
        }
        return sorted
    }

    private static func day(of event: UInt64) -> Day {
        Day(number: Int32(bitPattern: UInt32(truncatingIfNeeded: event >> 32) ^ 0x8000_0000))
    }

    private static func change(of event: UInt64) -> (Change, Int) {
        (Change(rawValue: event >> 30 & 3)!, Int(event & 0x3FFF_FFFF))
    }

    private func values(_ active: [ReadFinding], _ clients: Set<String>, caseloadSize: Int) -> [String: Value] {
        let ordered = active.sorted {
            ($0.subject.client ?? "", $0.opened, $0.rule) < ($1.subject.client ?? "", $1.opened, $1.rule)
        }
        var rules: [String] = []
        for finding in ordered where !rules.contains(finding.rule) { rules.append(finding.rule) }
        return [
            "count": .number(Double(clients.count)),
            "at_least": .number(Double(atLeast)),
            "active": .number(Double(caseloadSize)),
            "share": .string(
                caseloadSize == 0 ? "–" : "\(Int((Double(clients.count) * 100 / Double(caseloadSize)).rounded()))%"),
            "clients": .list(clients.sorted().map(Value.string)),
            "rules": .list(rules.sorted().map(Value.string)),
            "details": .list(ordered.map { .string("\($0.subject.client ?? ""): \($0.rule) since \($0.opened)") }),
        ]
    }
}
