import AttuneCore

/// Makes a copy of a rule from its expressions' text and its parameters, with one part changed
/// or with coverage watching it: the instrumented rules of `attune test --coverage` and the
/// mutants of `attune test --mutate`. The copy is compiled and configured exactly as the
/// pack loader does it, so it behaves as the rule would with that text.
///
/// ```swift
/// let mutant = RuleRebuilder(vocabulary: ruleSet.vocabulary)
///     .rebuild(rule, changing: .expression(.key("match"), "measures.srs <= srs_cutoff"))
/// ```
public struct RuleRebuilder: Sendable {
    /// An expression of a rule: `where`, a kind's key (`match`, `until`), or a score signal's `when`.
    public enum Site: Sendable, Hashable, CustomStringConvertible {
        case key(String)
        case signal(Int)

        public var description: String {
            switch self {
            case .key(let key): return key
            case .signal(let position): return "signals[\(position)].when"
            }
        }
    }

    public enum Change: Sendable {
        case expression(Site, String)
        case parameter(String, ParameterValue)
    }

    public let vocabulary: Vocabulary

    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// Every expression of the rule with its site and parsed tree, in rule order.
    public static func expressions(of rule: Rule) -> [(site: Site, source: String)] {
        var list: [(Site, String)] = []
        if let whereExpression = rule.whereExpression { list.append((.key("where"), whereExpression.source)) }
        for key in rule.expressions.keys.sorted() { list.append((.key(key), rule.expressions[key]!.source)) }
        for (_, value) in rule.parameters.sorted(by: { $0.key < $1.key }) {
            guard case .signals(let signals) = value else { continue }
            for (position, signal) in signals.enumerated() { list.append((.signal(position), signal.condition.source)) }
        }
        return list
    }

    /// The name coverage reports a site under: `where`, `match`, `signal 'SRS below the cutoff'`.
    public static func coverageKey(_ site: Site, of rule: Rule) -> String {
        switch site {
        case .key(let key): return key
        case .signal(let position): return "signal '\(signal(position, of: rule)?.label ?? String(position))'"
        }
    }

    static func signal(_ position: Int, of rule: Rule) -> Signal? {
        for value in rule.parameters.values {
            if case .signals(let signals) = value, signals.indices.contains(position) { return signals[position] }
        }
        return nil
    }

    /// The rebuilt rule, or nil when the change does not compile or the kind refuses it.
    public func rebuild(_ rule: Rule, changing change: Change? = nil, coverage: RuleCoverage? = nil) -> Rule? {
        var copy = rule
        func source(_ site: Site, _ original: String) -> String {
            if case .expression(site, let text)? = change { return text }
            return original
        }
        func compile(_ site: Site, _ original: String) -> CompiledExpression? {
            var compiler = ExpressionCompiler(vocabulary: vocabulary)
            if let coverage { compiler.coverage = (coverage, Self.coverageKey(site, of: rule)) }
            guard case .success(let compiled) = compiler.compile(source(site, original)) else { return nil }
            return compiled
        }
        if let whereExpression = rule.whereExpression {
            guard let compiled = compile(.key("where"), whereExpression.source) else { return nil }
            copy.whereExpression = compiled
        }
        for (key, expression) in rule.expressions {
            guard let compiled = compile(.key(key), expression.source) else { return nil }
            copy.expressions[key] = compiled
        }
        for (key, expression) in rule.messageExpressions {
            let compiler = ExpressionCompiler(vocabulary: vocabulary)
            guard case .success(let compiled) = compiler.compile(expression.source, expecting: nil) else { return nil }
            copy.messageExpressions[key] = compiled
        }
        for (name, constant) in rule.parameterConstants {
            guard case .number(let value)? = vocabulary.constants[constant]?.value else { return nil }
            if case .integer? = copy.parameters[name] {
                guard value.rounded() == value, abs(value) < 1e15 else { return nil }
                copy.parameters[name] = .integer(Int(value))
            } else {
                copy.parameters[name] = .number(value)
            }
        }
        if case .parameter(let name, let value)? = change { copy.parameters[name] = value }
        for (name, value) in copy.parameters {
            guard case .signals(let signals) = value else { continue }
            var rebuilt: [Signal] = []
            for (position, signal) in signals.enumerated() {
                guard let compiled = compile(.signal(position), signal.condition.source) else { return nil }
                rebuilt.append(Signal(label: signal.label, points: signal.points, condition: compiled))
            }
            copy.parameters[name] = .signals(rebuilt)
        }
        do {
            copy.kind = try rule.registration.make(
                KindConfiguration(parameters: copy.parameters, vocabulary: vocabulary))
        } catch {
            return nil
        }
        copy.coverage = coverage
        return copy
    }
}
