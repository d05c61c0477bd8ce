import AttuneCore
import AttuneLedger
import Foundation
import Testing

/// The store: reviews recorded, ids stable from week to week, decisions appended and shown.
@Suite struct LedgerStoreTests {
    @Test func aNewLedgerIsOwnerOnly() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        _ = try ledger.record(LedgerFixtures.clinic(week: "2026-W48"), provenance: LedgerFixtures.provenance)
        let attributes = try FileManager.default.attributesOfItem(atPath: ledger.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func idsAreStableFromWeekToWeek() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let w47 = LedgerFixtures.clinic(week: "2026-W47")
        let w48 = LedgerFixtures.clinic(week: "2026-W48")
        _ = try ledger.record(w47, provenance: LedgerFixtures.provenance)
        let part = try ledger.record(w48, provenance: LedgerFixtures.provenance)
        #expect(part.reviewNumber == 2)
        let ongoing = w48.allFindings.filter { $0.status == .ongoing }
        #expect(!ongoing.isEmpty)
        let w47IDs = Set(w47.allFindings.map(\.finding.id))
        for item in ongoing where item.finding.opened <= w47.asOf {
            #expect(
                w47IDs.contains(item.finding.id), "\(item.finding.rule) \(item.finding.subject) has a new id in W48")
        }
        let export = try ledger.export()
        #expect(export.reviews.map(\.periodEnd) == ["2026-11-22", "2026-11-29"])
        #expect(
            export.findings.count
                == Set(w47.allFindings.map(\.finding.id)).union(w48.allFindings.map(\.finding.id)).count)
        #expect(export.reviews[1].packs == LedgerFixtures.provenance.packs)
        #expect(export.reviews[1].inputDigest == LedgerFixtures.provenance.inputDigest)
        #expect(export.reviews[1].recordsRead == w48.census.recordsRead)
    }

    @Test func decisionsShowInTheReview() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let first = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let items = first.allFindings
        #expect(items.count >= 4)
        #expect(first.ledger!.statuses.isEmpty)
        let (discussed, snoozed, dismissed, reopened) = (
            items[0].finding, items[1].finding, items[2].finding, items[3].finding
        )
        try LedgerFixtures.decide(
            ledger, discussed.id, .discuss, note: "Risk assessment done", action: "Check the safety plan",
            due: "2026-11-29")
        try LedgerFixtures.decide(ledger, snoozed.id, .snooze, until: "2026-12-14", reason: "Plan reviewed last week")
        try LedgerFixtures.decide(ledger, dismissed.id, .dismiss, reason: "Known data-entry slip")
        try LedgerFixtures.decide(ledger, reopened.id, .dismiss, reason: "Thought so")
        try LedgerFixtures.decide(ledger, reopened.id, .reopen, on: "2026-11-28")

        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let part = try #require(review.ledger)
        #expect(part.status(of: discussed).state == .discussed)
        #expect(part.status(of: reopened).state == .open)
        #expect(part.status(of: reopened).decision?.kind == .reopen)
        #expect(part.snoozed.map(\.finding.id) == [snoozed.id])
        #expect(part.dismissed.map(\.finding.id) == [dismissed.id])
        #expect(
            part.dismissed.first.flatMap { part.status(of: $0.finding).decision?.reason } == "Known data-entry slip")
        let shown = Set(review.allFindings.map(\.finding.id))
        #expect(!shown.contains(snoozed.id) && !shown.contains(dismissed.id))
        #expect(shown.count == items.count - 2)
        let counts = part.counts(in: review)
        #expect(counts[.snoozed] == 1 && counts[.dismissed] == 1 && counts[.discussed] == 1)
        #expect(part.actionsDue.map(\.finding) == [discussed.id])
        #expect(part.actionsDue.first?.action == "Check the safety plan")
    }

    @Test func anActionIsDueOnlyOnceItsDateHasCome() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let w48 = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let id = w48.allFindings[0].finding.id
        try LedgerFixtures.decide(ledger, id, .discuss, note: "Agreed a plan", action: "Call the GP", due: "2026-12-06")
        #expect(try ledger.states(for: LedgerFixtures.clinic(week: "2026-W48")).actionsDue.isEmpty)
        var later = ReviewRequest()
        later.setWeek(Day(isoWeek: "2026-W49")!)
        let w49 = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.clinicBatch, request: later)
        #expect(try ledger.states(for: w49).actionsDue.map(\.finding) == [id])
        // A later decision settles the action.
        try LedgerFixtures.decide(ledger, id, .discuss, on: "2026-12-06", note: "GP called")
        #expect(try ledger.states(for: w49).actionsDue.isEmpty)
    }

    @Test func anUnknownIDGetsADidYouMean() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let id = review.allFindings[0].finding.id
        let typo = String(id.dropLast()) + (id.last == "x" ? "y" : "x")
        let error = #expect(throws: LedgerError.self) { try LedgerFixtures.decide(ledger, typo, .discuss, note: "n") }
        #expect(error?.description.contains("no finding '\(typo)'") == true)
        #expect(error?.description.contains("did you mean '\(id)'?") == true)
        #expect(error?.description.hasPrefix(ledger.path + ": error:") == true)
        #expect(throws: LedgerError.self) { try ledger.finding("zzzzzzzzzz") }
    }

    @Test func incompleteDecisionsAreRefused() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let id = review.allFindings[0].finding.id
        let cases: [(LedgerDecision.Kind, String?, String?, String?, String?, String)] = [
            (.discuss, nil, nil, nil, nil, "needs --note"),
            (.discuss, "n", nil, "2026-12-01", nil, "--due needs --action"),
            (.snooze, nil, nil, nil, "r", "needs --until"),
            (.snooze, nil, nil, nil, nil, "needs --until"),
            (.dismiss, nil, nil, nil, nil, "needs --reason"),
        ]
        for (kind, note, action, due, reason, message) in cases {
            let error = #expect(throws: LedgerError.self) {
                try LedgerFixtures.decide(ledger, id, kind, note: note, action: action, due: due, reason: reason)
            }
            #expect(error?.reason.contains(message) == true, "\(kind): \(error?.reason ?? "")")
        }
        let past = #expect(throws: LedgerError.self) {
            try LedgerFixtures.decide(ledger, id, .snooze, until: "2026-11-20", reason: "r")
        }
        #expect(past?.reason.contains("is not after") == true)
        #expect(try ledger.export().decisions.isEmpty)
    }

    @Test func showGivesTheWholeHistory() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        _ = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W47"), in: ledger)
        let w48 = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let item = try #require(w48.allFindings.first { $0.status == .ongoing })
        try LedgerFixtures.decide(ledger, item.finding.id, .discuss, note: "First look")
        try LedgerFixtures.decide(
            ledger, item.finding.id, .snooze, on: "2026-11-28", until: "2026-12-10", reason: "Waiting for the GP")
        let finding = try ledger.finding(item.finding.id)
        #expect(finding.rule == item.finding.rule && finding.title == item.title)
        #expect(finding.changes.first?.review == 1)
        #expect(finding.decisions.map(\.kind) == [.discuss, .snooze])
        #expect(finding.decisions.map(\.sequence) == [1, 2])
        #expect(finding.decisions[1].severity == item.finding.severity)
    }

    @Test func exportAndImportRoundTrip() throws {
        let (ledger, folder) = try LedgerFixtures.ledger()
        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        try LedgerFixtures.decide(
            ledger, review.allFindings[0].finding.id, .discuss, note: "Talked", action: "Follow up", due: "2026-12-01")
        let exported = try ledger.export(exportedAt: "2026-11-29T10:00:00Z")
        let data = try exported.json()
        let moved = try Ledger.open(path: folder.appendingPathComponent("moved.db").path, create: true)
        try moved.importing(LedgerExport.decode(data, path: "export.json"))
        #expect(try moved.export(exportedAt: "2026-11-29T10:00:00Z") == exported)
        // Only into an empty ledger.
        let again = #expect(throws: LedgerError.self) { try moved.importing(exported) }
        #expect(again?.reason.contains("not empty") == true)
        // Not an export: an error naming the file.
        let bad = #expect(throws: LedgerError.self) {
            try LedgerExport.decode(Data("{\"schema\": 1}".utf8), path: "bad.json")
        }
        #expect(bad?.description.hasPrefix("bad.json: error: not a ledger export") == true)
    }

    @Test func decisionsAreAppendOnly() throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        try LedgerFixtures.decide(ledger, review.allFindings[0].finding.id, .discuss, note: "Talked")
        let queue = try GRDBAccess.queue(ledger.path)
        for sql in [
            "UPDATE decisions SET note = 'changed'", "DELETE FROM decisions", "DELETE FROM reviews",
            "UPDATE finding_changes SET status = 'x'",
        ] {
            #expect(throws: (any Error).self, "\(sql) was allowed") {
                try queue.write { db in try db.execute(sql: sql) }
            }
        }
        #expect(try ledger.export().decisions.first?.note == "Talked")
    }
}
