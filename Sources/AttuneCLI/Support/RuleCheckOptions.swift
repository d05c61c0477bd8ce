import ArgumentParser
import AttuneCore
import AttuneReporters
import AttuneRuleTesting

/// `attune test --coverage` and `attune test --mutate`: what the tests exercise of each rule,
/// and whether they would notice a rule changing. Run after the tests themselves.
struct RuleCheckOptions: ParsableArguments {
    @Flag(help: "Report which parts of each rule the tests exercised (conditions both ways, signals, kind branches).")
    var coverage = false

    @Option(name: .customLong("coverage-format"), help: "Coverage report format: text, json, cobertura (XML) or lcov.")
    var coverageFormat: CoverageWriter.Format?

    @Option(
        name: .customLong("coverage-output"),
        help: ArgumentHelp("Write the coverage report to this file instead of standard output.", valueName: "file"))
    var coverageOutput: String?

    @Option(
        name: .customLong("min-coverage"),
        help: ArgumentHelp("Exit 1 when rule coverage is below this percentage.", valueName: "pct"))
    var minCoverage: Double?

    @Flag(
        help:
            "Mutate each rule (operators, constants, params, and/or, conjuncts, where) and report the mutants no test kills."
    )
    var mutate = false

    @Flag(name: .customLong("fail-on-surviving"), help: "Exit 1 when a mutant survives (implies --mutate).")
    var failOnSurviving = false

    var wantsCoverage: Bool { coverage || coverageFormat != nil || coverageOutput != nil || minCoverage != nil }
    var wantsMutation: Bool { self.mutate || failOnSurviving }

    /// `packs`: the pack folders the tests read, which the coverage file must never replace.
    func validate(testFormatIsText: Bool, packs: [String]) throws {
        if let coverageOutput,
            let refusal = OutputGuard.refusal(
                for: coverageOutput, option: "--coverage-output",
                inputs: packs.map { OutputGuard.Input(path: $0, reads: PackSource.readsFile, role: "rule pack") })
        {
            throw ValidationError(refusal)
        }
        if let minCoverage, !(0...100).contains(minCoverage) {
            throw ValidationError("--min-coverage takes a percentage from 0 to 100")
        }
        if wantsCoverage, !testFormatIsText, coverageOutput == nil {
            throw ValidationError(
                "with --format junit, give the coverage report a file of its own: --coverage-output FILE")
        }
        if wantsMutation, !testFormatIsText {
            throw ValidationError("--mutate reports as text; run it without --format junit")
        }
    }

    /// Runs what was asked for; true when a gate (--min-coverage, --fail-on-surviving) failed.
    func run(_ ruleSet: RuleSet, filter: String?, testsPassed: Bool) throws -> Bool {
        var failed = false
        if wantsCoverage {
            let report = CoverageReport.measure(ruleSet, filter: filter)
            let text = CoverageWriter().render(report, as: coverageFormat ?? .text)
            if let coverageOutput {
                do {
                    try AtomicFile.write(text, to: coverageOutput)
                } catch {
                    Terminal.standardError("\(error)")
                    throw ExitCode(2)
                }
                Terminal.standardError(
                    "rule coverage \(CoverageWriter.percentText(report.percent)) written to \(coverageOutput)")
            } else {
                Terminal.standardOutput(text)
            }
            if let minCoverage, report.percent < minCoverage {
                Terminal.standardError(
                    "error: rule coverage \(CoverageWriter.percentText(report.percent)) is below --min-coverage \(CoverageWriter.percentText(minCoverage))"
                )
                failed = true
            }
        }
        if wantsMutation {
            guard testsPassed else {
                Terminal.standardError(
                    "error: no mutation testing while tests fail: a mutant is killed by a failing test, so every one would look killed"
                )
                return true
            }
            let report = MutationReport.run(ruleSet, filter: filter)
            Terminal.standardOutput(MutationWriter().render(report))
            if failOnSurviving, !report.survivors.isEmpty { failed = true }
        }
        return failed
    }
}

extension CoverageWriter.Format: ExpressibleByArgument {}
