import ArgumentParser
import AttuneLedger
import Foundation

/// `attune ledger import FILE --ledger NEW.db`: an export into a new, empty ledger.
struct LedgerImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Load a ledger export into a new, empty ledger (created if missing).")

    @Argument(help: ArgumentHelp("The export (JSON), from 'attune ledger export'.", valueName: "file"))
    var file: String

    @OptionGroup var ledger: LedgerPathOption

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            Terminal.standardError("\(file): error: cannot read: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let document = try LedgerAccess.run { () throws(LedgerError) -> LedgerExport in
            try LedgerExport.decode(data, path: file)
        }
        let ledger = try LedgerAccess.open(self.ledger.path, create: true)
        try LedgerAccess.run { () throws(LedgerError) in try ledger.importing(document) }
        Terminal.standardOutput(
            "Imported \(document.reviews.count) reviews, \(document.findings.count) findings and "
                + "\(document.decisions.count) decisions into \(self.ledger.path)\n")
    }
}
