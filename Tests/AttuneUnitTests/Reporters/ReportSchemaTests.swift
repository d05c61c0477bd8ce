import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// Real `attune.report/1` output against docs/report-schema.json, and the validator against
/// documents it must reject (so a passing run means something).
@Suite struct ReportSchemaTests {
    static let schemaText: String = {
        do {
            return try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/report-schema.json", encoding: .utf8)
        } catch {
            fatalError("docs/report-schema.json is unreadable: \(error)")
        }
    }()

    static func validator() throws -> JSONSchemaValidator { try JSONSchemaValidator(schema: schemaText) }

    static func reviewWithRecordErrors() -> Review {
        let batch = ReportFixtures.batch(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-16, session: 1, attendance: attended, measures: {srs: 38},
               rupture: {type: withdrawal, intensity: 3, resolution: none, markers: [minimal-response]}}
            - {client: C-1, therapist: T-01, date: 2026-11-24, session: 2, attendance: attended, measures: {srs: 30}, repair: partial}
            - {client: C-2, therapist: T-01, date: 2026-11-24, attendance: sometimes}
            """)
        var request = ReviewRequest(therapists: ["T-01"], minimumSeverity: .low, includeNotes: true)
        request.setWeek(ReportFixtures.week48)
        return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: batch, request: request)
    }

    @Test(arguments: [false, true])
    func clinicOutputIsValid(_ notes: Bool) throws {
        let json = ReportFixtures.render("json", ReportFixtures.clinic(includeNotes: notes))
        let errors = try Self.validator().validate(text: json)
        #expect(errors.isEmpty, "\(errors.prefix(10))")
    }

    @Test func outputWithRecordErrorsAndFiltersIsValid() throws {
        let review = Self.reviewWithRecordErrors()
        #expect(!review.recordErrors.isEmpty)
        let json = ReportFixtures.render("json", review)
        let errors = try Self.validator().validate(text: json)
        #expect(errors.isEmpty, "\(errors.prefix(10))")
        let document = try JSONSchemaValidator.parse(json)
        #expect(document["schema"]?.stringValue == "attune.report/1")
        #expect(document["period"]?["iso_week"]?.stringValue == "2026-W48")
    }

    @Test func theValidatorRejectsWhatTheSchemaForbids() throws {
        let validator = try Self.validator()
        let good = ReportFixtures.render("json", Self.reviewWithRecordErrors())
        #expect(try validator.validate(text: good).isEmpty)
        let broken: [(String, String)] = [
            ("\"schema\": \"attune.report/1\"", "\"schema\": \"attune.report/2\""),
            ("\"records_read\": ", "\"records_read\": -"),
            ("\"as_of\": \"2026-11-29\"", "\"as_of\": \"29/11/2026\""),
            ("\"status\": \"", "\"status\": \"x"),
            ("\"census\": {", "\"census\": {\"extra\": 1, "),
            ("\"include_notes\": true", "\"include_notes\": \"yes\""),
            ("\"min_severity\": \"low\",", ""),
        ]
        for (from, to) in broken {
            #expect(good.contains(from), "fixture lacks \(from)")
            let mutated = good.replacingOccurrences(of: from, with: to)
            #expect(try !validator.validate(text: mutated).isEmpty, "accepted after replacing \(from) with \(to)")
        }
    }

    @Test func theSchemaUsesOnlyWhatTheValidatorChecks() throws {
        // A schema keyword the validator does not know is itself an error: validate the schema's
        // own keywords by running it over a document that exercises every branch.
        let errors = try Self.validator().validate(
            text: ReportFixtures.render("json", ReportFixtures.clinic(includeNotes: true)))
        #expect(!errors.contains { $0.contains(JSONSchemaValidator.unsupportedKeyword) })
    }

    @Test func theDocumentationListsEveryTopLevelField() throws {
        let markdown = try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/report-schema.md", encoding: .utf8)
        let document = try JSONSchemaValidator.parse(ReportFixtures.render("json", ReportFixtures.clinic()))
        guard case .object(let members) = document else {
            Issue.record("not an object")
            return
        }
        for (key, _) in members {
            #expect(markdown.contains("`\(key)`"), "docs/report-schema.md does not mention \(key)")
        }
    }
}
