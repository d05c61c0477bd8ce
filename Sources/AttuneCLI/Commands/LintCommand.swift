import ArgumentParser
import AttuneAuthoring
import AttuneCore
import AttuneKinds
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
        abstract:
            "Check rule packs (YAML, keys, kinds, params, expressions, placeholders, ids, tests) without reading records.",
        discussion: """
            \(PackStack.help) So 'attune lint' checks the built-in pack, 'attune lint my-pack' a site \
            pack on top of it (exactly what 'attune review --rules my-pack' loads), and 'attune lint rules \
            Examples/custom-rules' the repository's rules/ folder in place of the built-in copy.

            Every problem of every pack is reported in one pass, as file:line:column: error|warning: message. \
            Exit status: 1 when there is an error (or, with --warnings-as-errors, a warning), else 0; \
            2 when a PACK folder cannot be read (the JSON and SARIF reports still say so).

            Examples:
              attune lint
              attune lint Examples/custom-rules
              attune lint rules Examples/custom-rules --format sarif > lint.sarif
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: ArgumentHelp("Rule pack folders, loaded in order after the built-in pack.", valueName: "pack"))
    var packs: [String] = []

    @OptionGroup var defaultPack: DefaultPackFlag

    @OptionGroup var execPlugins: ExecPluginFlag

    @Option(help: "Output format: text (to standard error), json or sarif (to standard output).")
    var format: Format = .text

    @Flag(name: .customLong("warnings-as-errors"), help: "Exit 1 on warnings too (a rule without tests, say).")
    var warningsAsErrors = false

    func run() throws {
        let stack = PackStack(
            folders: packs, defaultPack: !defaultPack.noDefaultRules, allowsProcesses: execPlugins.allowExecPlugins)
        let sources: [PackSource]
        do {
            sources = try stack.sources()
        } catch {
            // The JSON and SARIF reports are written all the same, carrying the error: a CI system
            // that reads them must see the failure, not an empty file.
            try write(
                LintReport(
                    diagnostics: [
                        .error(.pack, error.reason, at: SourceLocation(file: error.path, line: 1, column: 1))
                    ],
                    files: [], ruleCount: 0))
            throw ExitCode(2)
        }
        let report: LintReport
        do {
            report = LintReport(ruleSet: try stack.load(sources), files: sources.flatMap { $0.files.map(\.path) })
        } catch {
            // Exit 2 as for every command; the JSON and SARIF reports carry why, as above.
            try write(LintReport(diagnostics: error.diagnostics, files: [], ruleCount: 0))
            throw ExitCode(2)
        }
        try write(report)
        let status = report.exitStatus(warningsAsErrors: warningsAsErrors)
        if status != 0 { throw ExitCode(status) }
    }

    private func write(_ report: LintReport) throws {
        switch format {
        case .text: Terminal.standardError(report.text())
        case .json: Terminal.standardOutput(report.json().rendered() + "\n")
        case .sarif: Terminal.standardOutput(SARIFWriter(toolVersion: Attune.configuration.version).render(report))
        }
    }
}
