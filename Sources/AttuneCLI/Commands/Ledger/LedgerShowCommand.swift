import ArgumentParser
import AttuneCore
import AttuneLedger

/// `attune ledger show ID`: a finding's whole history in the ledger.
struct LedgerShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a finding's whole history: what reviews saw, and every decision.")

    @Argument(help: ArgumentHelp("The finding's id.", valueName: "id"))
    var id: String

    @OptionGroup var ledger: LedgerPathOption

    func run() throws {
        let ledger = try LedgerAccess.open(self.ledger.path, create: false)
        let finding = try LedgerAccess.run { () throws(LedgerError) -> LedgerFinding in try ledger.finding(id) }
        var out = "\(finding.id) · \(finding.title) (\(finding.rule))\n"
        out +=
            "  \(finding.subject) · therapist \(finding.therapist) · \(finding.severity.rawValue) · "
            + (finding.closed.map { $0 == finding.opened ? "on \($0)" : "\(finding.opened) to \($0)" }
                ?? "open since \(finding.opened)") + "\n"
        let status = LedgerStates.status(
            decisions: finding.decisions, severity: finding.severity, asOf: try Clock.today())
        out += "  state today: \(status.state.rawValue)" + (status.resurfaced.map { " (back: \($0))" } ?? "") + "\n"
        out += "Reviews:\n"
        for change in finding.changes {
            out +=
                "  review #\(change.review) as of \(change.asOf): \(change.status), \(change.severity.rawValue)"
                + (change.closed.map { ", closed \($0)" } ?? "") + "\n"
        }
        out += finding.decisions.isEmpty ? "Decisions: none yet\n" : "Decisions:\n"
        for decision in finding.decisions {
            out += "  #\(decision.sequence) \(decision.summary) (recorded \(decision.recordedAt))\n"
        }
        Terminal.standardOutput(out)
    }
}
