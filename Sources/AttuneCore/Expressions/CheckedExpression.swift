/// A checked expression node, as `ExpressionCompiler` builds it: its type, its evaluator, and (for
/// paths) what a comparison may use.
///
/// Besides the general evaluator (which builds a `Value`), a node may carry typed forms that
/// the common rule shapes compile to: `measures.srs < srs_cutoff`, `attendance == 'attended'`,
/// `'distancing' in tags`, `overlaps(rupture.markers, withdrawal_markers)`. A typed form
/// reads the same fields in the same order, throws the same errors and flags a missing
/// measure on the probe the same way as the evaluator; it only skips building values
/// (a list per `tags` read), which is most of an evaluation's cost.
struct CheckedExpression {
    typealias Test = CompiledExpression.Test
    /// Typed forms take the row's parts (timeline, record index, probe), as `Test` does.
    typealias NumberForm = @Sendable (Timeline, Int, EvaluationProbe?) throws(EvaluationError) -> Double?
    typealias StringsForm = @Sendable (Timeline, Int) -> [String]?
    typealias Membership = @Sendable ([String]) -> @Sendable (Timeline, Int) -> Bool?

    var type: ValueType
    var evaluate: CompiledExpression.Evaluator
    var allowedValues: [String]? = nil
    var pathName: String? = nil
    var isNullLiteral = false
    var stringLiteral: (String, Int)? = nil
    /// Boolean nodes: the condition as a `Bool`.
    var test: Test? = nil
    /// Number nodes: the number, nil for null.
    var number: NumberForm? = nil
    /// List-of-string paths (`tags`, `rupture.markers`): the list, nil when absent.
    var strings: StringsForm? = nil
    /// Enumerated paths: whether the value is among some strings, nil when absent.
    var membership: Membership? = nil
    /// Literals, constants, sets and lists of them: the value, known before any record.
    var constant: Value? = nil

    init(type: ValueType, evaluate: @escaping CompiledExpression.Evaluator) {
        self.type = type
        self.evaluate = evaluate
    }

    /// A boolean node: the general evaluator (which tells a recording probe what it reads,
    /// for explain) and the typed test that gives the same answer.
    init(_ evaluate: @escaping CompiledExpression.Evaluator, test: @escaping Test) {
        self.init(type: .bool, evaluate: evaluate)
        self.test = test
    }

    /// A number node: the general evaluator and the typed form that gives the same number.
    init(_ evaluate: @escaping CompiledExpression.Evaluator, number: @escaping NumberForm) {
        self.init(type: .number, evaluate: evaluate)
        self.number = number
    }

    /// A node whose value never changes.
    init(constant value: Value, type: ValueType) {
        self.init(type: type) { _ throws(EvaluationError) in value }
        constant = value
        switch value {
        case .number(let n): number = { _, _, _ throws(EvaluationError) in n }
        case .bool(let b): test = { _, _, _ throws(EvaluationError) in b }
        default: break
        }
    }

    /// The node as a condition: its typed test, else its value's truth.
    var condition: Test {
        if let test { return test }
        let evaluate = evaluate
        return { t, i, p throws(EvaluationError) in
            try evaluate(EvaluationRow(timeline: t, index: i, probe: p)).isTrue
        }
    }

    /// The strings of a constant string or list of strings (`'mixed'`, `['no-show', 'late-cancel']`).
    var constantStrings: [String]? {
        switch constant {
        case .string(let s)?: return [s]
        case .list(let items)?: return items.compactMap(\.string)
        default: return nil
        }
    }

    static func invalid() -> CheckedExpression {
        CheckedExpression(type: .unknown) { _ throws(EvaluationError) in .null }
    }
}
