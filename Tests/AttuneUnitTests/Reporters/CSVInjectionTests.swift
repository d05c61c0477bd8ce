import AttuneCore
import AttuneReporters
import Testing

/// A CSV report opened in a spreadsheet must never run a formula that came from input data.
struct CSVInjectionTests {
    @Test(
        "text that would be a formula is made inert",
        arguments: [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
            ("C-1042", "C-1042"), ("", ""),
        ])
    func inert(_ text: String, _ expected: String) {
        #expect(CSVReporter.inert(text) == expected)
    }

    @Test func aHostileClientIdIsInertInTheReport() throws {
        let (records, diagnostics) = Fixtures.records(
            """
            - {client: "=cmd|' /C calc'!A0", therapist: "@T", date: 2026-11-24, attendance: attended, measures: {phq9_i9: 2}}
            """)
        #expect(diagnostics.isEmpty)
        var batch = RecordBatch()
        batch.records = records
        batch.itemsRead = records.count
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: batch, request: ReviewRequest())
        let csv = CSVReporter().render(review, options: ReportOptions())
        #expect(csv.contains(",'@T,'=cmd|' /C calc'!A0,1,"), "\(csv)")
        #expect(!csv.contains(",=cmd"))
    }
}
