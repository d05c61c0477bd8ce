import ArgumentParser
import AttuneCore
import AttuneReporters
import Foundation

/// `attune lint`: check rule packs without reading any record.
///
/// ```sh
/// attune lint                                   # the default pack built into the binary
/// attune lint rules Examples/custom-rules       # a stack of folders, later ones overriding earlier ones
/// attune lint --format sarif rules site > lint.sarif
/// ```
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule packs (YAML, keys, kinds, params, expressions, placeholders, ids, tests) without reading records.",
        discussion: """
            PACK folders are loaded in the order given, as one stack: later packs override earlier \
            ones, exactly as 'attune review --rules' would load them after the default pack. With no \
            PACK, the default pack built into this binary is checked. Given PACKs replace the built-in \
            pack (so 'attune lint rules site' checks the repository's rules/ folder, not a second copy); \
            add --with-default-rules to check a site pack on top of the built-in one.

            Every problem of every pack is reported in one pass, as file:line:column: error|warning: message. \
            Exit status: 1 when there is an error (or, with --warnings-as-errors, a warning), else 0; \
            2 when a PACK folder cannot be read.

            Examples:
              attune lint
              attune lint rules Examples/custom-rules
              attune lint --with-default-rules Examples/custom-rules --format sarif > lint.sarif
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: ArgumentHelp("Rule pack folders, loaded in order (default: the built-in pack).", valueName: "pack"))
    var packs: [String] = []

    @Flag(name: .customLong("with-default-rules"), help: "Load the built-in default pack before the given PACKs.")
    var withDefaultRules = false

    @OptionGroup var pluginOptions: PluginOptions

    @Option(help: "Output format: text (to standard error), json or sarif (to standard output).")
    var format: Format = .text

    @Flag(name: .customLong("warnings-as-errors"), help: "Exit 1 on warnings too (a rule without tests, say).")
    var warningsAsErrors = false

    func run() throws {
        let sources = try Self.sources(packs, withDefaultRules: withDefaultRules)
        let ruleSet = try pluginOptions.packLoader().load(sources)
        let report = LintReport(ruleSet: ruleSet, files: sources.flatMap { $0.files.map(\.path) })
        switch format {
        case .text: Terminal.standardError(report.text())
        case .json: Terminal.standardOutput(report.json().rendered() + "\n")
        case .sarif: Terminal.standardOutput(SARIFWriter(toolVersion: Attune.configuration.version).render(report))
        }
        let status = report.exitStatus(warningsAsErrors: warningsAsErrors)
        if status != 0 { throw ExitCode(status) }
    }

    /// The packs `lint` and `test` work on: the given folders in order, or the built-in pack when
    /// none is given; `withDefaultRules` puts the built-in pack first. Unreadable folders: exit 2.
    static func sources(_ paths: [String], withDefaultRules: Bool) throws -> [PackSource] {
        try PackOptions.sources(defaultPack: paths.isEmpty || withDefaultRules, folders: paths)
    }
}
