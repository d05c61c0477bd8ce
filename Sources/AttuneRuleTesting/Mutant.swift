import AttuneCore

/// One small change to one rule (`attune test --mutate`): what changed, where, and what a test
/// that noticed it would have needed, said for when none does.
///
/// ```swift
/// for mutant in MutantGenerator(vocabulary: vocabulary).mutants(of: rule) { print(mutant.summary) }
/// ```
public struct Mutant: Sendable {
    public enum Operator: String, Sendable, CaseIterable {
        case comparison, constant, parameter
        case andOr = "and/or"
        case dropConjunct = "drop conjunct"
        case negateWhere = "negate where"
    }

    public var rule: String
    public var location: SourceLocation
    public var mutationOperator: Operator
    /// `match: \`measures.srs < srs_cutoff\`: < → <=`
    public var summary: String
    /// Why it can survive: the test that is missing.
    public var reason: String
    public var change: RuleRebuilder.Change
}
