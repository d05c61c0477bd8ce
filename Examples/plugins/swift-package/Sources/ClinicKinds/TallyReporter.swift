import AttuneCore
import AttuneReporters

/// `--format tally`: one line per therapist with how many findings of each severity, for the
/// clinic lead's weekly overview. It carries counts and ids only, never a message or a note.
/// A therapist without records in the period is said to be so, never shown as quiet.
///
/// ```text
/// attune tally, 2026-11-23 to 2026-11-29 (data 2026-01-05 to 2026-11-27)
/// T-02: 3 findings (1 high, 2 medium) about 2 clients
/// T-01: quiet (records in the period, nothing to discuss)
/// T-04: no records in the period: a week without data, not a quiet one
/// ```
public struct TallyReporter: Reporter {
    public static let format = "tally"
    public static let summary = "one line per therapist: findings by severity, for the clinic lead"
    /// One line per therapist has no room for the records a rule could not judge: `attune review`
    /// says them on standard error.
    public static let showsDataQuality = false

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        let data = review.data.map { "data \($0.lowerBound) to \($0.upperBound)" } ?? "no records"
        var lines = ["attune tally, \(review.period.lowerBound) to \(review.period.upperBound) (\(data))"]
        lines += review.warnings.map { "warning: " + $0 }
        for therapist in review.therapists {
            let findings = therapist.clients.flatMap(\.findings) + therapist.caseload
            let counts = Severity.allCases.reversed().compactMap { severity -> String? in
                let count = findings.filter { $0.finding.severity == severity }.count
                return count == 0 ? nil : "\(count) \(severity.rawValue)"
            }
            let clients = therapist.clients.count
            lines.append(
                "\(Self.shown(therapist.id)): \(findings.count) finding\(findings.count == 1 ? "" : "s") "
                    + "(\(counts.joined(separator: ", "))) about \(clients) client\(clients == 1 ? "" : "s")")
        }
        for id in review.quietTherapists {
            lines.append("\(Self.shown(id)): quiet (records in the period, nothing to discuss)")
        }
        for id in review.therapistsWithoutRecords {
            lines.append("\(Self.shown(id)): no records in the period: a week without data, not a quiet one")
        }
        if !review.recordErrors.isEmpty || !review.evaluationFailures.isEmpty {
            lines.append(
                "\(review.recordErrors.count) record error(s) and \(review.evaluationFailures.count) rule(s) that "
                    + "could not run: the text report lists them; these counts may be short")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Ids come from records: anything a terminal would act on is shown escaped.
    private static func shown(_ id: String) -> String {
        VisibleText.escaped(id)
    }
}
