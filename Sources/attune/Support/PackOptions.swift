import ArgumentParser
import AttuneCore
import AttuneDefaultPack

/// `--rules DIR` (repeatable) and `--no-default-rules`, shared by every command that loads packs.
struct PackOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule pack folder to load after the default pack (repeatable; later packs override earlier ones).", valueName: "dir"))
    var packs: [String] = []

    @Flag(name: .customLong("no-default-rules"), help: "Do not load the built-in default pack.")
    var noDefaultRules = false

    @OptionGroup var pluginOptions: PluginOptions

    /// The default pack (unless switched off), then the given folders.
    func sources() throws -> [PackSource] {
        try Self.sources(defaultPack: !noDefaultRules, folders: packs)
    }

    /// The built-in pack when asked for, then each folder in order; an unreadable folder is a
    /// usage error (exit 2). Shared by every command that loads packs.
    static func sources(defaultPack: Bool, folders: [String]) throws -> [PackSource] {
        var sources = defaultPack ? [DefaultPack.source] : []
        for path in folders {
            do {
                sources.append(try PackSource.directory(path))
            } catch {
                Terminal.standardError(error.description)
                throw ExitCode(2)
            }
        }
        return sources
    }

    /// Loads the packs; prints their errors and stops with exit 2 when there are any.
    func loadRuleSet(showWarnings: Bool = false) throws -> RuleSet {
        let ruleSet = try pluginOptions.packLoader().load(try sources())
        let shown = showWarnings ? ruleSet.diagnostics : ruleSet.diagnostics.errors
        for diagnostic in shown.sortedByLocation() { Terminal.standardError(diagnostic.description) }
        if ruleSet.diagnostics.hasErrors {
            Terminal.standardError("error: the rule packs have errors (see above; 'attune lint' checks them)")
            throw ExitCode(2)
        }
        return ruleSet
    }
}

extension Severity: ExpressibleByArgument {}
