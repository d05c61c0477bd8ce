import AttuneCore

/// Writes a `MutationReport` as text: each surviving mutant at its rule's line with the test
/// that is missing, then the counts.
///
/// ```swift
/// print(MutationWriter().render(MutationReport.run(ruleSet)))
/// ```
public struct MutationWriter: Sendable {
    public init() {}

    public func render(_ report: MutationReport) -> String {
        var lines: [String] = []
        for mutant in report.survivors {
            lines.append("\(mutant.location): \(mutant.rule): \(mutant.summary) survives: \(mutant.reason)")
        }
        let run = report.mutants - report.invalid
        var summary =
            "Mutation testing: \(report.mutants) mutants, \(report.killed) killed, \(report.survivors.count) survived"
        if report.invalid > 0 { summary += ", \(report.invalid) not valid rules (not run)" }
        if run > 0 {
            let score = (Double(report.killed) * 1000 / Double(run)).rounded() / 10
            summary += "; mutation score \(score)%"
        }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }
}
