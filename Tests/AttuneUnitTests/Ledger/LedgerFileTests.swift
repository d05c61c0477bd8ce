import AttuneCore
import AttuneLedger
import Foundation
import GRDB
import Testing

/// Files that are not ledgers, damaged ledgers, ledgers from a newer Attune, and what a ledger
/// may hold: each an error naming the file, and the file left as it was.
@Suite struct LedgerFileTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aMissingLedgerIsCreatedOnlyWhenAsked() throws {
        let folder = try LedgerFixtures.folder()
        let path = folder.appendingPathComponent("none.db").path
        let error = #expect(throws: LedgerError.self) { try Ledger.open(path: path, create: false) }
        #expect(error?.description.hasPrefix(path + ": error: no ledger here") == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotSQLiteIsNamedAndLeftAlone() throws {
        let folder = try LedgerFixtures.folder()
        let path = folder.appendingPathComponent("notes.txt").path
        try Data("Session notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
        let before = try Self.bytes(path)
        for create in [false, true] {
            let error = #expect(throws: LedgerError.self) { try Ledger.open(path: path, create: create) }
            #expect(
                error?.description
                    == "\(path): error: not a SQLite database, so not an Attune ledger (was the wrong file given to --ledger?)"
            )
        }
        #expect(try Self.bytes(path) == before)
    }

    @Test func aFolderIsNotALedger() throws {
        let folder = try LedgerFixtures.folder()
        let error = #expect(throws: LedgerError.self) { try Ledger.open(path: folder.path, create: true) }
        #expect(error?.description == "\(folder.path): error: not a file")
    }

    @Test func anEmptyFileBecomesALedgerOnlyWhenRecording() throws {
        let folder = try LedgerFixtures.folder()
        let path = folder.appendingPathComponent("empty.db").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = #expect(throws: LedgerError.self) { try Ledger.open(path: path, create: false) }
        #expect(error?.reason.contains("an empty file") == true)
        let ledger = try Ledger.open(path: path, create: true)
        #expect(
            try ledger.record(LedgerFixtures.clinic(week: "2026-W48"), provenance: LedgerFixtures.provenance)
                .reviewNumber == 1)
    }

    @Test func anotherSQLiteDatabaseIsNotALedger() throws {
        let folder = try LedgerFixtures.folder()
        let path = folder.appendingPathComponent("other.db").path
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE patients (name TEXT)") }
        let before = try Self.bytes(path)
        let error = #expect(throws: LedgerError.self) { try Ledger.open(path: path, create: true) }
        #expect(error?.description.contains("a SQLite database, but not an Attune ledger") == true)
        #expect(try Self.bytes(path) == before)
    }

    @Test func aCorruptLedgerIsNamed() throws {
        let (ledger, folder) = try LedgerFixtures.ledger()
        _ = try ledger.record(LedgerFixtures.clinic(week: "2026-W48"), provenance: LedgerFixtures.provenance)
        let copy = folder.appendingPathComponent("damaged.db").path
        // A checkpointed copy (VACUUM INTO) with its schema page overwritten past the header.
        try GRDBAccess.queue(ledger.path).writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [copy])
        }
        var bytes = try Self.bytes(copy)
        for index in 100..<1024 { bytes[index] = UInt8(truncatingIfNeeded: index &* 37) }
        try bytes.write(to: URL(fileURLWithPath: copy))
        let error = #expect(throws: LedgerError.self) {
            let damaged = try Ledger.open(path: copy, create: false)
            _ = try damaged.export()
        }
        #expect(error?.description.hasPrefix(copy + ": error:") == true)
        #expect(
            error?.reason.contains("corrupt") == true || error?.reason.contains("not a SQLite") == true,
            "\(error?.reason ?? "")")
    }

    @Test(arguments: ["user_version", "migration"])
    func aLedgerFromANewerSchemaIsRefusedAndNotModified(_ how: String) throws {
        let (ledger, folder) = try LedgerFixtures.ledger()
        _ = try ledger.record(LedgerFixtures.clinic(week: "2026-W48"), provenance: LedgerFixtures.provenance)
        let path = folder.appendingPathComponent("newer.db").path
        try GRDBAccess.queue(ledger.path).writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [path])
        }
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            if how == "user_version" {
                try db.execute(sql: "PRAGMA user_version = \(Ledger.schemaVersion + 1)")
            } else {
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
        }
        try queue.close()
        let before = try Self.bytes(path)
        for create in [true, false] {
            let error = #expect(throws: LedgerError.self) { try Ledger.open(path: path, create: create) }
            #expect(
                error?.description.hasPrefix(path + ": error: written by a newer Attune") == true,
                "\(error?.description ?? "")")
        }
        #expect(try Self.bytes(path) == before)
    }

    @Test func theLedgerHoldsNoSessionNotes() throws {
        let marker = "ZQXJ-private-session-words"
        let records = """
            - {client: C-1, therapist: T-01, date: 2026-11-16, session: 1, attendance: attended, measures: {srs: 38}, notes: "\(marker) one",
               rupture: {type: withdrawal, intensity: 4, resolution: none, markers: [minimal-response]}}
            - {client: C-1, therapist: T-01, date: 2026-11-24, session: 2, attendance: attended, measures: {srs: 30}, notes: "\(marker) two"}
            - {client: C-1, therapist: T-01, date: 2026-11-25, session: 3, attendance: no-show, notes: "\(marker) three"}
            """
        var request = ReviewRequest(includeNotes: true)
        request.setWeek(ReportFixtures.week48)
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.batch(records), request: request)
        #expect(
            review.allFindings.contains { $0.finding.records.contains { $0.note?.contains(marker) == true } },
            "the fixture must put notes in the review's evidence")
        let (ledger, folder) = try LedgerFixtures.ledger()
        let part = try ledger.record(review, provenance: LedgerFixtures.provenance)
        try LedgerFixtures.decide(ledger, review.allFindings[0].finding.id, .discuss, note: "Supervisor's own words")
        _ = part
        let export = try ledger.export().json()
        #expect(!String(decoding: export, as: UTF8.self).contains(marker))
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let data = try Self.bytes(folder.appendingPathComponent(file).path)
            #expect(data.range(of: Data(marker.utf8)) == nil, "\(file) holds a session note")
        }
        #expect(String(decoding: export, as: UTF8.self).contains("Supervisor's own words"))
    }
}

