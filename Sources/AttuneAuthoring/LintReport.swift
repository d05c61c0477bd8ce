import AttuneCore

/// What `attune lint` found in a set of packs: every diagnostic of one loading pass, in file,
/// line and column order, each with the lint check it belongs to.
///
/// ```swift
/// let ruleSet = PackLoader(registry: BuiltinKinds.registry).load(sources)
/// let report = LintReport(ruleSet: ruleSet, files: sources.flatMap { $0.files.map(\.path) })
/// print(report.text())          // rules/x.yaml:4:8: error: unknown key 'mach'; did you mean 'match'?
/// print(report.exitStatus(warningsAsErrors: false))   // 1 when there are errors
/// ```
public struct LintReport: Sendable {
    public var diagnostics: [Diagnostic]
    /// The files looked at, in the order read.
    public var files: [String]
    /// How many rules loaded (disabled ones included).
    public var ruleCount: Int

    public init(diagnostics: [Diagnostic], files: [String], ruleCount: Int) {
        self.diagnostics = diagnostics.sortedByLocation()
        self.files = files
        self.ruleCount = ruleCount
    }

    public init(ruleSet: RuleSet, files: [String]) {
        self.init(diagnostics: ruleSet.diagnostics, files: files, ruleCount: ruleSet.rules.count)
    }

    public var errorCount: Int { diagnostics.errors.count }
    public var warningCount: Int { diagnostics.warnings.count }

    /// 1 on any error (or any warning with `warningsAsErrors`), else 0.
    public func exitStatus(warningsAsErrors: Bool) -> Int32 {
        errorCount > 0 || (warningsAsErrors && warningCount > 0) ? 1 : 0
    }

    /// `12 files, 9 rules: 2 errors, 1 warning` (and `, 1 note` when there are notes).
    public var summary: String {
        let notes = diagnostics.notes.count
        return "\(files.count) file\(files.count == 1 ? "" : "s"), \(ruleCount) rule\(ruleCount == 1 ? "" : "s"): "
            + "\(errorCount) error\(errorCount == 1 ? "" : "s"), \(warningCount) warning\(warningCount == 1 ? "" : "s")"
            + (notes > 0 ? ", \(notes) note\(notes == 1 ? "" : "s")" : "")
    }

    /// One diagnostic a line, then the summary.
    public func text() -> String {
        (diagnostics.map(\.description) + [summary]).joined(separator: "\n") + "\n"
    }

    /// `attune.lint/1`: counts and the located diagnostics, each with its check.
    public func json() -> JSON {
        .object([
            ("format", .string("attune.lint/1")),
            ("files", .integer(files.count)),
            ("rules", .integer(ruleCount)),
            ("errors", .integer(errorCount)),
            ("warnings", .integer(warningCount)),
            (
                "diagnostics",
                .array(
                    diagnostics.map { diagnostic in
                        .object([
                            ("file", .string(diagnostic.location.file)),
                            ("line", .integer(diagnostic.location.line)),
                            ("column", .integer(diagnostic.location.column)),
                            ("severity", .string(diagnostic.severity.rawValue)),
                            ("check", .string(diagnostic.check.id)),
                            ("message", .string(diagnostic.message)),
                        ])
                    })
            ),
        ])
    }
}
