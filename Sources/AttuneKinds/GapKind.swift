import AttuneCore

/// `gap`: no attended appointment for `days` days and nothing booked.
///
/// ```yaml
/// kind: gap
/// params: {days: 21}
/// message: "no attended session since {last_attended} and nothing booked"
/// ```
///
/// After an attended record on day `d`, the finding opens on the first day `t ≥ d + days` on
/// which there has been no attended record since `d` and no booking is still ahead. A booking is
/// the `next_appointment` of any record made on or after `d`; it is ahead until its own date, on
/// which it lapses (the appointment either happened, and is a record, or it did not). The
/// finding closes on the date of the next attended record. It opens only once the review's
/// as-of date has reached `t`.
///
/// An episode that has ended (`episode_end` on any record) raises no gap from then on: no
/// finding opens on or after the end's date, and a finding already open closes on it, because
/// an ended episode is no longer a client drifting away.
///
/// `where` narrows which attended records count as contact (a site might leave out, say,
/// assessment-only appointments); bookings and `episode_end` are read from every record of the
/// episode, because a booking made at a cancelled appointment is still a booking. The kind has
/// no `match`: what it looks for is the absence of records, which no per-record condition can say.
public struct GapKind: TimelineKind {
    public static let declaration = KindDeclaration(
        name: "gap",
        summary: "No attended appointment for D days and none booked.",
        details: """
            After an attended record on day d, the finding opens on the first day t ≥ d + `days` on which \
            there has been no attended record since d and no booking is still ahead: the `next_appointment` \
            of any record made on or after d counts as booked until its own date, on which it lapses. It \
            opens only when the review's as-of date has reached t, and closes on the date of the next \
            attended record. Once an episode has an `episode_end`, no finding opens on or after that date \
            and an open one closes on it. `where` narrows which attended records count as contact; \
            bookings and episode ends are read from every record of the episode. The kind reads no \
            `match`. Evidence: the last attended record and the appointments missed after it.
            """,
        parameters: [
            ParameterDeclaration(
                "days", .integer(1...3650),
                doc: "How many days without an attended appointment, and with nothing booked, open a finding (D)")
        ],
        expressions: [],
        placeholders: [
            PlaceholderDeclaration("days", "the param days"),
            PlaceholderDeclaration("last_attended", "the date of the last attended record before the gap"),
            PlaceholderDeclaration(
                "gap_days", "days from the last attended record to the closing date, or to the as-of date while open"),
            PlaceholderDeclaration(
                "last_booking",
                "the latest appointment booked since the last attended record, which lapsed; 'none' when nothing was booked, 'not recorded' when the input records no bookings"
            ),
        ],
        examples: [
            KindExample(
                name: "a booked appointment missed, then nothing: opens D days after the last attendance",
                rule: "params: {days: 21}",
                records: """
                    - {date: 2026-03-03, attendance: attended, next_appointment: 2026-03-10}
                    - {date: 2026-03-10, attendance: no-show}
                    """,
                asOf: "2026-04-01",
                expect: [.init(opened: "2026-03-24", closed: nil)]),
            KindExample(
                name: "a booking further ahead postpones the gap to its date; attending closes it",
                rule: "params: {days: 21}",
                records: """
                    - {date: 2026-03-03, attendance: attended, next_appointment: 2026-03-10}
                    - {date: 2026-03-10, attendance: cancelled, next_appointment: 2026-03-31}
                    - {date: 2026-03-31, attendance: no-show}
                    - {date: 2026-04-14, attendance: attended, next_appointment: 2026-04-21}
                    """,
                expect: [.init(opened: "2026-03-31", closed: "2026-04-14")]),
            KindExample(
                name: "near miss: the as-of date has not reached the gap yet",
                rule: "params: {days: 21}",
                records: """
                    - {date: 2026-03-03, attendance: attended}
                    """,
                asOf: "2026-03-23",
                expect: []),
            KindExample(
                name: "near miss: a booking still ahead at the review date",
                rule: "params: {days: 21}",
                records: """
                    - {date: 2026-03-03, attendance: attended, next_appointment: 2026-03-10}
                    - {date: 2026-03-10, attendance: late-cancel, next_appointment: 2026-04-07}
                    """,
                asOf: "2026-04-01",
                expect: []),
            KindExample(
                name: "an ended episode raises no gap",
                rule: "params: {days: 21}",
                records: """
                    - {date: 2026-03-03, attendance: attended}
                    - {date: 2026-03-17, attendance: cancelled, episode_end: dropout}
                    """,
                asOf: "2026-05-01",
                expect: []),
        ])

