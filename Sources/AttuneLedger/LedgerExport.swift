import AttuneCore
import Foundation
import GRDB

/// The whole ledger as one JSON document, `attune.ledger-export/1`: every review, finding,
/// observed change and decision, with their numbers, so that a ledger can be audited, or moved
/// into a new file with `attune ledger import`. Keys are snake_case and sorted.
///
/// ```swift
/// let data = try ledger.export().json()
/// try Ledger.open(path: "moved.db", create: true).importing(LedgerExport.decode(data, path: "export.json"))
/// ```
public struct LedgerExport: Codable, Sendable, Hashable {
    public static let schemaName = "attune.ledger-export/1"

    public struct RecordedReview: Codable, Sendable, Hashable {
        public var number: Int
        public var recordedAt: String
        public var attuneVersion: String
        public var periodStart: String
        public var periodEnd: String
        public var isoWeek: String?
        public var minSeverity: String
        public var therapistFilter: [String]
        public var packs: [ReviewProvenance.Pack]
        public var inputDigest: String?
        public var inputFiles: Int
        public var recordsRead: Int
        public var recordsLeftOut: Int
        public var findings: Int
    }

    public struct StoredFinding: Codable, Sendable, Hashable {
        public var id: String
        public var rule: String
        public var title: String
        public var therapist: String
        public var client: String?
        public var episode: String?
        public var opened: String
        public var closed: String?
        public var severity: String
        public var firstReview: Int
        public var changedAsOf: String
    }

    public struct Change: Codable, Sendable, Hashable {
        public var finding: String
        public var review: Int
        public var status: String
        public var severity: String
        public var closed: String?
    }

    public struct Decision: Codable, Sendable, Hashable {
        public var sequence: Int
        public var finding: String
        public var kind: String
        public var on: String
        public var recordedAt: String
        public var by: String
        public var note: String?
        public var action: String?
        public var due: String?
        public var until: String?
        public var reason: String?
        public var severity: String?
    }

