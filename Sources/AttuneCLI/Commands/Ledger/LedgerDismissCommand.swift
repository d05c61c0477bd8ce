import ArgumentParser

/// `attune ledger dismiss ID --reason …`.
struct LedgerDismissCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dismiss",
        abstract: "Judge a finding not relevant; reports list it in an appendix with the reason.",
        discussion: "It comes back to the main list if its severity rises.")

    @OptionGroup var decision: DecisionOptions

    @Option(help: ArgumentHelp("Why it is not relevant.", valueName: "text"))
    var reason: String

    func run() throws {
        try decision.record(.dismiss, reason: reason)
    }
}
