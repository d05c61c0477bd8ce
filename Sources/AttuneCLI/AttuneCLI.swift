import ArgumentParser
import AttuneCore
import AttuneReporters
import Foundation

/// The `attune` command line as a library, so that a site can build its own `attune` with kinds
/// and reporters of its own (docs/plugins.md, "The Swift route"); `Sources/attune` is this with
/// none.
///
/// ```swift
/// // Sources/attune/main.swift of a site's package
/// import AttuneCLI
/// AttuneCLI.main(kinds: [ReliableChangeKind.self], reporters: [TSVReporter.self])
/// ```
public enum AttuneCLI {
    /// Runs the command line with the exit statuses of cli.md: 0 done, 1 findings/lint/test
    /// failures, 2 usage errors and unreadable input. `kinds` and `reporters` join the built-in
    /// ones in every command; a name that clashes with another is an error (exit 2) before any
    /// command runs.
    public static func main(kinds: [any Kind.Type] = [], reporters: [any Reporter.Type] = []) -> Never {
        MallocTuning.apply()
        let registries: SiteRegistries
        do {
            registries = try SiteRegistries(kinds: kinds, reporters: reporters)
        } catch {
            Terminal.standardError("error: \(error)")
            Foundation.exit(2)
        }
        SiteRegistries.$current.withValue(registries) { run(Array(CommandLine.arguments.dropFirst())) }
    }

    private static func run(_ arguments: [String]) -> Never {
        if let word = Attune.unknownSubcommand(in: arguments) {
            Terminal.standardError(
                "error: unknown command '\(word)'" + Suggestion.phrase(for: word, in: Attune.subcommandNames)
                    + " (commands: \(Attune.subcommandNames.joined(separator: ", ")); 'attune help' lists them)")
            Foundation.exit(2)
        }
        do {
            var command = try Attune.parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
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
