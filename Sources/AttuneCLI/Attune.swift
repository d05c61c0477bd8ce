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

/// Runs the command line with the exit statuses of cli.md: 0 done, 1 findings/lint/test
/// failures, 2 usage errors and unreadable input.
@main
enum AttuneMain {
    static func main() {
        if let word = Attune.unknownSubcommand(in: Array(CommandLine.arguments.dropFirst())) {
            Terminal.standardError(
                "error: unknown command '\(word)'" + Suggestion.phrase(for: word, in: Attune.subcommandNames)
                    + " (commands: \(Attune.subcommandNames.joined(separator: ", ")); 'attune help' lists them)")
            Foundation.exit(2)
        }
        do {
            var command = try Attune.parseAsRoot()
            try command.run()
        } catch {
            let code = Attune.exitCode(for: error)
            if code == .success {
                print(Attune.fullMessage(for: error))
                Foundation.exit(0)
            }
            if let exit = error as? ExitCode {
                Foundation.exit(exit.rawValue)
            }
            // Usage and validation errors: cli.md says 2, where ArgumentParser would say 64.
            let message = Attune.fullMessage(for: error)
            Terminal.standardError(message)
            // One pointer to the help is enough: ArgumentParser's own usage lines usually carry it.
            if code == .validationFailure, !message.contains("for more information") {
                Terminal.standardError("See 'attune help \(Attune.subcommandName(for: error))' for usage.")
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
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
