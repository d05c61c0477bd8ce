import GRDB

/// The ledger's tables, one migration per schema version. `PRAGMA user_version` holds the version
/// and `PRAGMA application_id` marks the file as an Attune ledger, so both can be read from the
/// file's header before SQLite opens it for writing.
///
/// Only pseudonymous ids, rule ids and titles, dates, severities and the supervisor's own words
/// are stored: never a record, a message built from one, or a session note.
enum LedgerSchema {
    /// "Attu", the file's SQLite application id.
    static let applicationID: Int32 = 0x4174_7475

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE reviews (
                      number INTEGER PRIMARY KEY AUTOINCREMENT,
                      recorded_at TEXT NOT NULL,
                      attune_version TEXT NOT NULL,
                      period_start TEXT NOT NULL,
                      period_end TEXT NOT NULL,
                      iso_week TEXT,
                      min_severity TEXT NOT NULL,
                      therapist_filter TEXT NOT NULL,
                      packs TEXT NOT NULL,
                      input_digest TEXT,
                      input_files INTEGER NOT NULL,
                      records_read INTEGER NOT NULL,
                      records_left_out INTEGER NOT NULL,
                      findings INTEGER NOT NULL
                    );
                    CREATE TABLE findings (
                      id TEXT PRIMARY KEY NOT NULL,
                      rule TEXT NOT NULL,
                      title TEXT NOT NULL,
                      therapist TEXT NOT NULL,
                      client TEXT,
                      episode TEXT,
                      opened TEXT NOT NULL,
                      closed TEXT,
                      severity TEXT NOT NULL,
                      first_review INTEGER NOT NULL REFERENCES reviews(number),
                      changed_as_of TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE finding_changes (
                      finding TEXT NOT NULL REFERENCES findings(id),
                      review INTEGER NOT NULL REFERENCES reviews(number),
                      status TEXT NOT NULL,
                      severity TEXT NOT NULL,
                      closed TEXT,
                      PRIMARY KEY (finding, review)
                    ) WITHOUT ROWID;
                    CREATE TABLE decisions (
                      sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                      finding TEXT NOT NULL REFERENCES findings(id),
                      kind TEXT NOT NULL CHECK (kind IN ('discuss', 'snooze', 'dismiss', 'reopen')),
                      on_day TEXT NOT NULL,
                      recorded_at TEXT NOT NULL,
                      by TEXT NOT NULL,
                      note TEXT,
                      action TEXT,
                      due TEXT,
                      until TEXT,
                      reason TEXT,
                      severity TEXT
                    );
                    CREATE INDEX decisions_by_finding ON decisions(finding, sequence);
                    CREATE INDEX findings_by_therapist ON findings(therapist, opened);
                    """)
            // The audit trail: decisions, reviews and observed changes are only ever added to.
            for table in ["decisions", "reviews", "finding_changes"] {
                for event in ["UPDATE", "DELETE"] {
                    try db.execute(
                        sql: """
                            CREATE TRIGGER \(table)_no_\(event.lowercased()) BEFORE \(event) ON \(table)
                            BEGIN SELECT RAISE(ABORT, 'the ledger''s \(table) are append-only'); END
                            """)
                }
            }
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return migrator
    }
}
