import AttuneYAML

/// Reads the test cases of rule modules (`tests:`) and of scenario files (`*.test.yaml`): their
/// records through `RecordDecoder` (with the rule-test defaults), and the findings they expect.
///
/// ```swift
/// var reader = ScalarReader(file: "rules/drop.yaml")
/// let test = RuleTestDecoder(vocabulary: vocabulary).decodeTest(node, requireRule: false, &reader)
/// ```
public struct RuleTestDecoder: Sendable {
    /// The keys of a test, inline or in a scenario file, declared once: the decoder's unknown-key
    /// check and did-you-mean, and the JSON Schema (which switches over every case).
    public enum Key: String, CaseIterable, Sendable {
        case name, asOf = "as_of", constants, records, recordsFile = "records_file", expect
        case expectAbsent = "expect_absent"

        /// Whether a rule module's inline test (`tests:`) may have it.
        public var isInInlineTest: Bool {
            switch self {
            case .name, .asOf, .constants, .records, .expect: return true
            case .recordsFile, .expectAbsent: return false
            }
        }

        /// Whether a scenario file (`*.test.yaml`) may have it: a scenario runs the packs'
        /// constants as they are, and its expected findings name their rule.
        public var isInScenario: Bool {
            switch self {
            case .name, .asOf, .records, .recordsFile, .expect, .expectAbsent: return true
            case .constants: return false
            }
        }

        /// Where a key found in the wrong kind of test belongs.
        var misplacedAdvice: String {
            switch self {
            case .recordsFile:
                return "a rule's inline test, only of a scenario file (*.test.yaml); list the records under 'records'"
            case .expectAbsent:
                return "a rule's inline test, only of a scenario file (*.test.yaml); 'expect: []' expects no finding"
            case .constants:
                return "a scenario file, only of a rule's inline test; a scenario runs with the packs' constants"
            case .name, .asOf, .records, .expect:
                return "this test"
            }
        }
    }

    /// The keys of an expected finding (`expect:` items).
    public enum ExpectationKey: String, CaseIterable, Sendable {
        case rule, client, episode, therapist, opened, closed, severity, messageContains = "message_contains"
    }

    /// The keys of an inline test (a scenario's are `ScenarioFile.keys`).
    public static let keys = Key.allCases.filter(\.isInInlineTest).map(\.rawValue)
    public static let expectKeys = ExpectationKey.allCases.map(\.rawValue)

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
            guard let known = reader.known(key, as: Key.self, in: "a test", suggesting: keys, at: pair.key) else {
                continue
            }
            // A key of the other kind of test was once read and ignored, and a test without its
            // records passed: say where the key belongs.
            guard requireRule ? known.isInScenario : known.isInInlineTest else {
                reader.error(.unknownKey, "'\(key)' is not a key of \(known.misplacedAdvice)", at: pair.key)
                continue
            }
            switch known {
            case .name: name = reader.scalar(pair.value, field: "name") ?? ""
            case .asOf: asOf = reader.date(pair.value, field: "as_of")
            case .constants:
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
            case .records, .recordsFile:
                sawRecords = true
                var recordNodes: [Node] = []
                if known == .records {
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
            case .expect:
                sawExpect = true
                guard let items = pair.value.sequenceItems else {
                    reader.error(.invalidValue, "expect must be a list of findings ([] for none)", at: pair.value)
                    continue
                }
                expect = items.compactMap { decodeExpectation($0, requireRule: requireRule, &reader) }
            case .expectAbsent:
                absent = reader.strings(pair.value, field: "expect_absent") ?? []
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
            guard
                let known = reader.known(
                    key, as: ExpectationKey.self, in: "an expected finding", suggesting: Self.expectKeys, at: pair.key)
            else { continue }
            switch known {
            case .rule: expected.rule = reader.string(value, field: "rule")
            case .client: expected.client = reader.string(value, field: "client")
            case .episode: expected.episode = reader.string(value, field: "episode")
            case .therapist: expected.therapist = reader.string(value, field: "therapist")
            case .opened: expected.opened = reader.date(value, field: "opened")
            case .closed:
                if value.isNull {
                    expected.closed = .open
                } else if let day = reader.date(value, field: "closed") {
                    expected.closed = .on(day)
                }
            case .severity: expected.severity = reader.enumeration(value, field: "severity", as: Severity.self)
            case .messageContains: expected.messageContains = reader.string(value, field: "message_contains")
            }
        }
        if requireRule, expected.rule == nil {
            reader.error(.missingKey, "an expected finding in a scenario names its 'rule'", at: node)
        }
        return expected
    }
}
