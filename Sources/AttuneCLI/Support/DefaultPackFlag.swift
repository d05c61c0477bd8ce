import ArgumentParser

/// `--no-default-rules`, the one switch of the loading model every command shares (see `PackStack`).
struct DefaultPackFlag: ParsableArguments {
    @Flag(
        name: .customLong("no-default-rules"),
        help: "Do not load the built-in default pack (its measures, constants and rules).")
    var noDefaultRules = false
}
