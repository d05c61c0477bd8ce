import AttuneCore

/// What can go wrong with a ledger file, always naming the file: `supervision.db: error: …`.
///
/// ```swift
/// do { _ = try Ledger.open(path: "x.db", create: false) } catch { print(error.description) }
/// ```
public struct LedgerError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): error: \(reason)" }

    static func notFound(_ path: String) -> LedgerError {
        LedgerError(path: path, reason: "no ledger here; 'attune review … --ledger \(path)' creates one")
    }

    static func notSQLite(_ path: String) -> LedgerError {
        LedgerError(
            path: path, reason: "not a SQLite database, so not an Attune ledger (was the wrong file given to --ledger?)"
        )
    }

    static func notALedger(_ path: String) -> LedgerError {
        LedgerError(path: path, reason: "a SQLite database, but not an Attune ledger; it was left as it is")
    }

    static func newerSchema(_ path: String, version: Int) -> LedgerError {
        LedgerError(
            path: path,
            reason:
                "written by a newer Attune (ledger schema \(version); this one knows up to \(Ledger.schemaVersion)); "
                + "it was left as it is: use that newer Attune, or export the ledger with it")
    }

    static func unknownFinding(_ path: String, id: String, suggestion: String?) -> LedgerError {
        var reason = "no finding '\(id)' in this ledger"
        if let suggestion {
            reason += "; did you mean '\(suggestion)'?"
        } else {
            reason += " (finding ids are shown in every report run with --ledger, e.g. 'id k3x9m7qd2a')"
        }
        return LedgerError(path: path, reason: reason)
    }
}
