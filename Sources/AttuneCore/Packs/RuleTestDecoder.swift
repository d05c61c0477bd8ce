import AttuneYAML

/// Reads the test cases of rule modules (`tests:`) and of scenario files (`*.test.yaml`): their
/// records through `RecordDecoder` (with the rule-test defaults), and the findings they expect.
///
/// ```swift
/// var reader = ScalarReader(file: "rules/drop.yaml")
/// let test = RuleTestDecoder(vocabulary: vocabulary).decodeTest(node, requireRule: false, &reader)
/// ```
public struct RuleTestDecoder: Sendable {
    /// The keys of an inline test (a scenario's are `ScenarioFile.keys`).
    public static let keys = ["name", "as_of", "constants", "records", "expect"]
    public static let expectKeys = [
        "rule", "client", "episode", "therapist", "opened", "closed", "severity", "message_contains",
    ]

    public let vocabulary: Vocabulary

    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    func decodeTests(_ node: Node, _ reader: inout ScalarReader) -> [RuleTest] {
        guard let items = node.sequenceItems else {
            reader.error(.invalidValue, "tests must be a list, found \(node.shapeName)", at: node)
            return []
        }
        return items.compactMap { decodeTest($0, requireRule: false, &reader) }
    }

    /// One test case: an inline test (`expect` items name no rule) or a scenario (they do).
    func decodeTest(
        _ node: Node, requireRule: Bool, recordsFile: ((String, Node) -> [Node]?)? = nil,
        _ reader: inout ScalarReader
    ) -> RuleTest? {
        guard let pairs = reader.pairs(node, field: "a test") else { return nil }
        let before = reader.diagnostics.count
        var name = ""
        var asOf: Day?
        var records: [SessionRecord] = []
        var expect: [ExpectedFinding] = []
        var absent: [String] = []
        var sawRecords = false
        var sawExpect = false
        var constants: [String: Value] = [:]
        let keys = requireRule ? ScenarioFile.keys : Self.keys
        let decoder = RecordDecoder(vocabulary: vocabulary, defaults: .ruleTests)
        let markerCheck = RuptureMarkerCheck(vocabulary: vocabulary)
        var warnings: [Diagnostic] = []
        for (key, pair) in pairs {
            switch key {
            case "name": name = reader.scalar(pair.value, field: "name") ?? ""
            case "as_of": asOf = reader.date(pair.value, field: "as_of")
            case "constants" where !requireRule:
                for (constant, entry) in reader.pairs(pair.value, field: "constants") ?? [] {
                    guard case .number? = vocabulary.constants[constant]?.value else {
                        let numeric = vocabulary.constants.filter {
                            if case .number = $0.value.value { return true } else { return false }
                        }.keys
                        reader.error(
                            .invalidValue,
                            "'\(constant)' is not a numeric constant of the packs"
                                + Suggestion.phrase(for: constant, in: numeric), at: entry.key)
                        continue
                    }
                    if let number = reader.number(entry.value, field: constant) {
                        constants[constant] = .number(number)
                    }
                }
            case "records", "records_file":
                sawRecords = true
                var recordNodes: [Node] = []
                if key == "records" {
                    guard let items = pair.value.sequenceItems else {
                        reader.error(.invalidValue, "records must be a list of session records", at: pair.value)
                        continue
                    }
                    recordNodes = items
                } else if let path = reader.string(pair.value, field: "records_file"),
                    let loaded = recordsFile?(path, pair.value)
                {
                    recordNodes = loaded
                }
                for item in recordNodes {
                    var recordDiagnostics: [Diagnostic] = []
                    if let record = decoder.decode(item, file: reader.file, diagnostics: &recordDiagnostics) {
                        records.append(record)
                        // A warning, not an error: the test still runs.
                        if let rupture = record.rupture, let problem = markerCheck.problem(with: rupture) {
                            warnings.append(.warning(.testRecord, "test record: " + problem, at: record.source))
                        }
                    }
                    reader.diagnostics += recordDiagnostics.map {
                        .error(.testRecord, "test record: " + $0.message, at: $0.location)
                    }
                }
            case "expect":
                sawExpect = true
                guard let items = pair.value.sequenceItems else {
                    reader.error(.invalidValue, "expect must be a list of findings ([] for none)", at: pair.value)
                    continue
                }
                expect = items.compactMap { decodeExpectation($0, requireRule: requireRule, &reader) }
            case "expect_absent" where requireRule:
                absent = reader.strings(pair.value, field: "expect_absent") ?? []
            default:
                reader.error(
                    .unknownKey, "unknown key '\(key)' in a test" + Suggestion.phrase(for: key, in: keys), at: pair.key)
            }
        }
        if name.isEmpty { reader.error(.missingKey, "a test needs a 'name'", at: node) }
        if !sawRecords { reader.error(.missingKey, "test '\(name)' has no records", at: node) }
        if !sawExpect && absent.isEmpty {
            reader.error(.missingKey, "test '\(name)' needs 'expect' (use [] to expect nothing)", at: node)
        }
        guard reader.diagnostics.count == before else { return nil }
        reader.diagnostics += warnings
        var test = RuleTest(
            name: name, location: reader.location(node), asOf: asOf, records: records, expect: expect,
            expectAbsent: absent)
        test.constants = constants
        return test
    }

    private func decodeExpectation(_ node: Node, requireRule: Bool, _ reader: inout ScalarReader) -> ExpectedFinding? {
        guard let pairs = reader.pairs(node, field: "an expected finding") else { return nil }
        var expected = ExpectedFinding(location: reader.location(node))
        for (key, pair) in pairs {
            let value = pair.value
            switch key {
            case "rule": expected.rule = reader.string(value, field: "rule")
            case "client": expected.client = reader.string(value, field: "client")
            case "episode": expected.episode = reader.string(value, field: "episode")
            case "therapist": expected.therapist = reader.string(value, field: "therapist")
            case "opened": expected.opened = reader.date(value, field: "opened")
            case "closed":
                if value.isNull {
                    expected.closed = .open
                } else if let day = reader.date(value, field: "closed") {
                    expected.closed = .on(day)
                }
            case "severity": expected.severity = reader.enumeration(value, field: "severity", as: Severity.self)
            case "message_contains": expected.messageContains = reader.string(value, field: "message_contains")
            default:
                reader.error(
                    .unknownKey,
                    "unknown key '\(key)' in an expected finding" + Suggestion.phrase(for: key, in: Self.expectKeys),
                    at: pair.key)
            }
        }
        if requireRule, expected.rule == nil {
            reader.error(.missingKey, "an expected finding in a scenario names its 'rule'", at: node)
        }
        return expected
    }
}
