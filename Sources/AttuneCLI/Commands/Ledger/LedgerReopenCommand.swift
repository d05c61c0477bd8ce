import ArgumentParser

/// `attune ledger reopen ID`.
struct LedgerReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen", abstract: "Put a snoozed, dismissed or discussed finding back to open.")

    @OptionGroup var decision: DecisionOptions

    @Option(help: ArgumentHelp("Why (optional).", valueName: "text"))
    var reason: String?

    func run() throws {
        try decision.record(.reopen, reason: reason)
    }
}
