import AttuneCore
import AttuneYAML

/// Runs the examples a kind declares, so that they are tests as well as documentation.
///
/// ```swift
/// let runner = KindExampleRunner(registry: BuiltinKinds.registry, vocabulary: defaultVocabulary)
/// let outcome = runner.run(ThresholdKind.declaration.examples[0], of: ThresholdKind.declaration)
/// #expect(outcome.passed, "\(outcome.report)")
/// ```
public struct KindExampleRunner: Sendable {
    public let registry: KindRegistry
    public let vocabulary: Vocabulary

    public init(registry: KindRegistry, vocabulary: Vocabulary) {
        self.registry = registry
        self.vocabulary = vocabulary
    }

    /// The whole rule module an example stands for.
    public static func ruleText(_ example: KindExample, kind: String) -> String {
        "id: example\ntitle: \(kind) example\nseverity: medium\nkind: \(kind)\nmessage: \"\(kind) example\"\n"
            + example.rule
    }

    public func run(_ example: KindExample, of declaration: KindDeclaration) -> RuleTestRunner.Outcome {
        let file = "<\(declaration.name) example: \(example.name)>"
        var diagnostics: [Diagnostic] = []
        var rule: Rule?
        var supporting: [Rule] = []
        do {
            var decoder = RuleModuleDecoder(registry: registry, vocabulary: vocabulary)
            for (path, text) in example.files {
                decoder.calibrationFiles[path] = PackSource.File(
                    path: "<\(declaration.name) example: \(path)>", relativePath: path, bytes: Array(text.utf8))
            }
            let nodes = try YAMLReader.documents(
                in: .bytes(Array(Self.ruleText(example, kind: declaration.name).utf8)), limits: .rules)
            rule = decoder.decode(nodes[0], file: file, pack: "examples", diagnostics: &diagnostics)
            for text in example.supportingRules {
                for node in try YAMLReader.documents(in: .bytes(Array(text.utf8)), limits: .rules) {
                    if let other = decoder.decode(node, file: file, pack: "examples", diagnostics: &diagnostics) {
                        supporting.append(other)
                    }
                }
            }
        } catch {
            diagnostics.append(.error(.invalidValue, "\(error)", at: SourceLocation(file: file, line: 1, column: 1)))
        }
        var records: [SessionRecord] = []
        do {
            let decoder = RecordDecoder(vocabulary: vocabulary, defaults: .ruleTests)
            try YAMLReader.forEachItem(in: .bytes(Array(example.records.utf8)), limits: .records) { node in
                if let record = decoder.decode(node, file: file, diagnostics: &diagnostics) { records.append(record) }
            }
        } catch {
            diagnostics.append(.error(.invalidValue, "\(error)", at: SourceLocation(file: file, line: 1, column: 1)))
        }
        let location = SourceLocation(file: file, line: 1, column: 1)
        let expected = example.expect.map {
            ExpectedFinding(
                client: $0.client, therapist: $0.therapist, opened: Day(iso: $0.opened),
                closed: $0.closed.flatMap { Day(iso: $0) }.map(ExpectedFinding.Closing.on) ?? .open)
        }
        let test = RuleTest(
            name: example.name, location: location, asOf: example.asOf.flatMap { Day(iso: $0) },
            records: records, expect: expected)
        guard let rule, rule.enabled, diagnostics.errors.isEmpty else {
            return RuleTestRunner.Outcome(
                suite: declaration.name, name: example.name, location: location, missing: expected,
                unexpected: [], actual: [], expected: expected,
                failures: diagnostics.map {
                    Engine.Failure(
                        rule: "example", client: "-", episode: "-", location: $0.location, message: $0.message)
                })
        }
        let ruleSet = RuleSet(
            packs: [], vocabulary: vocabulary, rules: [rule] + supporting, scenarios: [], diagnostics: [])
        return RuleTestRunner(ruleSet: ruleSet).runInline(test, of: rule)
    }
}
