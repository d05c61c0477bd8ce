import ArgumentParser
import AttuneCore

/// `--rules DIR` (repeatable), `--no-default-rules` and `--allow-exec-plugins`, for the commands that use packs on
/// records or print them (review, explain, rules, schema); `PackStack` loads them.
struct PackOptions: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp(
            "A rule pack folder to load after the default pack (repeatable; later packs override earlier ones).",
            valueName: "dir"))
    var packs: [String] = []

    @OptionGroup var defaultPack: DefaultPackFlag

    @OptionGroup var execPlugins: ExecPluginFlag

    var stack: PackStack {
        PackStack(
            folders: packs, defaultPack: !defaultPack.noDefaultRules, allowsProcesses: execPlugins.allowExecPlugins)
    }

    /// Loads the packs; prints their errors and stops with exit 2 when there are any.
    func loadRuleSet() throws -> RuleSet {
        try stack.loadForUse()
    }
}

extension Severity: ExpressibleByArgument {}
