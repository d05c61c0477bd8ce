import AttuneCore
import AttuneLedger
import AttuneReporters
import Testing

/// Every format shows the ledger: ids, states, the snoozed count, the dismissed appendix with its
/// reason, and the actions due; the JSON stays valid against docs/report-schema.json.
@Suite struct LedgerReportTests {
    static func reviewWithDecisions() throws -> Review {
        let (ledger, _) = try LedgerFixtures.ledger()
        let first = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let items = first.allFindings
        try LedgerFixtures.decide(
            ledger, items[0].finding.id, .discuss, note: "Risk assessment seen", action: "Check the safety plan",
            due: "2026-11-28")
        try LedgerFixtures.decide(
            ledger, items[1].finding.id, .snooze, until: "2026-12-14", reason: "Plan reviewed last week")
        try LedgerFixtures.decide(ledger, items[2].finding.id, .dismiss, reason: "Known data-entry slip")
        return try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
    }

    @Test(arguments: Reporters.formats)
    func everyFormatShowsTheLedger(_ format: String) throws {
        let review = try Self.reviewWithDecisions()
        let part = try #require(review.ledger)
        let text = ReportFixtures.collapsed(ReportFixtures.render(format, review))
        for item in review.allFindings + part.snoozed + part.dismissed {
            #expect(text.contains(item.finding.id), "\(format) lacks the id of \(item.finding.rule)")
        }
        for words in [
            "Risk assessment seen", "Check the safety plan", "Known data-entry slip", "Plan reviewed last week",
        ] {
            #expect(text.contains(words), "\(format) lacks '\(words)'")
        }
        if format != "csv" && format != "json" {
            #expect(text.contains("1 snoozed") && text.contains("1 dismissed"), "\(format) lacks the counts")
        }
    }

    /// The supervisor's words reach a terminal or a page like any other text: escaped, never raw.
    @Test(arguments: Reporters.formats.filter { $0 != "json" })
    func theSupervisorsWordsAreShownEscaped(_ format: String) throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let first = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let items = first.allFindings
        try LedgerFixtures.decide(
            ledger, items[0].finding.id, .discuss, note: "seen \u{1B}[31mred", action: "call\u{202E}back",
            due: "2026-11-28")
        try LedgerFixtures.decide(ledger, items[1].finding.id, .dismiss, reason: "slip\u{07}")
        let text = ReportFixtures.render(
            format, try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger))
        for raw in ["\u{1B}", "\u{202E}", "\u{07}"] {
            #expect(!text.contains(raw), "\(format) shows a raw control character from the ledger")
        }
        #expect(text.contains("\\u{1B}") && text.contains("u{202E}back"), "\(format) lacks the escaped words")
    }

    @Test func theJSONIsValidAndCarriesTheStates() throws {
        let review = try Self.reviewWithDecisions()
        let json = ReportFixtures.render("json", review)
        let errors = try ReportSchemaTests.validator().validate(text: json)
        #expect(errors.isEmpty, "\(errors.prefix(10))")
        let document = try JSONSchemaValidator.parse(json)
        #expect(document["ledger"]?["counts"]?["snoozed"]?.numberValue == 1)
        #expect(
            document["ledger"]?["dismissed"]?[0]?["ledger"]?["decision"]?["reason"]?.stringValue
                == "Known data-entry slip")
        #expect(document["ledger"]?["actions_due"]?[0]?["action"]?.stringValue == "Check the safety plan")
        #expect(document["findings"]?[0]?["ledger"]?["state"]?.stringValue == "discussed")
    }

    @Test func withoutALedgerNothingChangesButTheIDs() throws {
        let json = try JSONSchemaValidator.parse(ReportFixtures.render("json", ReportFixtures.clinic()))
        #expect(json["ledger"] == nil)
        #expect(json["findings"]?[0]?["ledger"] == nil)
        #expect(json["findings"]?[0]?["id"]?.stringValue.map(FindingID.isWellFormed) == true)
    }

    @Test(arguments: HistoryReporter.formats)
    func historyRendersInEveryFormat(_ format: String) throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        try LedgerFixtures.decide(ledger, review.allFindings[0].finding.id, .discuss, note: "Talked")
        let output = HistoryReporter.render(try ledger.history(), format: format)
        #expect(output.contains("2026-W48"))
        #expect(output.contains("T-01") && output.contains("T-03"))
        switch format {
        case "csv":
            #expect(
                output.hasPrefix(
                    "therapist,week,week_start,opened,closed,discussed,first_discussed,median_latency_days\r\n"))
        case "json": #expect(try JSONSchemaValidator.parse(output)["schema"]?.stringValue == "attune.history/1")
        case "html": #expect(output.contains("<svg") && !output.contains("<script"))
        default: #expect(output.contains("All therapists"))
        }
    }
}
