/// A lint check: what kind of problem a diagnostic reports. Every diagnostic is created with its
/// check, so the stable id SARIF (`ruleId`), `attune lint --format json` (`check`) and the
/// documentation give it never depends on a message's wording. Declared once here: SARIF's
/// `rules`, the table in docs/writing-rules.md and the example tests all read `all`.
///
/// ```swift
/// diagnostics.append(.error(.unknownKind, "unknown kind 'windowed'; did you mean 'window'?", at: location))
/// ```
public struct DiagnosticCheck: Sendable, Hashable, CustomStringConvertible {
    /// The stable id (`unknown-key`): SARIF's `ruleId`, lint JSON's `check`.
    public let id: String
    /// One sentence, SARIF's `shortDescription`.
    public let summary: String
    /// What it reports, as the table of lint checks in docs/writing-rules.md says it.
    public let documentation: String
    /// The level SARIF gives the check when nothing else is said.
    public let defaultSeverity: Diagnostic.Severity
    /// Files of a rule pack, by path in the pack folder, that `attune lint` reports with this
    /// check. Without a `pack.yaml` of its own, the example is read with one that declares the
    /// measures `srs` (0–40, higher is better) and `phq9` (0–27, lower is better).
    public let example: [String: String]

    init(
        _ id: String, _ summary: String, documentation: String, defaultSeverity: Diagnostic.Severity = .error,
        example: [String: String]
    ) {
        self.id = id
        self.summary = summary
        self.documentation = documentation
        self.defaultSeverity = defaultSeverity
        self.example = example
    }

    public var description: String { id }

    public static func == (a: DiagnosticCheck, b: DiagnosticCheck) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// Every check, in the order SARIF and the documentation list them.
    public static let all: [DiagnosticCheck] = [
        yamlSyntax, unknownKey, missingKey, invalidValue, unknownKind, expression, placeholder,
        duplicateID, ruleReference, testRecord, noTests, pack, calibration,
    ]

    /// The check of an id, as SARIF and lint JSON print it.
    public static func named(_ id: String) -> DiagnosticCheck? { all.first { $0.id == id } }

    // MARK: The checks

    public static let yamlSyntax = DiagnosticCheck(
        "yaml-syntax", "The file is not well-formed YAML.",
        documentation: "the file is not well-formed YAML",
        example: ["broken.yaml": "id: broken\ntitle: [unclosed\nseverity: low\n"])

    public static let unknownKey = DiagnosticCheck(
        "unknown-key", "A key, param or field that the schema or the kind does not know.",
        documentation: "unknown keys, params and record fields, with a did-you-mean (`mach` → `match`)",
        example: [
            "typo.yaml": """
            id: typo
            title: Typo
            severity: low
            kind: threshold
            match: measures.srs < 30
            mesage: "low"
            message: "low"
            """
        ])

    public static let missingKey = DiagnosticCheck(
        "missing-key", "A required key or param is missing.",
        documentation: "a required key, param, test name, records or expect is missing",
        example: ["untitled.yaml": "id: untitled\nseverity: low\nkind: threshold\nmatch: measures.srs < 30\n"])

    public static let invalidValue = DiagnosticCheck(
        "invalid-value", "A value of the wrong type or outside its allowed values.",
        documentation: "wrong param type (`at_least: two`), severity or other value outside its set",
        example: [
            "count.yaml": """
            id: count
            title: Count
            severity: low
            kind: window
            match: measures.srs < 30
            params: {at_least: two, of_last: 4}
            message: "low"
            """
        ])

    public static let unknownKind = DiagnosticCheck(
        "unknown-kind", "The rule names a kind that is not registered.",
        documentation: "`windowed` → `window`",
        example: [
            "windowed.yaml": """
            id: windowed
            title: Windowed
            severity: low
            kind: windowed
            match: measures.srs < 30
            message: "low"
            """
        ])

    public static let expression = DiagnosticCheck(
        "expression", "An expression does not parse, names something unknown, or does not type-check.",
        documentation:
            "syntax errors at the bad token, unknown measures/sets/fields with a did-you-mean, type errors (`measures.srs == 'high'`)",
        example: [
            "typed.yaml": """
            id: typed
            title: Typed
            severity: low
            kind: threshold
            match: measures.srs == 'high'
            message: "low"
            """
        ])

    public static let placeholder = DiagnosticCheck(
        "placeholder",
        "A message placeholder the kind does not provide, or a message past its limits (32 placeholders, 1,000 characters).",
        documentation:
            "a `{placeholder}` the kind does not provide; a message of more than 32 placeholders or 1,000 characters (a rendered message is cut at 2,000 characters, ending in `…`)",
        example: [
            "counted.yaml": """
            id: counted
            title: Counted
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "{count} low sessions"
            """
        ])

    public static let duplicateID = DiagnosticCheck(
        "duplicate-id", "Two rules of the packs have the same id.",
        documentation: "two rules with one id across the packs (reported at both)",
        example: [
            "twice.yaml": """
            - {id: twice, title: Twice, severity: low, kind: threshold, match: measures.srs < 30, message: low}
            - {id: twice, title: Twice, severity: low, kind: threshold, match: measures.srs < 20, message: lower}
            """
        ])

    public static let ruleReference = DiagnosticCheck(
        "rule-reference",
        "A rule or scenario names a rule that does not exist, or rules read each other in a cycle or more than 16 levels deep.",
        documentation:
            "`caseload` rules or scenarios naming unknown rules; rules reading each other in a cycle, or more than 16 levels deep (a rule reading a rule reading …)",
        example: [
            "outcomes.test.yaml": """
            name: an unknown rule
            records: [{client: C1, therapist: T1, date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{rule: no-such-rule, opened: 2026-01-08}]
            """
        ])

    public static let testRecord = DiagnosticCheck(
        "test-record", "A test's records are not valid session records.",
        documentation:
            "a test's records are not valid records; a rupture whose markers belong to the other type (withdrawal markers on a confrontation rupture: code it `mixed`) is a warning",
        example: [
            "misspelt.yaml": """
            id: misspelt
            title: Misspelt
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "low"
            tests:
              - name: a misspelt attendance
                records: [{date: 2026-01-08, attendance: atended, measures: {srs: 20}}]
                expect: []
            """
        ])

    public static let noTests = DiagnosticCheck(
        "no-tests", "A rule has no inline tests.",
        documentation: "a rule without tests (warning)",
        defaultSeverity: .warning,
        example: [
            "untested.yaml": """
            id: untested
            title: Untested
            severity: low
            kind: threshold
            match: measures.srs < 30
            message: "low"
            """
        ])

    public static let pack = DiagnosticCheck(
        "pack", "A problem with a pack as a whole: its pack.yaml, overrides and switches.",
        documentation: "`pack.yaml` problems, switching off a rule no earlier pack defines",
        example: ["off.yaml": "id: no-such-rule\nenabled: false\n"])

    public static let calibration = DiagnosticCheck(
        "calibration",
        "A calibration file (expected/NAME.yaml) is malformed, or no pack holds one yet (the rule is off).",
        documentation:
            "a calibration file (`expected/NAME.yaml`) that is malformed, or that no pack holds yet (a note: the rule is off until `attune calibrate` makes one)",
        example: [
            "on-track.yaml": """
            id: on-track
            title: On track
            severity: low
            kind: trajectory
            params: {measure: srs, expected: expected/srs.yaml, below_percentile: 25}
            message: "below"
            """
        ])
}
