import ArgumentParser
import AttuneCore
import Foundation

/// `attune`: supervision reviews from session records, and the tools to write and check rule packs.
///
/// ```sh
/// attune review records/ --week 2026-W48 --format html --output review.html
/// ```
struct Attune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attune",
        abstract: "A rules engine for clinical supervision: which clients to talk about this week, and why.",
        discussion: """
            Records are pseudonymous session records (YAML, JSON, JSON Lines, CSV). \(PackStack.help)

            The examples of every 'attune help COMMAND' run as printed from the root of the Attune \
            repository, on its synthetic Examples/.

            Example:
              attune review Examples/clinic --week 2026-W48
            """,
        version: "0.1.0",
        subcommands: [
            ReviewCommand.self, LintCommand.self, TestCommand.self, DiffCommand.self, ExplainCommand.self,
            RulesCommand.self,
            SchemaCommand.self, CalibrateCommand.self, LedgerCommand.self, HistoryCommand.self, ServeCommand.self,
        ],
        defaultSubcommand: nil
    )
}

extension Attune {
    static func subcommandName(for error: Error) -> String {
        CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? ""
    }

    /// The names `attune NAME` accepts.
    static var subcommandNames: [String] {
        configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
    }

    /// The first word when it is no command (`attune revew …`, `attune help revew`); nil when it
    /// is one, or when the arguments start with an option (`--help`, `--version`), which
    /// ArgumentParser answers.
    static func unknownSubcommand(in arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        guard subcommandNames.contains(first) else { return first }
        if first == "help", arguments.count > 1, !arguments[1].hasPrefix("-"), !subcommandNames.contains(arguments[1]) {
            return arguments[1]
        }
        return nil
    }
}
