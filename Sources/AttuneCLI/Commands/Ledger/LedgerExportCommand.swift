import ArgumentParser
import AttuneLedger
import Foundation

/// `attune ledger export`: the whole ledger as JSON, for an audit or a move.
struct LedgerExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole ledger as JSON (attune.ledger-export/1): reviews, findings, changes, decisions.")

    @OptionGroup var ledger: LedgerPathOption

    @Option(
        help: ArgumentHelp(
            "Write to this file (atomically, owner-readable only) instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let ledger = try LedgerAccess.open(self.ledger.path, create: false)
        let document = try LedgerAccess.run { () throws(LedgerError) -> LedgerExport in try ledger.export() }
        do {
            let data = try document.json()
            try data.withUnsafeBytes { bytes in try ReviewCommand.write(to: output) { $0(bytes) } }
        } catch {
            Terminal.standardError("\(output ?? "standard output"): error: \(error)")
            throw ExitCode(2)
        }
    }
}
