import ArgumentParser

/// `--allow-exec-plugins`, on every command that loads packs: process plugins (`exec:` in a
/// pack.yaml) run a program with the user's rights, so none starts unless the user asks.
struct ExecPluginFlag: ParsableArguments {
    @Flag(
        name: .customLong("allow-exec-plugins"),
        help: "Run the process plugins (exec:) the packs declare; they run with your rights (docs/plugins.md).")
    var allowExecPlugins = false
}