    public var schema: String
    public var schemaVersion: Int
    public var exportedAt: String
    public var reviews: [RecordedReview]
    public var findings: [StoredFinding]
    public var changes: [Change]
    public var decisions: [Decision]

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Reads an export; anything that is not one, or is from a newer schema, or holds a value a
    /// ledger cannot hold, is an error naming the file.
    public static func decode(_ data: Data, path: String) throws(LedgerError) -> LedgerExport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let document: LedgerExport
        do {
            document = try decoder.decode(LedgerExport.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw LedgerError(
                path: path, reason: "not a ledger export: '\(key.stringValue)' missing at \(Self.location(context))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw LedgerError(path: path, reason: "not a ledger export: wrong type at \(Self.location(context))")
        } catch {
            throw LedgerError(
                path: path, reason: "not a ledger export: not JSON, or not an object (\(error.localizedDescription))")
        }
        guard document.schema == schemaName else {
            throw LedgerError(
                path: path, reason: "not a ledger export: schema is '\(document.schema)', expected '\(schemaName)'")
        }
        guard document.schemaVersion <= Ledger.schemaVersion else {
            throw LedgerError(
                path: path,
                reason:
                    "exported from ledger schema \(document.schemaVersion); this Attune knows up to \(Ledger.schemaVersion)"
            )
        }
        if let problem = document.problem { throw LedgerError(path: path, reason: problem) }
        return document
    }

    static func location(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return path.isEmpty ? "the top level" : String(path.drop { $0 == "." })
    }

    /// The first value a ledger could not hold, described.
    var problem: String? {
        func badDay(_ text: String?) -> Bool { text.map { Day(iso: $0) == nil } ?? false }
        func badSeverity(_ text: String?) -> Bool { text.map { Severity(rawValue: $0) == nil } ?? false }
        for (index, finding) in findings.enumerated() {
            if badDay(finding.opened) || badDay(finding.closed) || badDay(finding.changedAsOf) {
                return "findings[\(index)]: a date is not YYYY-MM-DD"
            }
            if badSeverity(finding.severity) { return "findings[\(index)]: unknown severity '\(finding.severity)'" }
        }
        for (index, decision) in decisions.enumerated() {
            if LedgerDecision.Kind(rawValue: decision.kind) == nil {
                return "decisions[\(index)]: unknown kind '\(decision.kind)'"
            }
            if badDay(decision.on) || badDay(decision.due) || badDay(decision.until) {
                return "decisions[\(index)]: a date is not YYYY-MM-DD"
            }
            if badSeverity(decision.severity) {
                return "decisions[\(index)]: unknown severity '\(decision.severity ?? "")'"
            }
        }
        for (index, review) in reviews.enumerated() where badDay(review.periodStart) || badDay(review.periodEnd) {
            return "reviews[\(index)]: a date is not YYYY-MM-DD"
        }
        return nil
    }

    static func read(from db: Database, exportedAt: String) throws -> LedgerExport {
        let decoder = JSONDecoder()
        let reviews = try Row.fetchAll(db, sql: "SELECT * FROM reviews ORDER BY number").map { row in
            RecordedReview(
                number: row["number"], recordedAt: row["recorded_at"], attuneVersion: row["attune_version"],
                periodStart: row["period_start"], periodEnd: row["period_end"], isoWeek: row["iso_week"],
                minSeverity: row["min_severity"],
                therapistFilter: try decoder.decode(
                    [String].self, from: Data((row["therapist_filter"] as String).utf8)),
                packs: try decoder.decode([ReviewProvenance.Pack].self, from: Data((row["packs"] as String).utf8)),
                inputDigest: row["input_digest"], inputFiles: row["input_files"], recordsRead: row["records_read"],
                recordsLeftOut: row["records_left_out"], findings: row["findings"])
        }
        let findings = try Row.fetchAll(db, sql: "SELECT * FROM findings ORDER BY first_review, id").map { row in
            StoredFinding(
                id: row["id"], rule: row["rule"], title: row["title"], therapist: row["therapist"],
                client: row["client"],
                episode: row["episode"], opened: row["opened"], closed: row["closed"], severity: row["severity"],
                firstReview: row["first_review"], changedAsOf: row["changed_as_of"])
        }
        let changes = try Row.fetchAll(db, sql: "SELECT * FROM finding_changes ORDER BY review, finding").map { row in
            Change(
                finding: row["finding"], review: row["review"], status: row["status"], severity: row["severity"],
                closed: row["closed"])
        }
        let decisions = try Row.fetchAll(db, sql: "SELECT * FROM decisions ORDER BY sequence").map { row in
            Decision(
                sequence: row["sequence"], finding: row["finding"], kind: row["kind"], on: row["on_day"],
                recordedAt: row["recorded_at"],
                by: row["by"], note: row["note"], action: row["action"], due: row["due"], until: row["until"],
                reason: row["reason"],
                severity: row["severity"])
        }
        return LedgerExport(
            schema: schemaName, schemaVersion: Ledger.schemaVersion, exportedAt: exportedAt, reviews: reviews,
            findings: findings, changes: changes, decisions: decisions)
    }

    func write(into db: Database) throws {
        for review in reviews {
            try db.execute(
                sql: """
                    INSERT INTO reviews (number, recorded_at, attune_version, period_start, period_end, iso_week, min_severity, therapist_filter,
                                         packs, input_digest, input_files, records_read, records_left_out, findings)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    review.number, review.recordedAt, review.attuneVersion, review.periodStart, review.periodEnd,
                    review.isoWeek,
                    review.minSeverity,
                    String(decoding: try JSONEncoder.ledger.encode(review.therapistFilter), as: UTF8.self),
                    String(decoding: try JSONEncoder.ledger.encode(review.packs), as: UTF8.self), review.inputDigest,
                    review.inputFiles, review.recordsRead, review.recordsLeftOut, review.findings,
                ])
        }
        for finding in findings {
            try db.execute(
                sql: """
                    INSERT INTO findings (id, rule, title, therapist, client, episode, opened, closed, severity, first_review, changed_as_of)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    finding.id, finding.rule, finding.title, finding.therapist, finding.client, finding.episode,
                    finding.opened,
                    finding.closed, finding.severity, finding.firstReview, finding.changedAsOf,
                ])
        }
        for change in changes {
            try db.execute(
                sql: "INSERT INTO finding_changes (finding, review, status, severity, closed) VALUES (?, ?, ?, ?, ?)",
                arguments: [change.finding, change.review, change.status, change.severity, change.closed])
        }
        for decision in decisions {
            try db.execute(
                sql: """
                    INSERT INTO decisions (sequence, finding, kind, on_day, recorded_at, by, note, action, due, until, reason, severity)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    decision.sequence, decision.finding, decision.kind, decision.on, decision.recordedAt, decision.by,
                    decision.note, decision.action, decision.due, decision.until, decision.reason, decision.severity,
                ])
        }
    }
}
