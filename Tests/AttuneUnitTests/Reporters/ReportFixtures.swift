import AttuneCore
import AttuneReporters
import AttuneYAML
import Foundation

/// Reviews of Examples/clinic and of small synthetic record sets, for the reporter tests.
///
/// ```swift
/// let text = ReportFixtures.render("markdown", ReportFixtures.clinic())
/// ```
enum ReportFixtures {
    static let clinicPath = Fixtures.repositoryRoot + "/Examples/clinic"
    static let week48 = Day(isoWeek: "2026-W48")!

    /// The example clinic, read once.
    static let clinicBatch: RecordBatch = {
        do {
            return try RecordLoader(vocabulary: Fixtures.vocabulary).load(paths: [clinicPath])
        } catch {
            fatalError("Examples/clinic is unreadable: \(error)")
        }
    }()

    /// The review of 2026-W48, as `attune review Examples/clinic --week 2026-W48` builds it.
    static func clinic(includeNotes: Bool = false, therapists: [String] = [], minimumSeverity: Severity = .info)
        -> Review
    {
        var request = ReviewRequest(
            therapists: therapists, minimumSeverity: minimumSeverity, includeNotes: includeNotes)
        request.setWeek(week48)
        return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: clinicBatch, request: request)
    }

    /// A batch from YAML text, read the way the CLI reads a file.
    static func batch(_ yaml: String, vocabulary: Vocabulary = Fixtures.vocabulary) -> RecordBatch {
        var batch = RecordBatch()
        RecordLoader(vocabulary: vocabulary).read(
            .bytes(Array(yaml.utf8)), name: "records.yaml", format: DocumentFormat.yaml, into: &batch)
        return batch
    }

    /// Renders with the repository root taken out of paths, so output is the same on every machine.
    static func render(_ format: String, _ review: Review, options: ReportOptions = ReportOptions()) -> String {
        guard let reporter = Reporters.reporter(for: format) else { fatalError("no reporter for \(format)") }
        return reporter.render(review, options: options).replacingOccurrences(
            of: Fixtures.repositoryRoot + "/", with: "")
    }

    /// Whitespace (line breaks, wrapping indents) collapsed to single spaces, to find wrapped text.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func occurrences(of needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }
}
