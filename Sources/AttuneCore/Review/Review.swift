/// The supervision review: everything a report shows, in the order reports.md gives, already
/// filtered, ordered and given a status. Reporters only render it.
///
/// ```swift
/// let review = ReviewBuilder(ruleSet: ruleSet).build(batch: batch, request: ReviewRequest(asOf: asOf))
/// for therapist in review.therapists { print(therapist.id, therapist.clients.count) }
/// ```
public struct Review: Sendable {
    public static let schema = "attune.report/1"

    public var period: ClosedRange<Day>
    public var asOf: Day { period.upperBound }
    public var packs: [(name: String, version: String)]
    public var census: Census
    /// The first and the latest record date of the input (all of it, not only the period);
    /// nil with no records. Rules that count days are judged no later than its end.
    public var data: ClosedRange<Day>?
    /// Most urgent first.
    public var therapists: [TherapistReview]
    public var recordErrors: [Diagnostic]
    public var evaluationFailures: [Engine.Failure]
    public var dataQuality: DataQuality
    public var minimumSeverity: Severity
    /// The `--therapist` filter; empty means every therapist.
    public var therapistFilter: [String]
    /// Therapists with records in the period (and in the filter) and nothing to discuss, by id.
    public var quietTherapists: [String]
    /// Therapists in the input (and the filter) with no finding and no record in the period:
    /// a week without data for them, not a quiet one.
    public var therapistsWithoutRecords: [String]
    public var includesNotes: Bool
    /// The measures of the vocabulary, for trajectories and charts.
    public var measures: [MeasureSpec]
    /// The supervision ledger's states and lists, when the review was run with one (`--ledger`).
    public var ledger: ReviewLedger? = nil

    /// `2026-W48` when the period is exactly one ISO week (Monday to Sunday), else nil.
    public var isoWeek: String? {
        guard period.lowerBound.isoWeekday == 1, period.lowerBound.days(to: period.upperBound) == 6 else { return nil }
        return period.lowerBound.isoWeek
    }

    /// An as-of more than this many days after the latest record gets a warning: the week
    /// reviewed is mostly days the data does not cover.
    public static let staleDataDays = 7

    /// Days from the latest record to as-of, when that is more than `staleDataDays`.
    public var daysBeyondData: Int? {
        guard let end = data?.upperBound else { return nil }
        let days = end.days(to: asOf)
        return days > Self.staleDataDays ? days : nil
    }

    /// What the reader must know before trusting a quiet report, one sentence each; every
    /// format shows them in its header and the CLI repeats them on standard error.
    public var warnings: [String] {
        var warnings: [String] = []
        if let days = daysBeyondData, let end = data?.upperBound {
            warnings.append(
                "The data ends on \(end), \(days) days before the as-of date \(asOf): "
                    + "nothing after \(end) is in these records, and rules that count days stop there.")
        }
        if census.recordsInPeriod == 0, let data {
            let whose = therapistFilter.isEmpty ? "" : " of " + therapistFilter.joined(separator: ", ")
            warnings.append(
                "No session records\(whose) fall in this period (\(period.lowerBound) to \(period.upperBound)); "
                    + "the records run from \(data.lowerBound) to \(data.upperBound). This is not a quiet week: it is a week without data."
            )
        }
        return warnings
    }

    /// Every reported finding, therapist by therapist.
    public var allFindings: [ReportedFinding] {
        therapists.flatMap { $0.clients.flatMap(\.findings) + $0.caseload }
    }
}

/// Who and what the review covers.
public struct Census: Sendable, Hashable {
    public var therapists: Int
    public var clients: Int
    public var episodes: Int
    public var recordsRead: Int
    public var recordsLeftOut: Int
    public var files: Int
    /// Files that could not be read, whole or from a syntax or encoding error on.
    public var filesUnreadable: Int
    /// Records dated in the period (of the filtered therapists, when filtered).
    public var recordsInPeriod: Int
}

/// A finding as the review presents it: with its status in the period and its rule's words.
public struct ReportedFinding: Sendable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Opened in the period.
        case new
        /// Opened before the period and still open at its end.
        case ongoing
        /// Closed in the period: often good news, a repaired rupture say.
        case closed
    }

    public var finding: Finding
    public var status: Status
    /// The rule's title and guidance: one box per rule, which all its findings share (a review
    /// reports tens of thousands; each holding its own two strings cost 24 bytes more).
    private var words: Boxed<RuleWords>

    public var title: String {
        get { words.value.title }
        set { words = Boxed(RuleWords(title: newValue, guidance: guidance)) }
    }

    public var guidance: String {
        get { words.value.guidance }
        set { words = Boxed(RuleWords(title: title, guidance: newValue)) }
    }

    public init(finding: Finding, status: Status, title: String, guidance: String) {
        self.init(finding: finding, status: status, words: Boxed(RuleWords(title: title, guidance: guidance)))
    }

    /// `words` shared with the rule's other findings.
    init(finding: Finding, status: Status, words: Boxed<RuleWords>) {
        self.finding = finding
        self.status = status
        self.words = words
    }

    /// What a reported finding shows of its rule.
    struct RuleWords: Sendable, Hashable {
        var title: String
        var guidance: String
    }
}

