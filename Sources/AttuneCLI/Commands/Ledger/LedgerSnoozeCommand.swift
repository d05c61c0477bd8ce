import ArgumentParser

/// `attune ledger snooze ID --until DATE --reason …`.
struct LedgerSnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: "Take a finding out of the review's main list until a date.",
        discussion:
            "It is still counted, and comes back on that date, when its severity rises, or when it closes and opens again."
    )

    @OptionGroup var decision: DecisionOptions

    @Option(help: ArgumentHelp("The first review date on which it is back in the list.", valueName: "YYYY-MM-DD"))
    var until: String

    @Option(help: ArgumentHelp("Why it can wait.", valueName: "text"))
    var reason: String

    func validate() throws { _ = try parseDay(until, option: "until") }

    func run() throws {
        try decision.record(.snooze, until: try parseDay(until, option: "until"), reason: reason)
    }
}
