import AttuneCore
import Foundation
import GRDB

/// The supervision ledger: one SQLite file (WAL, owner-only) that keeps, from week to week, which
/// findings reviews saw and what supervisors decided about them. Reviews and decisions are
/// append-only; the file holds pseudonymous ids, rule titles, dates and the supervisor's own
/// words, never records or session notes. Safe for several processes at once: each write is one
/// immediate transaction, and a busy ledger is waited for (up to `busyTimeout`).
///
/// ```swift
/// let ledger = try Ledger.open(path: "supervision.db", create: true)
/// let part = try ledger.record(review, provenance: provenance)
/// review.applyLedger(part)
/// try ledger.decide(DecisionRequest(finding: id, kind: .discuss, on: today, by: "A. Supervisor", note: "…"))
/// let history = try ledger.history()
/// ```
public final class Ledger: Sendable {
    /// The schema this Attune writes; a ledger with a higher version is refused, never modified.
    public static let schemaVersion = 1
    public static let busyTimeout: TimeInterval = 15

    public let path: String
    let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    // MARK: - Opening

    /// Opens the ledger at `path`. With `create`, a missing file is created (mode 0600) and an
    /// older schema is migrated; without it, a missing or empty file is an error and nothing is
    /// written. A file that is not SQLite, not a ledger, corrupt, or from a newer schema is an
    /// error naming the file, and is left as it is.
    public static func open(path: String, create: Bool) throws(LedgerError) -> Ledger {
        var status = stat()
        if stat(path, &status) != 0 {
            guard errno == ENOENT else { throw LedgerError(path: path, reason: String(cString: strerror(errno))) }
            guard create else { throw .notFound(path) }
            // SQLite gives its -wal and -shm files the database file's mode, so they are owner-only too.
            let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor < 0, errno != EEXIST {
                throw LedgerError(path: path, reason: "cannot create: \(String(cString: strerror(errno)))")
            }
            if descriptor >= 0 { close(descriptor) }
        } else if (status.st_mode & S_IFMT) != S_IFREG {
            throw LedgerError(path: path, reason: "not a file")
        }
        try checkHeader(path: path)

        // Looked at read-only first: a file that is not a ledger, or is from a newer schema, is never
        // opened for writing (opening a pool would switch a rollback-journal database to WAL).
        let (applicationID, version, tables, superseded) = try inspect(path: path)
        if applicationID != LedgerSchema.applicationID, applicationID != 0 || tables > 0 { throw .notALedger(path) }
        if version > schemaVersion || superseded { throw .newerSchema(path, version: version) }
        if version < schemaVersion, !create {
            throw LedgerError(
                path: path,
                reason: tables == 0
                    ? "an empty file: no review has been recorded in it yet"
                    : "ledger schema \(version) needs migrating; run a review with --ledger first")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "AttuneLedger"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            if version < schemaVersion { try LedgerSchema.migrator.migrate(pool) }
        } catch {
            throw wrap(error, path: path)
        }
        return Ledger(path: path, pool: pool)
    }

