/// What a service can report on from its ledger: per therapist and ISO week, findings opened,
/// closed and discussed, and the supervision latency — the days from a finding opening to its
/// first discussion, counted in the week of that discussion (`attune history`).
///
/// ```swift
/// for week in try ledger.history().totals { print(week.week, week.opened, week.medianLatency ?? "–") }
/// ```
public struct LedgerHistory: Sendable {
    public struct FindingDates: Sendable, Hashable {
        public var id: String
        public var therapist: String
        public var opened: Day
        public var closed: Day?

        public init(id: String, therapist: String, opened: Day, closed: Day?) {
            self.id = id
            self.therapist = therapist
            self.opened = opened
            self.closed = closed
        }
    }

    public struct Week: Sendable, Hashable {
        /// A therapist's id, or nil in the totals.
        public var therapist: String?
        /// `2026-W48`.
        public var week: String
        public var monday: Day
        public var opened = 0
        /// Findings that stopped holding this week (a one-day finding is opened, not closed).
        public var closed = 0
        /// Findings discussed this week, each once however often.
        public var discussed = 0
        /// Days from opening to first discussion, for findings first discussed this week.
        public var latencies: [Int] = []

        public var medianLatency: Double? {
            guard !latencies.isEmpty else { return nil }
            let sorted = latencies.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
        }

        public var isEmpty: Bool { opened == 0 && closed == 0 && discussed == 0 }
    }

    /// Therapist by therapist, each with every week of the ledger's span (quiet weeks included).
    public var rows: [Week]
    /// Every therapist together, week by week.
    public var totals: [Week]
    public var therapists: [String]
    public var reviews: Int
    public var therapistFilter: [String]

    public init(findings: [FindingDates], discussions: [String: [Day]], reviews: Int, therapistFilter: [String] = []) {
        self.reviews = reviews
        self.therapistFilter = therapistFilter
        var byTherapist: [String: [Day: Week]] = [:]
        var days: [Day] = []
        func bump(_ therapist: String, _ day: Day, _ change: (inout Week) -> Void) {
            let monday = day.adding(days: 1 - day.isoWeekday)
            change(
                &byTherapist[therapist, default: [:]][
                    monday, default: Week(therapist: therapist, week: monday.isoWeek, monday: monday)])
            days.append(monday)
        }
        for finding in findings {
            bump(finding.therapist, finding.opened) { $0.opened += 1 }
            if let closed = finding.closed, closed != finding.opened {
                bump(finding.therapist, closed) { $0.closed += 1 }
            }
            guard let dates = discussions[finding.id], let first = dates.min() else { continue }
            var weeks = Set<Day>()
            for day in dates where weeks.insert(day.adding(days: 1 - day.isoWeekday)).inserted {
                bump(finding.therapist, day) { $0.discussed += 1 }
            }
            bump(finding.therapist, first) { $0.latencies.append(max(0, finding.opened.days(to: first))) }
        }
        therapists = byTherapist.keys.sorted()
        var rows: [Week] = []
        var totals: [Week] = []
        if let first = days.min(), let last = days.max() {
            var mondays: [Day] = []
            var monday = first
            while monday <= last {
                mondays.append(monday)
                monday = monday.adding(days: 7)
            }
            for therapist in therapists {
                for monday in mondays {
                    rows.append(
                        byTherapist[therapist]?[monday]
                            ?? Week(therapist: therapist, week: monday.isoWeek, monday: monday))
                }
            }
            for monday in mondays {
                var total = Week(therapist: nil, week: monday.isoWeek, monday: monday)
                for therapist in therapists {
                    guard let week = byTherapist[therapist]?[monday] else { continue }
                    total.opened += week.opened
                    total.closed += week.closed
                    total.discussed += week.discussed
                    total.latencies += week.latencies
                }
                totals.append(total)
            }
        }
        self.rows = rows
        self.totals = totals
    }
}
