import AttuneCore
import AttuneLedger
import AttuneTestSupport
import Foundation

/// Fresh ledgers in temporary folders, and the clinic's reviews to record in them.
///
/// ```swift
/// let (ledger, folder) = try LedgerFixtures.ledger()
/// let part = try ledger.record(ReportFixtures.clinic(), provenance: LedgerFixtures.provenance)
/// ```
enum LedgerFixtures {
    static let provenance = ReviewProvenance(
        packs: [.init(name: "attune-default", version: "1.0.0", digest: "0123456789abcdef")],
        inputDigest: "fnv1a64:0000000000000000", attuneVersion: "test")

    static func folder() throws -> URL {
        let url = TestFolder.unique("attune-ledger")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func ledger() throws -> (Ledger, URL) {
        let folder = try folder()
        return (try Ledger.open(path: folder.appendingPathComponent("supervision.db").path, create: true), folder)
    }

    /// The clinic's review of an ISO week, as the CLI builds it.
    static func clinic(week: String, includeNotes: Bool = false) -> Review {
        var request = ReviewRequest(includeNotes: includeNotes)
        request.setWeek(Day(isoWeek: week)!)
        return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.clinicBatch, request: request)
    }

    /// Records the review and attaches the ledger, as `attune review --ledger` does.
    static func recorded(_ review: Review, in ledger: Ledger) throws -> Review {
        var review = review
        review.applyLedger(try ledger.record(review, provenance: provenance))
        return review
    }

    static func decide(
        _ ledger: Ledger, _ id: String, _ kind: LedgerDecision.Kind, on: String = "2026-11-27", note: String? = nil,
        action: String? = nil, due: String? = nil, until: String? = nil, reason: String? = nil
    ) throws {
        try ledger.decide(
            DecisionRequest(
                finding: id, kind: kind, on: Fixtures.day(on), by: "A. Supervisor", note: note, action: action,
                due: due.map(Fixtures.day), until: until.map(Fixtures.day), reason: reason))
    }
}