    let days: Int

    public init(configuration: KindConfiguration) throws(KindConfigurationError) {
        days = try configuration.requiredInteger("days")
    }

    public var branches: [KindBranch] {
        [
            KindBranch("opens", "days pass with nothing attended or booked", parameter: "days"),
            KindBranch("returns in time", "the client attends again before the gap reaches days", parameter: "days"),
            KindBranch("booking defers", "a booked appointment moves the gap's start later"),
            KindBranch("episode ends", "the episode ends before a gap opens"),
            KindBranch("closes", "the client attends again after a gap opened"),
        ]
    }

    public func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
        let records = timeline.timeline.records
        // Stored fields read by index: a whole record (`first { … }`, `attended`) would be copied.
        // Room for all at once: `filter` grew the list by doubling, an allocation each time.
        var contacts: [Int] = []
        contacts.reserveCapacity(timeline.indices.count)
        for index in timeline.indices where records[index].attendance == .attended { contacts.append(index) }
        let episodeEnd = records.indices.first { records[$0].episodeEnd != nil }.map { records[$0].date }
        var drafts: [FindingDraft] = []
        for (position, start) in contacts.enumerated() {
            let last = records[start].date
            let nextContact = position + 1 < contacts.count ? contacts[position + 1] : nil
            // Two attended records on one day: the gap runs from the later one.
            if let nextContact, records[nextContact].date == last { continue }

            // Push t past every booking made since `last` that is still ahead of it; each push
            // can bring more records (and their bookings) into view, so repeat until none does.
            var opens = last.adding(days: days)
            var latestBooking: Day?
            var scan = start
            while true {
                var pushed = false
                while scan < records.count, records[scan].date <= opens {
                    if records[scan].date >= last, let booked = records[scan].nextAppointment,
                        latestBooking.map({ booked > $0 }) ?? true
                    {
                        latestBooking = booked
                    }
                    scan += 1
                }
                if let booked = latestBooking, booked > opens {
                    timeline.reached("booking defers")
                    opens = booked
                    pushed = true
                }
                if !pushed { break }
            }

            let returned = nextContact.map { records[$0].date }
            if let returned, returned <= opens {
                timeline.reached("returns in time")
                timeline.trace(
                    start, "attended; next attended on \(returned), before a gap of \(days) days with nothing booked")
                continue
            }
            if let episodeEnd, episodeEnd <= opens {
                timeline.reached("episode ends")
                timeline.trace(
                    start, "attended; the episode ended on \(episodeEnd), before a gap could open on \(opens)")
                continue
            }
            guard opens <= timeline.asOf else {
                timeline.trace(start, "attended; a gap would open on \(opens), after the as-of date \(timeline.asOf)")
                continue
            }
            // Records after as-of are normally left out already; a later date still means "open at as-of".
            let closed = [returned, episodeEnd].compactMap { $0 }.min().flatMap { $0 <= timeline.asOf ? $0 : nil }
            timeline.reached("opens")
            if let returned, closed == returned { timeline.reached("closes") }
            timeline.trace(
                start,
                "attended; nothing attended or booked for \(days) days: gap opens on \(opens)"
                    + (closed.map { ", closes on \($0)" } ?? ", still open at \(timeline.asOf)"))
            if let closed, timeline.drops(closedOn: closed) { continue }
            // Evidence: the last attendance and every appointment missed before the gap opened.
            let missed = records.indices.filter { $0 > start && records[$0].date <= opens }
            let through = closed ?? timeline.asOf
            drafts.append(
                FindingDraft(
                    opened: opens, closed: closed, evidence: [start] + missed,
                    values: [
                        "days": .number(Double(days)),
                        "last_attended": .date(last),
                        "gap_days": .number(Double(last.days(to: through))),
                        "last_booking": latestBooking.map(Value.date)
                            ?? .string(timeline.timeline.bookingsRecorded ? "none" : "not recorded"),
                    ]))
        }
        return drafts
    }
}
