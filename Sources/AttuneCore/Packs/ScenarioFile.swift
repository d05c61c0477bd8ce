/// A `*.test.yaml` scenario beside the rules: records (inline or from a file) run through the
/// whole rule set at a fixed as-of date, with the findings expected and the rules that must stay silent.
///
/// ```yaml
/// name: a quiet caseload
/// as_of: 2026-11-29
/// records_file: quiet.yaml
/// expect: []
/// expect_absent: [unresolved-rupture]
/// ```
public struct ScenarioFile: Sendable {
    public static let keys = RuleTestDecoder.Key.allCases.filter(\.isInScenario).map(\.rawValue)

    public var path: String
    public var tests: [RuleTest]

    public init(path: String, tests: [RuleTest]) {
        self.path = path
        self.tests = tests
    }
}
