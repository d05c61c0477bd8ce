import ArgumentParser

/// `attune ledger discuss ID --note … [--action … --due DATE]`.
struct LedgerDiscussCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discuss", abstract: "Record that a finding was discussed in supervision.")

    @OptionGroup var decision: DecisionOptions

    @Option(
        help: ArgumentHelp("What was said or agreed (the supervisor's own words; no session notes).", valueName: "text")
    )
    var note: String

    @Option(
        help: ArgumentHelp("An action agreed, listed under 'actions due' once its date has come.", valueName: "text"))
    var action: String?

    @Option(help: ArgumentHelp("When the action is due.", valueName: "YYYY-MM-DD"))
    var due: String?

    func validate() throws { _ = try parseDay(due, option: "due") }

    func run() throws {
        try decision.record(.discuss, note: note, action: action, due: try parseDay(due, option: "due"))
    }
}
