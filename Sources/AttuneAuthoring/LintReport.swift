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
    /// A lint check: the stable id SARIF and JSON output give each diagnostic, with a short text.
    public struct Check: Sendable, Hashable {
        public var id: String
        public var summary: String

        public init(_ id: String, _ summary: String) {
            self.id = id
            self.summary = summary
        }
    }

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
                            ("check", .string(Self.check(of: diagnostic).id)),
                            ("message", .string(diagnostic.message)),
                        ])
                    })
            ),
        ])
    }

    // MARK: Checks

    public static let yamlSyntax = Check("yaml-syntax", "The file is not well-formed YAML.")
    public static let unknownKey = Check(
        "unknown-key", "A key, param or field that the schema or the kind does not know.")
    public static let missingKey = Check("missing-key", "A required key or param is missing.")
    public static let invalidValue = Check("invalid-value", "A value of the wrong type or outside its allowed values.")
    public static let unknownKind = Check("unknown-kind", "The rule names a kind that is not registered.")
    public static let expression = Check(
        "expression", "An expression does not parse, names something unknown, or does not type-check.")
    public static let placeholder = Check(
        "placeholder",
        "A message placeholder the kind does not provide, or a message past its limits (32 placeholders, 1,000 characters)."
    )
    public static let duplicateID = Check("duplicate-id", "Two rules of the packs have the same id.")
    public static let ruleReference = Check(
        "rule-reference",
        "A rule or scenario names a rule that does not exist, or rules read each other in a cycle or more than 16 levels deep."
    )
    public static let testRecord = Check("test-record", "A test's records are not valid session records.")
    public static let noTests = Check("no-tests", "A rule has no inline tests.")
    public static let pack = Check("pack", "A problem with a pack as a whole: its pack.yaml, overrides and switches.")
    public static let calibration = Check(
        "calibration",
        "A calibration file (expected/NAME.yaml) is malformed, or no pack holds one yet (the rule is off).")

    /// Every check, in the order SARIF lists them.
    public static let checks = [
        yamlSyntax, unknownKey, missingKey, invalidValue, unknownKind, expression, placeholder,
        duplicateID, ruleReference, testRecord, noTests, pack, calibration,
    ]

    /// The check a diagnostic belongs to, told by the wording the loaders use. Anything not
    /// recognised belongs to `invalid-value`, the catch-all of schema problems.
    public static func check(of diagnostic: Diagnostic) -> Check {
        let message = diagnostic.message
        func has(_ text: String) -> Bool { message.contains(text) }
        if message.hasPrefix("test record: ") { return testRecord }
        if has("calibration") { return calibration }
        if message.hasPrefix("in '") {
            return message.hasPrefix("in 'message'") ? placeholder : expression
        }
        if message.hasPrefix("placeholder ") || message.hasPrefix("message has ") || message.hasPrefix("message is ") {
            return placeholder
        }
        if message.hasPrefix("unknown kind ") { return unknownKind }
        if message.hasPrefix("duplicate rule id ") { return duplicateID }
        if has("reads unknown rule") || has("reads its own findings") || has("in a cycle") || has("unknown rule '")
            || has("levels deep")
        {
            return ruleReference
        }
        if has("has no tests") { return noTests }
        if message.hasPrefix("unknown key ") || message.hasPrefix("unknown param ")
            || message.hasPrefix("unknown field ")
            || message.hasPrefix("unknown rupture field ") || has("does not read '")
            || message.hasPrefix("duplicate key ")
        {
            return unknownKey
        }
        if has("is missing") || has(" needs '") || has(" needs param ") || has("needs a 'name'")
            || has("has no records")
            || has("needs 'expect'") || has("names its 'rule'") || has(" needs a range") || has(" needs better")
        {
            return missingKey
        }
        if has("pack.yaml") || has("switches off") || has("marked override") || has("both a constant and a set")
            || has("no such rule pack")
        {
            return pack
        }
        if diagnostic.location.line > 0, isSyntaxMessage(message) { return yamlSyntax }
        return invalidValue
    }

    /// libyaml's own wording ("did not find expected key while parsing a block mapping", …) and the
    /// reader's limits.
    static func isSyntaxMessage(_ message: String) -> Bool {
        [
            "while parsing", "while scanning", "did not find expected", "found character",
            "mapping values are not allowed",
            "could not find expected", "found unexpected", "invalid UTF-8", "nesting deeper", "aliases ",
            "unknown alias",
            "scalar longer", "control characters", "found undefined tag", "block sequence entries are not allowed",
        ]
        .contains { message.contains($0) }
    }
}
