import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// Without --strict: every bad record is reported with its location and left out, everything
/// else is evaluated, the census says how many and why; an unreadable file is an error for that
/// file alone; a record that cannot be evaluated is an error in the report, not a crash.
@Suite("Record error policy")
struct ErrorPolicyTests {
    typealias Support = RecordsTestSupport

    @Test func badRecordsAreLeftOutAndCounted() {
        let batch = Support.load(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-23, attendance: attended}
            - {client: C-2, therapist: T-1, date: 2026-11-23, attendance: atended}
            - {client: C-3, therapist: T-1, date: 2026-11-24, attendance: attended}
            - {client: C-4, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 41}}
            - {client: C-5, therapist: T-1, date: 2026-11-25, attendance: attended}
            - {client: C-5, therapist: T-1, date: 2026-11-25, attendance: no-show}
            """, as: .yaml, name: "week.yaml")
        #expect(batch.records.map(\.client) == ["C-1", "C-3", "C-5"])
        #expect(batch.itemsRead == 6)
        #expect(batch.leftOut == 3)
        #expect(batch.errors.map(\.location.description) == ["week.yaml:2:63", "week.yaml:4:89", "week.yaml:6:3"])

        let ruleSet = Fixtures.ruleSet([:], alone: true)
        let review = ReviewBuilder(ruleSet: ruleSet).build(
            batch: batch, request: ReviewRequest(asOf: Day(iso: "2026-11-29")))
        #expect(review.census.recordsRead == 6)
        #expect(review.census.recordsLeftOut == 3)
        #expect(review.census.clients == 3)
        #expect(review.recordErrors.count == 3)
        #expect(review.dataQuality.leftOut.map(\.count).reduce(0, +) == 3)
    }

    @Test func anUnreadableFileIsAnErrorForThatFileAlone() throws {
        let root = try Support.temporaryFolder()
        try Support.write(
            "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n", to: root + "/a.yaml")
        try Support.write(
            """
            [{"client": "C-2", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"},
             {"client": "C-3", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"
            """, to: root + "/b.json")
        try Support.write("\u{0}\u{1}\u{2}binary", to: root + "/c.yaml")
        try Support.write("client,therapist,date,attendance\nC-4,T-1,2026-11-24,attended\n", to: root + "/d.csv")
        let batch = try RecordLoader(vocabulary: Support.vocabulary).load(paths: [root])
        #expect(batch.records.map(\.client) == ["C-1", "C-2", "C-4"], "records before the error in b.json are kept")
        #expect(batch.unreadableFiles == 2)
        #expect(
            batch.errors.map { $0.location.file.replacingOccurrences(of: root + "/", with: "") } == [
                "b.json", "c.yaml",
            ])
        #expect(batch.errors.allSatisfy { $0.message.hasSuffix("(the rest of this file was not read)") })
    }

    @Test(arguments: [
        ("", RecordFormat.yaml), ("---\n---\n# nothing\n", .yaml), ("[]", .json), ("\n\n", .jsonl),
        ("client,date\n", .csv),
    ])
    func aFileWithoutRecordsIsAnError(text: String, format: RecordFormat) {
        let batch = Support.load(text, as: format, name: "empty")
        #expect(batch.errors.map(\.description) == ["empty:1:1: error: no session records in this file"])
    }

    @Test func errorsPerFileAreCapped() {
        let text = String(
            repeating: "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: maybe}\n", count: 2_500)
        var batch = RecordBatch()
        var loader = RecordLoader(vocabulary: Support.vocabulary)
        loader.maxErrorsPerFile = 100
        loader.read(.bytes(Array(text.utf8)), name: "bad.yaml", format: .yaml, into: &batch)
        #expect(batch.errors.count == 101)
        #expect(
            batch.errors.last?.description
                == "bad.yaml:1:1: error: 100 or more errors; the rest of this file was not read")
        #expect(batch.itemsRead == 100)
        #expect(batch.unreadableFiles == 1)
    }

    /// A site rule that lints (the types are right) but divides by zero on some records: the
    /// failure is reported with the rule, client and record, other rules and records still run.
    @Test func divisionByZeroIsAnEvaluationErrorInTheReport() throws {
        let ruleSet = Fixtures.ruleSet(
            [
                "pack.yaml": Fixtures.srsAndORSPackYAML,
                "ratio.yaml": """
                id: srs-ors-ratio
                title: SRS far above ORS
                severity: low
                kind: threshold
                match: measures.srs / (measures.ors - 20) > 2
                message: "ratio on {opened}"
                """,
                "no-show.yaml": """
                id: site-no-show
                title: A no-show
                severity: low
                kind: threshold
                match: attendance == 'no-show'
                message: "no-show on {opened}"
                """,
            ], alone: true)
        #expect(!ruleSet.diagnostics.hasErrors, "\(ruleSet.diagnostics)")
        let batch = Support.load(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-23, attendance: attended, measures: {srs: 30, ors: 10}}
            - {client: C-2, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 30, ors: 20}}
            - {client: C-2, therapist: T-1, date: 2026-11-25, attendance: no-show}
            """, as: .yaml, name: "week.yaml", vocabulary: ruleSet.vocabulary)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        let review = ReviewBuilder(ruleSet: ruleSet).build(
            batch: batch, request: ReviewRequest(asOf: Day(iso: "2026-11-29")))
        #expect(
            review.evaluationFailures.map(\.description) == [
                "week.yaml:2:3: rule srs-ors-ratio could not evaluate client C-2 episode 1: division by zero"
            ])
        #expect(
            review.allFindings.map(\.finding.rule).sorted() == ["site-no-show"],
            "C-1's ratio is -1: no finding; C-2's no-show still found")
        let json = JSONReporter().render(review, options: ReportOptions())
        #expect(json.contains("\"message\": \"division by zero\""))
    }
}
