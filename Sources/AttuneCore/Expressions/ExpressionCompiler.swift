/// Type-checks an expression against the record schema and a pack's vocabulary, and turns it
/// into a closure tree. All type errors of an expression are collected, each at its own offset.
///
/// ```swift
/// let compiler = ExpressionCompiler(vocabulary: vocabulary)
/// switch compiler.compile("measures.ssr < 36") {
/// case .success(let expression): ...
/// case .failure(let errors): ...   // "unknown measure 'ssr'; did you mean 'srs'?" at offset 9
/// }
/// ```
public struct ExpressionCompiler: Sendable {
    public let vocabulary: Vocabulary

    /// Set for `attune test --coverage`: every condition reports its outcomes here, under this key.
    public var coverage: (recorder: RuleCoverage, key: String)?

    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    public enum Failure: Error, Sendable {
        case errors([ExpressionError])
    }

    /// Parses and checks `text`; `expecting` names the type the context needs (`boolean` for conditions).
    public func compile(_ text: String, expecting expected: ValueType? = .bool) -> Result<CompiledExpression, Failure> {
        let tree: Expression
        do {
            tree = try Parser.parse(text)
        } catch {
            return .failure(.errors([error]))
        }
        var errors: [ExpressionError] = []
        let node = check(tree, &errors)
        if let expected, errors.isEmpty, node.type != expected, node.type != .unknown, node.type != .null {
            errors.append(
                ExpressionError("expression gives a \(node.type), but a \(expected) is needed here", offset: 0))
        }
        guard errors.isEmpty else { return .failure(.errors(errors)) }
        let watched = node.type == .bool ? watch(node, ExpressionPrinter.text(tree), isWhole: true) : node
        return .success(
            CompiledExpression(source: text, type: watched.type, evaluator: watched.evaluate, test: watched.test))
    }

    /// Checks one node and its children, appending every error they have to `errors`.
    func check(_ expression: Expression, _ errors: inout [ExpressionError]) -> CheckedExpression {
        switch expression {
        case .literal(let value, let offset):
            let type: ValueType
            switch value {
            case .null: type = .null
            case .bool: type = .bool
            case .number: type = .number
            case .string: type = .string
            case .date: type = .date
            case .list: type = .list(.unknown)
            }
            var checked = CheckedExpression(constant: value, type: type)
            checked.isNullLiteral = value.isNull
            if case .string(let s) = value { checked.stringLiteral = (s, offset) }
            return checked
        case .list(let items, _):
            let checkedItems = items.map { check($0, &errors) }
            var elementType = ValueType.unknown
            for (item, source) in zip(checkedItems, items) where item.type != .unknown && item.type != .null {
                if elementType == .unknown {
                    elementType = item.type
                } else if item.type != elementType {
                    errors.append(ExpressionError("list mixes \(elementType) and \(item.type)", offset: source.offset))
                }
            }
            if checkedItems.allSatisfy({ $0.constant != nil }) {
                // A list of literals is built once, not on every record.
                return CheckedExpression(constant: .list(checkedItems.compactMap(\.constant)), type: .list(elementType))
            }
            let evaluators = checkedItems.map(\.evaluate)
            return CheckedExpression(type: .list(elementType)) { row throws(EvaluationError) in
                var values: [Value] = []
                values.reserveCapacity(evaluators.count)
                for evaluate in evaluators { values.append(try evaluate(row)) }
                return .list(values)
            }
        case .path(let components):
            return resolvePath(components, &errors)
        case .unary(let op, let operandExpression, _):
            let operand = check(operandExpression, &errors)
            let evaluate = operand.evaluate
            switch op {
            case .not:
                expectType(operand, .bool, "'not' needs a boolean", operandExpression.offset, &errors)
                let condition = operand.condition
                return CheckedExpression(
                    { row throws(EvaluationError) in .bool(!(try evaluate(row)).isTrue) },
                    test: { t, i, p throws(EvaluationError) in !(try condition(t, i, p)) })
            case .negate:
                expectType(operand, .number, "'-' needs a number", operandExpression.offset, &errors)
                let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                    if case .number(let n) = try evaluate(row) { return .number(-n) }
                    return .null
                }
                if let number = operand.number {
                    return CheckedExpression(
                        general, number: { t, i, p throws(EvaluationError) in try number(t, i, p).map { -$0 } })
                }
                return CheckedExpression(type: .number, evaluate: general)
            }
        case .binary(let op, let leftExpression, let rightExpression, let offset):
            let checked = checkBinary(op, leftExpression, rightExpression, offset, &errors)
            if case .logical = BinaryOperation.of(op) { return checked }
            return checked.type != .bool
                ? checked : watch(checked, ExpressionPrinter.text(expression), isWhole: false)
        case .call(let name, let arguments, let offset):
            let checked = checkCall(name, arguments, offset, &errors)
            return checked.type != .bool ? checked : watch(checked, ExpressionPrinter.text(expression), isWhole: false)
        }
    }

    /// With coverage on, the same condition reporting each outcome it gives; otherwise unchanged.
    private func watch(_ checked: CheckedExpression, _ text: String, isWhole: Bool) -> CheckedExpression {
        guard let (recorder, key) = coverage else { return checked }
        let slot = recorder.register(key: key, text: text, isWhole: isWhole)
        let evaluate = checked.evaluate
        let condition = checked.condition
        var watched = CheckedExpression(
            { row throws(EvaluationError) in
                let value = try evaluate(row)
                recorder.record(slot, value.isTrue)
                return value
            },
            test: { t, i, p throws(EvaluationError) in
                let holds = try condition(t, i, p)
                recorder.record(slot, holds)
                return holds
            })
        watched.constant = checked.constant
        return watched
    }

    func expectType(
        _ checked: CheckedExpression, _ type: ValueType, _ message: String, _ offset: Int,
        _ errors: inout [ExpressionError]
    ) {
        guard checked.type != type, checked.type != .unknown, checked.type != .null else { return }
        errors.append(ExpressionError("\(message), found \(article(checked.type))", offset: offset))
    }

    func article(_ type: ValueType) -> String {
        switch type {
        case .list, .record: return "a \(type)"
        case .null: return "null"
        default: return "a \(type)"
        }
    }

    static func type(of value: Value) -> ValueType {
        switch value {
        case .null: return .null
        case .bool: return .bool
        case .number: return .number
        case .string: return .string
        case .date: return .date
        case .list(let items): return .list(items.first.map(type(of:)) ?? .unknown)
        }
    }
}
