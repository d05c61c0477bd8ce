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
        // The count can change only on a day a finding opens or stops being open. Listed, then
        // sorted and made unique once: cheaper than a set, which was then sorted anyway.
        var days: [Day] = []
        for finding in findings {
            days.append(finding.opened)
            if let closed = finding.closed { days.append(closed == finding.opened ? closed.adding(days: 1) : closed) }
        }
        if share > 0 {
            // The active caseload changes when a client attends and when that attendance ages out.
            for dates in caseload.attended.values {
                for date in dates {
                    days.append(date)
                    days.append(date.adding(days: activeDays))
                }
            }
        }
        days.sort()
        days = days.indices.compactMap { $0 > 0 && days[$0] == days[$0 - 1] ? nil : days[$0] }
        // Clients as small numbers, so that counting the distinct ones open on a day needs
        // neither copies of the findings nor a set of strings per day.
        var numbers: [String: Int] = [:]
        func number(_ client: String) -> Int {
            if let number = numbers[client] { return number }
            numbers[client] = numbers.count
            return numbers.count - 1
        }
        let clientNumbers = findings.map { number($0.subject.client ?? "") }
        // Attendance as (day, client number) in day order, swept once alongside the days: each
        // client's latest attended day so far tells whether they are in the active caseload.
        var attendance: [(day: Day, client: Int)] = []
        for (client, dates) in caseload.attended {
            let clientNumber = number(client)
            for date in dates { attendance.append((date, clientNumber)) }
        }
        attendance.sort { $0.day < $1.day }
        var lastAttended = [Day?](repeating: nil, count: numbers.count)
        var nextAttendance = 0
        var lastCounted = [Int](repeating: -1, count: numbers.count)
        // Clients who attended in the `activeDays` days up to the day, or have an open finding then
        // (counted on `dayNumber`): the active caseload a share is of.
        func activeCaseload(dayNumber: Int, day: Day) -> Int {
            let since = day.adding(days: -(activeDays - 1))
            var size = 0
            for client in 0..<numbers.count
            where lastCounted[client] == dayNumber || (lastAttended[client].map { $0 >= since } ?? false) {
                size += 1
            }
            return size
        }
        var drafts: [FindingDraft] = []
        var opened: (day: Day, values: [String: Value])?
        for (dayNumber, day) in days.enumerated() where day <= caseload.asOf {
            while nextAttendance < attendance.count, attendance[nextAttendance].day <= day {
                lastAttended[attendance[nextAttendance].client] = attendance[nextAttendance].day
                nextAttendance += 1
            }
            var count = 0
            for position in findings.indices where findings[position].isOpen(on: day) {
                let client = clientNumbers[position]
                if lastCounted[client] != dayNumber {
                    lastCounted[client] = dayNumber
                    count += 1
                }
            }
            var holds = count >= atLeast
            var caseloadSize = 0
            if holds, share > 0 {
                caseloadSize = activeCaseload(dayNumber: dayNumber, day: day)
                holds = Double(count) >= share * Double(caseloadSize) - 1e-9
                if !holds, opened == nil { caseload.reached("below the share") }
            }
            if opened == nil, holds {
                caseload.reached("opens")
                let active = findings.filter { $0.isOpen(on: day) }
                let clients = Set(active.compactMap(\.subject.client))
                if caseloadSize == 0 { caseloadSize = activeCaseload(dayNumber: dayNumber, day: day) }
                opened = (day, values(active, clients, caseloadSize: caseloadSize))
            } else if let start = opened, !holds {
                caseload.reached("closes")
                drafts.append(FindingDraft(opened: start.day, closed: day, values: start.values))
                opened = nil
            } else if opened == nil, count > 0 {
                caseload.reached("falls short")
            }
        }
        if let start = opened { drafts.append(FindingDraft(opened: start.day, closed: nil, values: start.values)) }
        return drafts
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
