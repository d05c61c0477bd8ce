import AttuneCore
import Foundation
import GRDB

extension Ledger {
    // MARK: - Queries

    /// A finding's stored facts, changes and decisions; an unknown id is an error with a did-you-mean.
    public func finding(_ id: String) throws(LedgerError) -> LedgerFinding {
        let path = self.path
        return try reading { db in
            guard var finding = try Self.storedFinding(id, db: db) else {
                throw LedgerError.unknownFinding(path, id: id, suggestion: try Self.closestID(to: id, db: db))
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.review, r.period_end, c.status, c.severity, c.closed FROM finding_changes c JOIN reviews r ON r.number = c.review
                    WHERE c.finding = ? ORDER BY r.period_end, c.review
                    """, arguments: [id])
            finding.changes = try rows.map { row in
                LedgerFinding.Change(
                    review: row[0], asOf: try Self.day(row[1], "a review's end"), status: row[2],
                    severity: try Self.severity(row[3], "a change's severity"),
                    closed: try Self.optionalDay(row[4] as String?, "a change's closing date"))
            }
            finding.decisions = try Self.decisionTrails(db, finding: id)[id] ?? []
            return finding
        }
    }

    /// Changes whenever a review or a decision is recorded, by any process: the latest review's
    /// number and decision's sequence. A front end keeps what it derived from the ledger until it changes.
    public func changeMark() throws(LedgerError) -> String {
        try reading { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT (SELECT max(number) FROM reviews), (SELECT max(sequence) FROM decisions)")
            return "\((row?[0] as Int?) ?? 0):\((row?[1] as Int?) ?? 0)"
        }
    }

    /// Per therapist and ISO week: findings opened, closed and discussed, and supervision latency.
    public func history(therapists: [String] = []) throws(LedgerError) -> LedgerHistory {
        try reading { db in
            let wanted = Set(therapists)
            var findings: [LedgerHistory.FindingDates] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, therapist, opened, closed FROM findings")
            while let row = try rows.next() {
                let therapist: String = row[1]
                guard wanted.isEmpty || wanted.contains(therapist) else { continue }
                findings.append(
                    .init(
                        id: row[0], therapist: therapist, opened: try Self.day(row[2], "a finding's opening date"),
                        closed: try Self.optionalDay(row[3] as String?, "a finding's closing date")))
            }
            var discussions: [String: [Day]] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT finding, on_day FROM decisions WHERE kind = 'discuss' ORDER BY sequence")
            {
                discussions[row[0], default: []].append(try Self.day(row[1], "a decision's day"))
            }
            let reviews = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviews") ?? 0
            return LedgerHistory(
                findings: findings, discussions: discussions, reviews: reviews, therapistFilter: therapists)
        }
    }

    /// The whole ledger as one document (`attune ledger export`).
    public func export(exportedAt: String = Ledger.timestamp()) throws(LedgerError) -> LedgerExport {
        try reading { db in try LedgerExport.read(from: db, exportedAt: exportedAt) }
    }

    /// Loads an export into this ledger, which must hold nothing yet; numbers and sequences are kept.
    public func importing(_ document: LedgerExport) throws(LedgerError) {
        let path = self.path
        try writing { db in
            let used =
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT (SELECT count(*) FROM reviews) + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM findings)"
                ) ?? 0
            guard used == 0 else {
                throw LedgerError(path: path, reason: "not empty: an export is imported only into a new ledger")
            }
            try document.write(into: db)
        }
    }
}
