/// A parsed, type-checked expression, ready to run on records.
///
/// ```swift
/// let compiled = try ExpressionCompiler(vocabulary: pack.vocabulary).compile("measures.srs < srs_cutoff").get()
/// let holds = try compiled.evaluate(row).isTrue
/// ```
public struct CompiledExpression: Sendable {
    public typealias Evaluator = @Sendable (EvaluationRow) throws(EvaluationError) -> Value
    /// A condition compiled to give a `Bool` directly: no `Value` (and no list) built on the way.
    /// It takes the row's parts, not an `EvaluationRow`: parameters are borrowed, while a row
    /// built for each call would retain and release its timeline and probe every time.
    typealias Test = @Sendable (Timeline, Int, EvaluationProbe?) throws(EvaluationError) -> Bool

    /// Everything behind one reference, so that copying an expression (into a rule timeline,
    /// out of a dictionary) costs one reference count rather than one per part.
    private final class Storage: Sendable {
        let source: String
        let type: ValueType
        let evaluator: Evaluator
        let test: Test?

        init(source: String, type: ValueType, evaluator: @escaping Evaluator, test: Test?) {
            self.source = source
            self.type = type
            self.evaluator = evaluator
            self.test = test
        }
    }

    private let storage: Storage

    /// The text as written in the rule.
    public var source: String { storage.source }
    public var type: ValueType { storage.type }

    init(source: String, type: ValueType, evaluator: @escaping Evaluator, test: Test? = nil) {
        storage = Storage(source: source, type: type, evaluator: evaluator, test: test)
    }

    public func evaluate(_ row: EvaluationRow) throws(EvaluationError) -> Value {
        try storage.evaluator(row)
    }

    /// For `where`, `match` and other conditions: null counts as false.
    public func holds(_ row: EvaluationRow) throws(EvaluationError) -> Bool {
        try holds(on: row.timeline, at: row.index, probe: row.probe)
    }

    /// The same, on record `index` of `timeline`, without building a row unless the probe
    /// records reads: the engine's form, called for every record a rule looks at.
    func holds(on timeline: Timeline, at index: Int, probe: EvaluationProbe?) throws(EvaluationError) -> Bool {
        // The typed test gives the same answer and the same missing-measure signal, but does
        // not list what it read; a probe that records reads (explain) gets the full evaluation.
        // Called in place: `if let test` would copy the closure (a reference count) per evaluation.
        if storage.test != nil, probe?.recordsReads != true { return try storage.test!(timeline, index, probe) }
        return try storage.evaluator(EvaluationRow(timeline: timeline, index: index, probe: probe)).isTrue
    }
}