    /// The application id, schema version, table count and whether migrations unknown here were
    /// applied, read through a read-only connection.
    static func inspect(path: String) throws(LedgerError) -> (Int32, Int, Int, Bool) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema") ?? 0
                let superseded = try db.tableExists("grdb_migrations") && LedgerSchema.migrator.hasBeenSuperseded(db)
                return (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                    tables, superseded
                )
            }
        } catch {
            throw wrap(error, path: path)
        }
    }

    /// The file's first 100 bytes: SQLite's magic, and the header's user_version (offset 60) and
    /// application_id (offset 68), read before SQLite may write anything. While a new ledger's
    /// first pages are still only in its -wal file, the header is empty or stale: SQLite decides.
    static func checkHeader(path: String) throws(LedgerError) {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LedgerError(path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 100)
        let count = header.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 100) }
        if count == 0 { return }
        guard count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else { throw .notSQLite(path) }
        func integer(at offset: Int) -> Int32 {
            Int32(bitPattern: header[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        }
        let version = Int(integer(at: 60))
        let applicationID = integer(at: 68)
        let walExists = access(path + "-wal", F_OK) == 0
        if version > schemaVersion, !walExists { throw .newerSchema(path, version: version) }
        if applicationID != LedgerSchema.applicationID, applicationID != 0, !walExists { throw .notALedger(path) }
    }

    // MARK: - Recording reviews

    /// Records a review (period, packs, input digest, counts) and the findings it reported, and
    /// returns the ledger's part of it: each finding's state and the actions due. Call it on the
    /// review before `applyLedger`. One transaction: a review is recorded whole or not at all.
    public func record(_ review: Review, provenance: ReviewProvenance, recordedAt: String = Ledger.timestamp())
        throws(LedgerError) -> ReviewLedger
    {
        try writing { db in
            let packs = try String(decoding: JSONEncoder.ledger.encode(provenance.packs), as: UTF8.self)
            let filter = try String(decoding: JSONEncoder.ledger.encode(review.therapistFilter), as: UTF8.self)
            let findings = review.allFindings
            try db.execute(
                sql: """
                    INSERT INTO reviews (recorded_at, attune_version, period_start, period_end, iso_week, min_severity, therapist_filter,
                                         packs, input_digest, input_files, records_read, records_left_out, findings)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    recordedAt, provenance.attuneVersion, review.period.lowerBound.description, review.asOf.description,
                    review.isoWeek, review.minimumSeverity.rawValue, filter, packs, provenance.inputDigest,
                    review.census.files, review.census.recordsRead, review.census.recordsLeftOut, findings.count,
                ])
            let number = Int(db.lastInsertedRowID)
            try Self.observe(findings, review: number, period: review.period, db: db)
            try Self.pauseBeforeCommitWhenAsked()
            return try Self.ledgerPart(of: review, findings: findings, number: number, db: db)
        }
    }

    /// The ledger's part of a review without recording it (for a preview, or a web page).
    public func states(for review: Review) throws(LedgerError) -> ReviewLedger {
        try reading { db in
            let number = try Int.fetchOne(db, sql: "SELECT max(number) FROM reviews") ?? 0
            return try Self.ledgerPart(of: review, findings: review.allFindings, number: number, db: db)
        }
    }

    /// Inserts findings never seen, and records what changed (severity, closing) for known ones,
    /// unless an earlier review is being recorded after a later one: one upsert per finding, which
    /// changes a row only when something differs, and a change row when it did.
    static func observe(_ findings: [ReportedFinding], review number: Int, period: ClosedRange<Day>, db: Database)
        throws
    {
        let asOf = period.upperBound.description
        let upsert = try db.makeStatement(
            sql: """
                INSERT INTO findings (id, rule, title, therapist, client, episode, opened, closed, severity, first_review, changed_as_of)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, closed = excluded.closed, changed_as_of = excluded.changed_as_of
                WHERE (findings.severity IS NOT excluded.severity OR findings.closed IS NOT excluded.closed)
                  AND excluded.changed_as_of >= findings.changed_as_of
                """)
        let insertChange = try db.makeStatement(
            sql: "INSERT INTO finding_changes (finding, review, status, severity, closed) VALUES (?, ?, ?, ?, ?)")
        var seen = Set<String>()
        seen.reserveCapacity(findings.count)
        for item in findings {
            let finding = item.finding
            let id = finding.id
            guard seen.insert(id).inserted else { continue }
            let severity = finding.severity.rawValue
            let closed = finding.closed?.description
            try upsert.execute(arguments: [
                id, finding.rule, item.title, finding.therapist, finding.subject.client, finding.subject.episode,
                finding.opened.description, closed, severity, number, asOf,
            ])
            guard db.changesCount > 0 else { continue }
            try insertChange.execute(arguments: [id, number, item.status.rawValue, severity, closed])
        }
    }

    /// States of the review's findings and the actions due as of its as-of date (within its therapist filter).
    static func ledgerPart(of review: Review, findings: [ReportedFinding], number: Int, db: Database) throws
        -> ReviewLedger
    {
        let trails = try decisionTrails(db)
        var statuses: [String: FindingLedgerStatus] = [:]
        for item in findings where !trails.isEmpty {
            let id = item.finding.id
            guard let trail = trails[id] else { continue }
            statuses[id] = LedgerStates.status(decisions: trail, severity: item.finding.severity, asOf: review.asOf)
        }
        let wanted = Set(review.therapistFilter)
        var actions: [LedgerAction] = []
        for (id, trail) in trails {
            guard let decision = LedgerStates.actionDue(decisions: trail, asOf: review.asOf),
                let finding = try storedFinding(id, db: db), wanted.isEmpty || wanted.contains(finding.therapist)
            else { continue }
            actions.append(
                LedgerAction(
                    finding: id, rule: finding.rule, title: finding.title, therapist: finding.therapist,
                    client: finding.client, episode: finding.episode, action: decision.action ?? "",
                    due: decision.due ?? review.asOf, agreedOn: decision.on, by: decision.by))
        }
        actions.sort { ($0.due, $0.therapist, $0.finding) < ($1.due, $1.therapist, $1.finding) }
        return ReviewLedger(reviewNumber: number, statuses: statuses, actionsDue: actions)
    }

    // MARK: - Decisions

    /// Appends a decision. An unknown finding id is an error with the closest known id.
    @discardableResult
    public func decide(_ request: DecisionRequest, recordedAt: String = Ledger.timestamp()) throws(LedgerError)
        -> LedgerDecision
    {
        if let problem = request.problem { throw LedgerError(path: path, reason: problem) }
        let path = self.path
        return try writing { db in
            guard
                let severity = try String.fetchOne(
                    db, sql: "SELECT severity FROM findings WHERE id = ?", arguments: [request.finding])
            else {
                throw LedgerError.unknownFinding(
                    path, id: request.finding, suggestion: try Self.closestID(to: request.finding, db: db))
            }
            try db.execute(
                sql: """
                    INSERT INTO decisions (finding, kind, on_day, recorded_at, by, note, action, due, until, reason, severity)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    request.finding, request.kind.rawValue, request.on.description, recordedAt, request.by,
                    request.note,
                    request.action, request.due?.description, request.until?.description, request.reason, severity,
                ])
            try Self.pauseBeforeCommitWhenAsked()
            return LedgerDecision(
                sequence: Int(db.lastInsertedRowID), kind: request.kind, on: request.on, recordedAt: recordedAt,
                by: request.by, note: request.note, action: request.action, due: request.due, until: request.until,
                reason: request.reason, severity: Severity(rawValue: severity))
        }
    }

    // MARK: - Pieces

    static func storedFinding(_ id: String, db: Database) throws -> LedgerFinding? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, rule, title, therapist, client, episode, opened, closed, severity FROM findings WHERE id = ?
                    """, arguments: [id])
        else { return nil }
        return LedgerFinding(
            id: row[0], rule: row[1], title: row[2], therapist: row[3], client: row[4], episode: row[5],
            opened: try day(row[6], "a finding's opening date"),
            closed: try optionalDay(row[7] as String?, "a finding's closing date"),
            severity: try severity(row[8], "a finding's severity"),
            changes: [], decisions: [])
    }

    /// Decisions by finding, oldest first.
    static func decisionTrails(_ db: Database, finding: String? = nil) throws -> [String: [LedgerDecision]] {
        var trails: [String: [LedgerDecision]] = [:]
        let sql =
            "SELECT sequence, finding, kind, on_day, recorded_at, by, note, action, due, until, reason, severity FROM decisions"
            + (finding == nil ? "" : " WHERE finding = ?") + " ORDER BY sequence"
        let rows = try Row.fetchCursor(db, sql: sql, arguments: finding.map { [$0] } ?? [])
        while let row = try rows.next() {
            let kind: String = row[2]
            guard let known = LedgerDecision.Kind(rawValue: kind) else {
                throw DamagedValue(what: "a decision's kind", text: kind)
            }
            let decision = LedgerDecision(
                sequence: row[0], kind: known, on: try day(row[3], "a decision's day"),
                recordedAt: row[4], by: row[5],
                note: row[6], action: row[7], due: try optionalDay(row[8] as String?, "a decision's due date"),
                until: try optionalDay(row[9] as String?, "a decision's until date"), reason: row[10],
                severity: try (row[11] as String?).map { try severity($0, "a decision's severity") })
            trails[row[1], default: []].append(decision)
        }
        return trails
    }

    static func closestID(to id: String, db: Database) throws -> String? {
        Suggestion.closest(to: id, in: try String.fetchAll(db, sql: "SELECT id FROM findings"))
    }

    /// Dates, severities and decision kinds are written only by this module, so a value that is
    /// not one means the file was changed by something else: an error, never a stand-in value.
    struct DamagedValue: Error, CustomStringConvertible {
        var what: String
        var text: String
        var description: String {
            "damaged: it holds '\(text)' as \(what), which attune never writes (was the file changed by another program?); restore it from a backup or an export"
        }
    }

    static func day(_ text: String, _ what: String) throws(DamagedValue) -> Day {
        guard let day = Day(iso: text) else { throw DamagedValue(what: what, text: text) }
        return day
    }

    /// A date that may be empty: empty stays empty, a bad one is an error.
    static func optionalDay(_ text: String?, _ what: String) throws(DamagedValue) -> Day? {
        guard let text else { return nil }
        return try day(text, what)
    }

    static func severity(_ text: String, _ what: String) throws(DamagedValue) -> Severity {
        guard let severity = Severity(rawValue: text) else { throw DamagedValue(what: what, text: text) }
        return severity
    }

    /// Now, UTC, to the second: `2026-11-29T10:02:11Z`.
    public static func timestamp(_ date: Date = Date()) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = Day(number: Int32(seconds / 86_400))
        let rest = seconds % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    /// Fault injection for the kill-mid-write test: with ATTUNE_LEDGER_PAUSE_BEFORE_COMMIT set to a
    /// number of seconds, a review's or a decision's transaction says so on standard error and waits before committing.
    static func pauseBeforeCommitWhenAsked() throws {
        guard let text = ProcessInfo.processInfo.environment["ATTUNE_LEDGER_PAUSE_BEFORE_COMMIT"],
            let seconds = Double(text)
        else { return }
        FileHandle.standardError.write(Data("ledger: pausing before commit\n".utf8))
        Thread.sleep(forTimeInterval: seconds)
    }

    func reading<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    /// One immediate transaction: it takes the write lock at once, so two processes queue on the
    /// busy timeout instead of failing when one read before the other wrote.
    func writing<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.wrap(error, path: path)
        }
    }

    static func wrap(_ error: any Error, path: String) -> LedgerError {
        if let error = error as? LedgerError { return error }
        guard let error = error as? DatabaseError else { return LedgerError(path: path, reason: "\(error)") }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notSQLite(path)
        case .SQLITE_CORRUPT:
            return LedgerError(
                path: path, reason: "corrupt (SQLite: \(message)); restore it from a backup or an export")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LedgerError(
                path: path, reason: "busy: another process held it for more than \(Int(busyTimeout)) s; try again")
        default: return LedgerError(path: path, reason: "SQLite: \(message)")
        }
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: the same value always gives the same bytes.
    static var ledger: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
