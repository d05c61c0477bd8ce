import ArgumentParser
import AttuneCore
import AttuneKinds
import AttuneReporters
import AttuneRuleTesting

/// `attune test`: run every rule's inline tests and every `*.test.yaml` scenario of the packs.
///
/// ```sh
/// attune test rules Examples/custom-rules
/// attune test --format junit rules site > rule-tests.xml
/// ```
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the packs' inline rule tests and scenario files, and show what differs.",
        discussion: """
            \(PackStack.help) The packs are linted first: with any \
            lint error no test runs and the exit status is 2. A failing test prints its file:line and a \
            diff of expected against actual findings. The last line says 'N passed, N failed' (on standard \
            error with --format junit, so that standard output is the XML alone; the XML is written whatever \
            happens, with what stopped the run as <error> test cases).

            Exit status: 0 when every test passed; 1 when a test failed, when the packs hold no test at all \
            (or none matches --filter), or with --require-tests when a rule has none; 2 for lint errors and \
            unreadable folders.

            Examples:
              attune test rules Examples/custom-rules
              attune test rules --filter alliance-drop
              attune test --format junit rules Examples/custom-rules > rule-tests.xml
              attune test rules --coverage --min-coverage 90
              attune test rules --coverage-format cobertura --coverage-output coverage.xml
              attune test rules --mutate --fail-on-surviving

            Coverage and mutation testing run after the tests (see docs/writing-rules.md); \
            --min-coverage and --fail-on-surviving add exit status 1.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, junit
    }

    @Argument(help: ArgumentHelp("Rule pack folders, loaded in order after the built-in pack.", valueName: "pack"))
    var packs: [String] = []

    @OptionGroup var defaultPack: DefaultPackFlag

    @OptionGroup var execPlugins: ExecPluginFlag

    @Option(
        help: ArgumentHelp(
            "Only tests whose 'rule › test name' or file contains this text (case-insensitive).", valueName: "pattern"))
    var filter: String?

    @Option(help: "Output format: text or junit (JUnit XML).")
    var format: Format = .text

    @Flag(name: .customLong("require-tests"), help: "Fail when a rule that is switched on has no inline tests.")
    var requireTests = false

    @OptionGroup(title: "Coverage and mutation testing") var ruleChecks: RuleCheckOptions

    func validate() throws {
        try ruleChecks.validate(testFormatIsText: format == .text, packs: packs)
    }

    func run() throws {
        let stack = PackStack(
            folders: packs, defaultPack: !defaultPack.noDefaultRules, allowsProcesses: execPlugins.allowExecPlugins)
        let ruleSet: RuleSet
        do {
            ruleSet = try stack.load(try stack.sources())
        } catch let error as PackStack.ProcessPluginRefusal {
            try stop(error.diagnostics.map(\.description), status: 2)
        } catch {
            try stop(["\(error)"], status: 2)
        }
        if ruleSet.diagnostics.hasErrors {
            try stop(
                ruleSet.diagnostics.errors.sortedByLocation().map(\.description)
                    + ["error: the packs have lint errors, so no test was run ('attune lint' shows every problem)"],
                status: 2)
        }
        let available =
            ruleSet.activeRules.reduce(0) { $0 + $1.tests.count } + ruleSet.scenarios.reduce(0) { $0 + $1.tests.count }
        guard available > 0 else {
            try stop(
                ["error: the packs hold no tests; add 'tests:' to a rule or a *.test.yaml scenario file"], status: 1)
        }
        let outcomes = RuleTestRunner(ruleSet: ruleSet).runAll(filter: filter)
        guard !outcomes.isEmpty else {
            let ids = ruleSet.activeRules.map { $0.id }
            try stop(
                [
                    "error: no test matches --filter '\(filter ?? "")' (of \(available) tests)"
                        + Suggestion.phrase(for: filter ?? "", in: ids)
                        + "; it is matched, case-insensitively, against 'rule › test name' and the file; 'attune rules' lists the rule ids"
                ],
                status: 1)
        }

        var untested: [Diagnostic] = []
        if requireTests {
            for rule in ruleSet.activeRules where rule.tests.isEmpty {
                untested.append(.error(.noTests, "rule '\(rule.id)' has no tests (--require-tests)", at: rule.location))
            }
        }

        let failed = outcomes.filter { !$0.passed }.count
        let summary = "\(outcomes.count - failed) passed, \(failed) failed"
        switch format {
        case .junit:
            Terminal.standardOutput(JUnitWriter().render(outcomes, errors: untested.map(\.description)))
            for diagnostic in untested { Terminal.standardError(diagnostic.description) }
            Terminal.standardError(summary)
        case .text:
            var lines: [String] = []
            for outcome in outcomes {
                if outcome.passed {
                    lines.append("PASS  \(outcome.suite) › \(outcome.name)")
                } else {
                    lines.append("FAIL  \(outcome.suite) › \(outcome.name)")
                    lines += outcome.report.split(separator: "\n", omittingEmptySubsequences: false).map {
                        "      " + $0
                    }
                }
            }
            lines += untested.map(\.description)
            lines.append(summary)
            Terminal.standardOutput(lines.joined(separator: "\n") + "\n")
        }
        let gateFailed = try ruleChecks.run(ruleSet, filter: filter, testsPassed: failed == 0)
        if failed > 0 || !untested.isEmpty || gateFailed { throw ExitCode(1) }
    }

    /// Ends a run that has no outcome to report: the messages on standard error and, with
    /// --format junit, a JUnit document carrying them as errors (never an empty file).
    private func stop(_ messages: [String], status: Int32) throws -> Never {
        for message in messages { Terminal.standardError(message) }
        if format == .junit { Terminal.standardOutput(JUnitWriter().render([], errors: messages)) }
        throw ExitCode(status)
    }
}
