import ArgumentParser
import AttuneCore
import AttuneLedger
import Foundation

/// Opening a ledger from the command line: errors go to standard error and end in exit 2.
enum LedgerAccess {
    static func open(_ path: String, create: Bool) throws -> Ledger {
        do {
            return try Ledger.open(path: path, create: create)
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
    }

    /// Runs a ledger operation; its error is printed and ends in exit 2.
    static func run<T>(_ body: () throws(LedgerError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
    }

    /// Records a review and attaches the ledger's part of it: the packs' content digests and a
    /// digest of the input files (none for standard input) go with it.
    static func record(
        _ review: inout Review, ledger path: String, ruleSet: RuleSet, sources: [PackSource], records: [String]
    ) throws {
        let ledger = try open(path, create: true)
        let inputDigest: String?
        if records.contains("-") {
            inputDigest = nil
        } else {
            inputDigest = try run { () throws(LedgerError) -> String in
                do {
                    return try InputDigest.of(paths: try RecordLoader.expand(records))
                } catch let error as LedgerError {
                    throw error
                } catch {
                    throw LedgerError(path: records.joined(separator: " "), reason: "\(error)")
                }
            }
        }
        let provenance = ReviewProvenance(
            ruleSet: ruleSet, sources: sources, inputDigest: inputDigest,
            attuneVersion: Attune.configuration.version)
        let part = try run { () throws(LedgerError) -> ReviewLedger in try ledger.record(review, provenance: provenance)
        }
        review.applyLedger(part)
    }

    /// Who is deciding: `--by`, else ATTUNE_SUPERVISOR, else the login name.
    static func supervisor(_ by: String?) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let by = by ?? environment["ATTUNE_SUPERVISOR"] ?? environment["USER"] ?? environment["LOGNAME"], !by.isEmpty
        {
            return by
        }
        Terminal.standardError("error: say who made the decision with --by NAME (or set ATTUNE_SUPERVISOR)")
        throw ExitCode(2)
    }
}
