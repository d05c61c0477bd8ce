import AttuneCore

/// The review's data quality as lines for standard error, for a format that cannot show it
/// (`Reporter.showsDataQuality` is false: CSV is one row per finding). Without them, a CSV with
/// no rows would read as a quiet week while a rule failed, judged nothing or a file went unread.
/// Record errors are counted, not repeated: `attune review` prints each of them already.
///
/// ```swift
/// for line in DataQualityNote.lines(review, format: "csv") { print("note: " + line) }
/// // the csv report lists findings only; what it cannot show (--format text, markdown, html or json does):
/// //   Records a rule could not judge because something it reads was not recorded (…): alliance-below-cutoff 3
/// ```
public enum DataQualityNote {
    /// Nothing when there is nothing to say: every file read, every rule evaluated, every record
    /// judged, bookings recorded.
    public static func lines(_ review: Review, format: String) -> [String] {
        var lines: [String] = []
        let census = review.census
        if census.filesUnreadable > 0 || census.recordsLeftOut > 0 {
            lines.append(
                "\(census.filesUnreadable) of \(ReportText.plural(census.files, "record file")) unreadable, "
                    + "\(census.recordsLeftOut) of \(ReportText.plural(census.recordsRead, "record")) left out "
                    + "(the errors above say why)")
        }
        for failure in review.evaluationFailures { lines.append("could not evaluate: \(failure)") }
        if !review.dataQuality.bookingsRecorded { lines.append(ReportText.bookingsNotRecorded) }
        let unjudged = review.dataQuality.unjudged
        if !unjudged.isEmpty {
            lines.append(
                ReportText.unjudgedHeading(review) + " "
                    + unjudged.map { "\($0.rule) \($0.records)" }.joined(separator: ", "))
        }
        guard !lines.isEmpty else { return [] }
        let others = Reporters.all.filter { $0.showsDataQuality }.map { $0.format }
        let formats = others.dropLast().joined(separator: ", ") + (others.count > 1 ? " or " : "") + (others.last ?? "")
        return ["the \(format) report lists findings only; what it cannot show (--format \(formats) does):"]
            + lines.map { "  " + $0 }
    }
}
