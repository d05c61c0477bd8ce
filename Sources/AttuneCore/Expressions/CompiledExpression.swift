/// A parsed, type-checked expression, ready to run on records.
///
/// ```swift
/// let compiled = try ExpressionCompiler(vocabulary: pack.vocabulary).compile("measures.srs < srs_cutoff").get()
/// let holds = try compiled.evaluate(row).isTrue
/// ```
public struct CompiledExpression: Sendable {
    public typealias Evaluator = @Sendable (EvaluationRow) throws(EvaluationError) -> Value

    /// The text as written in the rule.
    public let source: String
    public let type: ValueType
    private let evaluator: Evaluator

    init(source: String, type: ValueType, evaluator: @escaping Evaluator) {
        self.source = source
        self.type = type
        self.evaluator = evaluator
    }

    public func evaluate(_ row: EvaluationRow) throws(EvaluationError) -> Value {
        try evaluator(row)
    }

    /// For `where`, `match` and other conditions: null counts as false.
    public func holds(_ row: EvaluationRow) throws(EvaluationError) -> Bool {
        try evaluator(row).isTrue
    }
}
