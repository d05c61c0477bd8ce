import Testing

@testable import AttuneCore

/// A finding the engine makes holds its message as its rule's template (`DeferredMessage`) and
/// writes it when read: the text must be what the engine wrote when it rendered messages at once,
/// and must not change when a field it reads is changed afterwards.
@Suite struct DeferredMessageTests {
    /// Every source a placeholder can come from: the finding's own dates, a value of the kind
    /// (`count`), the engine's fields, and expressions on the last evidence record.
    private static let rule = """
        id: low
        title: Low
        severity: low
        kind: streak
        match: measures.srs < 30
        params: {length: 2}
        message: "{count} low: {measures.srs} then ORS {measures.ors} ({sessions}) for {client}/{episode} with {therapist}, {opened} to {closed}; attended {attended_n}"
        """

    private static let message =
        "{count} low: {measures.srs} then ORS {measures.ors} ({sessions}) for {client}/{episode} with {therapist}, {opened} to {closed}; attended {attended_n}"

    private static let records = """
        - {client: C-1, therapist: T-1, date: 2026-11-02, session: 1, attendance: attended, measures: {srs: 25, ors: 20}}
        - {client: C-1, therapist: T-1, date: 2026-11-09, session: 2, attendance: attended, measures: {srs: 22}}
        - {client: C-1, therapist: T-2, date: 2026-11-16, session: 3, attendance: attended, measures: {srs: 28, ors: 18}}
        - {client: C-1, therapist: T-2, date: 2026-11-23, session: 4, attendance: attended, measures: {srs: 38, ors: 30}}
        """

    private func finding() throws -> Finding {
        let findings = try Fixtures.findings(of: "low", rule: Self.rule, records: Self.records)
        return try #require(findings.only)
    }

    @Test func theMessageIsWrittenFromTheFindingItsKindValuesAndItsLastRecord() throws {
        let finding = try finding()
        #expect(
            finding.message
                == "3 low: 28 then ORS 18 (2026-11-02, 2026-11-09, 2026-11-16) for C-1/1 with T-2, 2026-11-09 to 2026-11-23; attended 3"
        )
        // Read twice, written the same.
        #expect(finding.message == finding.message)
    }

    @Test func aFieldLeftOutOfTheLastRecordReadsAsNotRecorded() throws {
        let rule = """
            id: low
            title: Low
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "SRS {measures.srs}, ORS {measures.ors}, cutoff {srs_cutoff}"
            """
        let findings = try Fixtures.findings(
            of: "low", rule: rule,
            records: """
                - {client: C-1, therapist: T-1, date: 2026-11-02, session: 1, attendance: attended, measures: {srs: 25}}
                """)
        #expect(findings.map(\.message) == ["SRS 25, ORS not recorded, cutoff 36"])
    }

    @Test func changingAFieldTheMessageReadsKeepsTheMessageAsItWas() throws {
        let original = try finding()
        let message = original.message
        let changes: [(String, (inout Finding) -> Void)] = [
            ("opened", { $0.opened = Fixtures.day("2020-01-01") }),
            ("closed", { $0.closed = nil }),
            ("subject", { $0.subject = .episode(client: "C-9", episode: "7") }),
            ("therapist", { $0.therapist = "T-9" }),
            ("records", { $0.records.removeAll() }),
            ("evidence", { $0.evidence["count"] = .number(99) }),
        ]
        for (field, change) in changes {
            var changed = original
            change(&changed)
            #expect(changed.message == message, "after changing \(field)")
            #expect(changed != original, "after changing \(field)")
        }
        var renamed = original
        renamed.rule = "other"
        renamed.severity = .critical
        renamed.expectedBand = nil
        #expect(renamed.message == message)
    }

    @Test func settingTheMessageReplacesIt() throws {
        var finding = try finding()
        finding.message = "written by hand"
        #expect(finding.message == "written by hand")
        finding.opened = Fixtures.day("2020-01-01")
        #expect(finding.message == "written by hand")
    }

    @Test func aDeferredAndAWrittenMessageWithTheSameTextAreEqual() throws {
        let deferred = try finding()
        var written = deferred
        written.message = deferred.message
        #expect(written == deferred)
        #expect(written.hashValue == deferred.hashValue)
        written.message += "."
        #expect(written != deferred)
    }

    @Test func aFindingMadeThroughThePublicInitialiserKeepsItsFields() {
        let finding = Finding(
            rule: "r", severity: .high, subject: .therapist("T-1"), therapist: "T-1",
            opened: Fixtures.day("2026-11-02"), closed: nil, records: [], message: "m", evidence: ["n": .number(1)],
            expectedBand: ExpectedBand(measure: "ors", label: "band", points: []))
        #expect(finding.rule == "r")
        #expect(finding.subject == .therapist("T-1"))
        #expect(finding.subject.client == nil)
        #expect(finding.therapist == "T-1")
        #expect(finding.message == "m")
        #expect(finding.evidence["n"] == .number(1))
        #expect(finding.expectedBand?.label == "band")
    }

    /// The message is put together from pieces copied once (issue 19): text outside ASCII, a
    /// template of one placeholder, one of text only, and placeholders side by side.
    @Test func piecesOfEveryKindAreJoinedByteForByte() throws {
        let cases = [
            ("é {count} – ü {length} 🙂 {opened}", "é 3 – ü 2 🙂 2026-11-09"),
            ("{count}", "3"),
            ("plain text only", "plain text only"),
            ("{client}{episode}{therapist}", "C-11T-2"),
        ]
        for (message, expected) in cases {
            let findings = try Fixtures.findings(
                of: "low", rule: Self.rule.replacingOccurrences(of: Self.message, with: message),
                records: Self.records)
            #expect(findings.map(\.message) == [expected])
        }
    }

    /// Past `MessageTemplate.maxRenderedLength` the message is cut as the template cuts it.
    @Test func aMessagePastTheLimitIsCutAsTheTemplateCutsIt() throws {
        let records = (1...10).map { day in
            "- {client: C-1, therapist: T-1, date: 2026-10-\(10 + day), session: \(day), attendance: attended, measures: {srs: 20}}"
        }
        let message = Array(repeating: "{sessions};", count: 18).joined(separator: " ")
        let findings = try Fixtures.findings(
            of: "low", rule: Self.rule.replacingOccurrences(of: Self.message, with: message),
            records: records.joined(separator: "\n"))
        let sessions = (1...10).map { "2026-10-\(10 + $0)" }.joined(separator: ", ")
        let template = try MessageTemplate.parse(message).get()
        let cut = template.render { $0 == "sessions" ? .string(sessions) : nil }
        #expect(message.count > MessageTemplate.maxRenderedLength / 10 && cut.hasSuffix("…"))
        #expect(findings.map(\.message) == [cut])
    }

    /// A review holds every finding open in its period at once (issue 19's memory target).
    @Test func aFindingStaysSmall() {
        #expect(MemoryLayout<Finding>.size <= 80)
        #expect(MemoryLayout<ReportedFinding>.size <= 120)
    }
}

extension Collection {
    /// The one element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
