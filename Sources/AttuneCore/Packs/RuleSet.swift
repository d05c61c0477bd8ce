/// The rules of one or more packs, merged: later packs add measures, constants and sets, and
/// replace rules they mark `override: true` (or switch off with `{id: x, enabled: false}`).
///
/// ```swift
/// let ruleSet = PackLoader(registry: BuiltinKinds.registry).load([defaultPack, sitePack])
/// if ruleSet.diagnostics.hasErrors { ... }
/// let engine = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
/// ```
public struct RuleSet: Sendable {
    public var packs: [PackManifest]
    public var vocabulary: Vocabulary
    /// Every effective rule, disabled ones included, in pack and file order.
    public var rules: [Rule]
    public var scenarios: [ScenarioFile]
    public var diagnostics: [Diagnostic]
    /// The kinds the rules could name: the registry loaded with, plus the packs' plugin kinds.
    public var registry = KindRegistry()

    public init(
        packs: [PackManifest], vocabulary: Vocabulary, rules: [Rule], scenarios: [ScenarioFile],
        diagnostics: [Diagnostic], registry: KindRegistry = KindRegistry()
    ) {
        self.packs = packs
        self.vocabulary = vocabulary
        self.rules = rules
        self.scenarios = scenarios
        self.diagnostics = diagnostics
        self.registry = registry
    }

    public var activeRules: [Rule] { rules.filter(\.enabled) }

    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }
}
