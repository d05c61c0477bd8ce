import ArgumentParser
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
            Records are pseudonymous session records (YAML, JSON, JSON Lines, CSV). Rules live in packs: \
            the built-in default pack, plus any folders given with --rules.

            Example:
              attune review Examples/clinic --week 2026-W48
            """,
        version: "0.1.0",
        subcommands: [ReviewCommand.self, LintCommand.self, TestCommand.self, ExplainCommand.self, RulesCommand.self, SchemaCommand.self,
                      LedgerCommand.self, HistoryCommand.self, ServeCommand.self],
        defaultSubcommand: nil
    )
}

/// Runs the command line with the exit statuses of cli.md: 0 done, 1 findings/lint/test
/// failures, 2 usage errors and unreadable input.
@main
enum AttuneMain {
    static func main() {
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
            Terminal.standardError(Attune.fullMessage(for: error))
            if code == .validationFailure { Terminal.standardError("See 'attune help \(Attune.subcommandName(for: error))' for usage.") }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

extension Attune {
    static func subcommandName(for error: Error) -> String {
        CommandLine.arguments.dropFirst().first { !$0.hasPrefix("-") } ?? ""
    }
}
