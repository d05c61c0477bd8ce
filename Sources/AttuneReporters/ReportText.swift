import AttuneCore

/// The words every format shares, so text, Markdown, HTML and CSV say the same thing the same way.
///
/// ```swift
/// ReportText.dates(of: finding)          // "open since 2026-10-26"
/// ReportText.questions(in: rule.guidance) // one question per line of guidance
/// ```
enum ReportText {
    /// The data-quality heading over the rules that could not judge some records.
    static func unjudgedHeading(_ review: Review) -> String {
        "Records a rule could not judge because something it reads was not recorded "
            + "(a measure, a rupture's intensity, or bookings; up to \(review.asOf)):"
    }

    /// Said when the input records no bookings at all.
    static let bookingsNotRecorded =
        "No record in this input carries next_appointment: bookings are not recorded, "
        + "so \"nothing booked\" was never counted as a warning sign."

    /// `2026-W48 (2026-11-23 to 2026-11-29)` or `2026-11-20 to 2026-11-29`.
    static func period(_ review: Review) -> String {
        let range = "\(review.period.lowerBound) to \(review.period.upperBound)"
        return review.isoWeek.map { "\($0) (\(range))" } ?? range
    }

    static func packs(_ review: Review) -> String {
        review.packs.isEmpty ? "none" : review.packs.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
    }

    /// `3 therapists`, `20 clients`, … `0 left out`: phrases that are joined by " · " and never
    /// broken inside when a line wraps.
    static func census(_ review: Review) -> [String] {
        let c = review.census
        return [
            plural(c.therapists, "therapist"), plural(c.clients, "client"), plural(c.episodes, "episode"),
            plural(c.files, "file"), "\(c.filesUnreadable) unreadable", plural(c.recordsRead, "record") + " read",
            "\(c.recordsLeftOut) left out",
        ]
    }

    /// Where the data ends: the latest record's date, which every format states in its header.
    static func dataEnd(_ review: Review) -> String {
        review.data.map { "\($0.upperBound)" } ?? "no records"
    }

    /// The line for a review with no finding: a quiet week only when there were records in it.
    static func nothingToDiscuss(_ review: Review) -> String {
        review.census.recordsInPeriod == 0
            ? "No session records in this period, so nothing could be found."
            : "Nothing to discuss this period."
    }

    /// `No records this period: T-03`, for therapists with no finding because nothing was recorded.
    static func withoutRecords(_ review: Review) -> String? {
        review.therapistsWithoutRecords.isEmpty
            ? nil
            : "No records this period (so nothing could be found): "
                + review.therapistsWithoutRecords.joined(separator: ", ")
    }

    /// What the supervisor filtered on, or nil when nothing was left out on purpose.
    static func filters(_ review: Review) -> String? {
        var parts: [String] = []
        if review.minimumSeverity > .info { parts.append("severity \(review.minimumSeverity.rawValue) and above") }
        if !review.therapistFilter.isEmpty {
            parts.append("therapist " + review.therapistFilter.joined(separator: ", "))
        }
        return parts.isEmpty ? nil : "Showing only " + parts.joined(separator: "; ")
    }

    /// `3 of 7 clients to discuss`, plus caseload findings when there are any.
    static func therapistSummary(_ therapist: TherapistReview) -> String {
        var summary = "\(therapist.clients.count) of \(plural(therapist.clientCount, "client")) to discuss"
        if !therapist.caseload.isEmpty { summary += " · " + plural(therapist.caseload.count, "caseload finding") }
        return summary
    }

    static func client(_ client: ClientReview) -> String {
        client.episode == "1" ? client.client : "\(client.client), episode \(client.episode)"
    }

    /// `on 2026-11-24`, `2026-10-26 to 2026-11-23`, or `open since 2026-10-26`.
    static func dates(of finding: Finding) -> String {
        guard let closed = finding.closed else { return "open since \(finding.opened)" }
        return closed == finding.opened ? "on \(closed)" : "\(finding.opened) to \(closed)"
    }

    /// `2026-11-16 (#18), 2026-11-23 (#19)`, or `none` for caseload findings.
    static func evidenceSessions(_ finding: Finding) -> String {
        finding.records.isEmpty ? "none" : finding.records.map(\.label).joined(separator: ", ")
    }

    /// The clients a caseload finding counts, when the kind reported them.
    static func caseloadClients(_ finding: Finding) -> String? {
        finding.evidence["clients"].map(\.displayText)
    }