/// One therapist's part of the review.
public struct TherapistReview: Sendable {
    public var id: String
    /// Clients with findings in the period, most severe first.
    public var clients: [ClientReview]
    /// Findings about the caseload as a whole.
    public var caseload: [ReportedFinding]
    /// Clients of this therapist in the input.
    public var clientCount: Int

    public var highestSeverity: Severity? {
        // By index, reading each severity in place: a lazy map over the clients and their
        // findings copied each one whole.
        var highest: Severity?
        for client in clients.indices where !clients[client].findings.isEmpty {
            highest = max(highest ?? .info, ClientReview.highestSeverity(of: clients[client].findings))
        }
        if !caseload.isEmpty { highest = max(highest ?? .info, ClientReview.highestSeverity(of: caseload)) }
        return highest
    }
}

/// One client (episode) to talk about, with the findings and the session-by-session picture.
public struct ClientReview: Sendable {
    public var client: String
    public var episode: String
    public var therapist: String
    /// Most severe first.
    public var findings: [ReportedFinding]
    /// Every appointment of the episode, read from its records (`Trajectory`).
    public var trajectory: Trajectory

    public var highestSeverity: Severity { Self.highestSeverity(of: findings) }

    /// The most severe of `findings`, `.info` when there are none; each severity read in place.
    static func highestSeverity(of findings: [ReportedFinding]) -> Severity {
        var highest = Severity.info
        for index in findings.indices where findings[index].finding.severity > highest {
            highest = findings[index].finding.severity
        }
        return highest
    }
}

/// One appointment on a client's trajectory.
public struct TrajectoryPoint: Sendable, Hashable {
    // A review keeps a point per appointment of every client it reports: the rupture, which
    // most appointments leave out, is kept out of line (64 bytes a point, against 88).
    /// Scores by measure index, the index of the measure in `Review.measures` (the vocabulary's):
    /// the record's own inline scores, no dictionary per session.
    public var measures: MeasureValues
    private var ruptureBox: Boxed<Rupture>?
    public var session: Int?
    public var date: Day
    public var attendance: Attendance
    public var repair: Repair?

    /// What a review shows of a record: never its notes, which go only into findings' evidence
    /// under `--include-notes`.
    public init(_ record: SessionRecord) {
        self.init(
            date: record.date, session: record.session, attendance: record.attendance, measures: record.measures,
            rupture: record.rupture, repair: record.repair)
    }

    init(
        date: Day, session: Int?, attendance: Attendance, measures: MeasureValues, rupture: Rupture?, repair: Repair?
    ) {
        self.measures = measures
        ruptureBox = rupture.map(Boxed.init)
        self.session = session
        self.date = date
        self.attendance = attendance
        self.repair = repair
    }

    public var rupture: Rupture? {
        get { ruptureBox?.value }
        set { ruptureBox = newValue.map(Boxed.init) }
    }
}

/// What could not be used, and what could not be judged.
///
/// ```swift
/// for item in review.dataQuality.unjudged { print(item.rule, item.records) }
/// ```
public struct DataQuality: Sendable, Hashable {
    /// Record errors of one kind (a record left out may have more than one).
    public struct LeftOut: Sendable, Hashable {
        /// The error message without its location.
        public var reason: String
        /// Errors with this message.
        public var count: Int
    }

    /// Records one rule could not judge because something it reads was not recorded (a measure,
    /// a rupture's intensity, or bookings in an input that records none).
    public struct Unjudged: Sendable, Hashable {
        public var rule: String
        public var title: String
        /// Records up to as-of (not only in the period): a gap in the data matters wherever it is.
        public var records: Int
    }

    /// Most common reason first.
    public var leftOut: [LeftOut]
    /// Most records first; rules that judged every record are not listed.
    public var unjudged: [Unjudged]
    /// Record errors past the loader's limit: counted in `leftOut`'s records, not listed anywhere.
    public var errorsNotShown = 0

    /// Whether any record of the input carries `next_appointment`. When none does, the export
    /// does not record bookings, and "nothing booked" was never counted against a client.
    public var bookingsRecorded: Bool = true

    public var isEmpty: Bool { leftOut.isEmpty && unjudged.isEmpty && errorsNotShown == 0 && bookingsRecorded }
}