extension LedgerFileTests {
    /// A value only attune writes (a date, a severity, a decision's kind) that is not one means
    /// another program changed the file: an error naming it, never a stand-in (day 0, info, discuss).
    @Test(arguments: [
        ("UPDATE findings SET opened = 'soon'", "it holds 'soon' as a finding's opening date"),
        ("UPDATE findings SET closed = '2026-13-40'", "it holds '2026-13-40' as a finding's closing date"),
        ("UPDATE findings SET severity = 'urgent'", "it holds 'urgent' as a finding's severity"),
        ("UPDATE decisions SET kind = 'ignore'", "it holds 'ignore' as a decision's kind"),
        ("UPDATE decisions SET due = 'tomorrow'", "it holds 'tomorrow' as a decision's due date"),
    ])
    func aValueAttuneNeverWritesIsAnErrorNotAStandIn(_ damage: String, _ expected: String) throws {
        let (ledger, _) = try LedgerFixtures.ledger()
        let review = try LedgerFixtures.recorded(LedgerFixtures.clinic(week: "2026-W48"), in: ledger)
        let id = try #require(review.allFindings.first?.finding.id)
        try LedgerFixtures.decide(ledger, id, .discuss, note: "talked it through", action: "ask", due: "2026-12-04")
        try GRDBAccess.queue(ledger.path).writeWithoutTransaction { db in
            for table in ["findings", "decisions"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(table)_no_update")
            }
            // As another program might: past the schema's own checks too.
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(sql: damage)
        }
        let error = #expect(throws: LedgerError.self) { try ledger.finding(id) }
        #expect(
            error?.description
                == "\(ledger.path): error: damaged: \(expected), which attune never writes (was the file changed by another program?); restore it from a backup or an export"
        )
    }
}