    /// `1234 more record errors not shown (only the first 1000 are kept)`, or nil when all are shown.
    static func errorsNotShown(_ review: Review) -> String? {
        RecordBatch.notShownNote(shown: review.recordErrors.count, notShown: review.dataQuality.errorsNotShown)
    }

    /// The distinct titles of findings, in their order (most severe first): why a client is listed.
    static func titles(_ findings: [ReportedFinding]) -> String {
        var seen = Set<String>()
        return findings.map(\.title).filter { seen.insert($0).inserted }.joined(separator: "; ")
    }

    /// Guidance is written one question per line.
    static func questions(in guidance: String) -> [String] {
        var guidance = guidance
        return guidance.withUTF8(asciiQuestions) ?? questionsByCharacter(in: guidance)
    }

    /// `questions` for any text, character by character.
    static func questionsByCharacter(in guidance: String) -> [String] {
        guidance.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// `questions` for ASCII text, by bytes: there a character is a byte (a CR LF, two, is a line
    /// break either way), the line breaks are LF, VT, FF and CR, and the rest is as above. Nil
    /// for other text. Splitting by `Character` looked up every character's properties, for the
    /// same few rules' guidance on every finding.
    static func asciiQuestions(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var lines: [String] = []
        var start = 0
        func take(upTo end: Int) {
            var lower = start
            var upper = end
            while lower < upper, bytes[lower] == 0x20 || bytes[lower] == 0x09 { lower += 1 }
            while upper > lower, bytes[upper - 1] == 0x20 || bytes[upper - 1] == 0x09 { upper -= 1 }
            if lower < upper {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self))
            }
        }
        for index in bytes.indices where (0x0A...0x0D).contains(bytes[index]) {
            take(upTo: index)
            start = index + 1
        }
        take(upTo: bytes.count)
        return lines
    }

    /// Notes of the evidence records, present only under `--include-notes`.
    static func notes(_ finding: Finding) -> [(label: String, note: String)] {
        finding.records.compactMap { record in record.note.map { (record.label, $0) } }
    }

    static func attendance(_ attendance: Attendance) -> String {
        switch attendance {
        case .attended: return "attended"
        case .cancelled: return "cancelled"
        case .lateCancel: return "late cancellation"
        case .noShow: return "no-show"
        }
    }

    /// Short marks for a trajectory row: ruptures, repairs and missed appointments.
    static func marks(_ point: TrajectoryPoint) -> [String] {
        var marks: [String] = []
        if point.attendance == .noShow || point.attendance == .lateCancel {
            marks.append("missed (\(attendance(point.attendance)))")
        }
        if let rupture = point.rupture { marks.append(Self.rupture(rupture)) }
        if let repair = point.repair { marks.append("\(repair.rawValue) repair") }
        return marks
    }

    /// `withdrawal rupture, intensity 2/5, fully resolved in session, reported by the therapist`.
    static func rupture(_ rupture: Rupture) -> String {
        "\(rupture.type.rawValue) rupture, intensity \(rupture.intensity.map { "\($0)/5" } ?? "not recorded"), "
            + "\(resolution(rupture.resolution)) in session"
            + (rupture.reportedBy.map { ", reported by the \($0.rawValue)" } ?? "")
    }

    /// Said in words, not built from the value's name ("full" + "ly" once read "fullly resolved").
    static func resolution(_ resolution: Rupture.Resolution) -> String {
        switch resolution {
        case .none: return "not resolved"
        case .partial: return "partially resolved"
        case .full: return "fully resolved"
        }
    }

    /// The measures a client has any score on, in the vocabulary's order.
    static func measuresUsed(_ points: some Collection<TrajectoryPoint>, of measures: [MeasureSpec]) -> [MeasureColumn]
    {
        var present = Set<Int>()
        for point in points { point.measures.forEachIndex { present.insert($0) } }
        return measures.indices.filter(present.contains).map { MeasureColumn(index: $0, spec: measures[$0]) }
    }

    /// `SRS: Session Rating Scale, cutoff 36`; a risk item says its lowest score rules nothing out.
    static func measureCaption(_ spec: MeasureSpec) -> String {
        "\(spec.name.uppercased()): \(spec.title)" + (spec.cutoff.map { ", cutoff \(number($0))" } ?? "")
            + (spec.isRiskItem ? ", \(riskNote(spec))" : "")
    }

    /// Said wherever a risk item's scores are shown, so a lowest score never reads as reassurance.
    static func riskNote(_ spec: MeasureSpec) -> String {
        "a risk screen: \(number(spec.range.lowerBound)) does not rule risk out"
    }

    static func number(_ value: Double) -> String { Value.format(value) }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

extension Substring {
    var trimmingSpaces: String {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
