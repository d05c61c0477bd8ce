/// What a binary operator takes and gives, declared once for every operator: `operation(of:)`
/// is the table the compiler reads. Operators of one family differ only in the value here.
///
/// ```swift
/// if case .ordering(let test) = BinaryOperation.of(.less) { test(1, 2) }   // true
/// ```
enum BinaryOperation: Sendable {
    /// Booleans on both sides; the right side is read only when the left one is not `decides`
    /// (`and`: false decides, `or`: true decides).
    case logical(decides: Bool)
    /// Any two values of one type (`null` fits all); holds when they are (not) equal.
    case equality(holdsWhenEqual: Bool)
    /// Two numbers or two dates, compared in order.
    case ordering(@Sendable (Double, Double) -> Bool)
    /// A value on the left, a list of its type on the right; holds when it is (not) among them.
    case membership(holdsWhenFound: Bool)
    /// Two numbers, giving a number.
    case arithmetic(@Sendable (Double, Double) throws(EvaluationError) -> Double)

    /// The table: every operator, once.
    static func of(_ op: Expression.BinaryOperator) -> BinaryOperation {
        switch op {
        case .and: return .logical(decides: false)
        case .or: return .logical(decides: true)
        case .equal: return .equality(holdsWhenEqual: true)
        case .notEqual: return .equality(holdsWhenEqual: false)
        case .less: return .ordering { $0 < $1 }
        case .lessOrEqual: return .ordering { $0 <= $1 }
        case .greater: return .ordering { $0 > $1 }
        case .greaterOrEqual: return .ordering { $0 >= $1 }
        case .in: return .membership(holdsWhenFound: true)
        case .notIn: return .membership(holdsWhenFound: false)
        case .add: return .arithmetic { a, b throws(EvaluationError) in a + b }
        case .subtract: return .arithmetic { a, b throws(EvaluationError) in a - b }
        case .multiply: return .arithmetic { a, b throws(EvaluationError) in a * b }
        case .divide:
            return .arithmetic { a, b throws(EvaluationError) in
                guard b != 0 else { throw EvaluationError("division by zero") }
                return a / b
            }
        }
    }
}

extension ExpressionCompiler {
    /// Checks both sides of a binary expression against the operator's entry in the table and
    /// compiles it.
    func checkBinary(
        _ op: Expression.BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
        _ offset: Int, _ errors: inout [ExpressionError]
    ) -> CheckedExpression {
        let left = check(leftExpression, &errors)
        let right = check(rightExpression, &errors)
        let operands = Operands(
            op: op, left: left, right: right, leftExpression: leftExpression, rightExpression: rightExpression,
            offset: offset)
        switch BinaryOperation.of(op) {
        case .logical(let decides): return logical(operands, decides: decides, &errors)
        case .equality(let holdsWhenEqual): return equality(operands, holdsWhenEqual: holdsWhenEqual, &errors)
        case .ordering(let test): return ordering(operands, test, &errors)
        case .membership(let holdsWhenFound): return membership(operands, holdsWhenFound: holdsWhenFound, &errors)
        case .arithmetic(let arithmetic): return self.arithmetic(operands, arithmetic, &errors)
        }
    }

    /// The two checked sides of a binary expression, with where they stand.
    struct Operands {
        var op: Expression.BinaryOperator
        var left: CheckedExpression
        var right: CheckedExpression
        var leftExpression: Expression
        var rightExpression: Expression
        var offset: Int
    }

    private func logical(_ operands: Operands, decides: Bool, _ errors: inout [ExpressionError]) -> CheckedExpression {
        let (left, right) = (operands.left, operands.right)
        let message = "'\(operands.op.rawValue)' needs booleans on both sides"
        expectType(left, .bool, message, operands.leftExpression.offset, &errors)
        expectType(right, .bool, message, operands.rightExpression.offset, &errors)
        let l = left.evaluate
        let r = right.evaluate
        let lt = left.condition
        let rt = right.condition
        return CheckedExpression(
            { row throws(EvaluationError) in .bool(try l(row).isTrue == decides ? decides : try r(row).isTrue) },
            test: { t, i, p throws(EvaluationError) in try lt(t, i, p) == decides ? decides : try rt(t, i, p) })
    }

    private func equality(_ operands: Operands, holdsWhenEqual: Bool, _ errors: inout [ExpressionError])
        -> CheckedExpression
    {
        let (left, right) = (operands.left, operands.right)
        if !left.type.isComparable(with: right.type) {
            errors.append(
                ExpressionError(
                    "cannot compare \(article(left.type)) with \(article(right.type))", offset: operands.offset))
        }
        checkEnumerated(left, right, &errors)
        checkEnumerated(right, left, &errors)
        if left.isNullLiteral || right.isNullLiteral {
            // `x == null` is the one comparison that looks at null itself.
            let other = left.isNullLiteral ? right : left
            let evaluate = other.evaluate
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                .bool(try evaluate(row).isNull == holdsWhenEqual)
            }
            if let number = other.number {
                return CheckedExpression(
                    general,
                    test: { t, i, p throws(EvaluationError) in (try number(t, i, p) == nil) == holdsWhenEqual })
            }
            return CheckedExpression(type: .bool, evaluate: general)
        }
        let l = left.evaluate
        let r = right.evaluate
        let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
            let a = try l(row)
            let b = try r(row)
            if a.isNull || b.isNull { return .bool(false) }
            return .bool((a == b) == holdsWhenEqual)
        }
        // `attendance == 'attended'`: compare the enumeration case, no string built.
        for (path, other) in [(left, right), (right, left)] {
            guard let membership = path.membership, case .string(let literal)? = other.constant else { continue }
            let isOneOf = membership([literal])
            return CheckedExpression(
                general,
                test: { t, i, _ throws(EvaluationError) in isOneOf(t, i).map { $0 == holdsWhenEqual } ?? false })
        }
        if let ln = left.number, let rn = right.number {
            return CheckedExpression(
                general,
                test: { t, i, p throws(EvaluationError) in
                    let a = try ln(t, i, p)
                    let b = try rn(t, i, p)
                    guard let a, let b else { return false }
                    return (a == b) == holdsWhenEqual
                })
        }
        return CheckedExpression(type: .bool, evaluate: general)
    }

    private func ordering(
        _ operands: Operands, _ test: @escaping @Sendable (Double, Double) -> Bool, _ errors: inout [ExpressionError]
    ) -> CheckedExpression {
        let (left, right) = (operands.left, operands.right)
        for (side, expression) in [(left, operands.leftExpression), (right, operands.rightExpression)]
        where !side.type.isOrdered && side.type != .null {
            errors.append(
                ExpressionError(
                    "'\(operands.op.rawValue)' compares numbers or dates, not \(article(side.type))",
                    offset: expression.offset))
        }
        if left.type.isOrdered, right.type.isOrdered, left.type != right.type, left.type != .unknown,
            right.type != .unknown
        {
            errors.append(
                ExpressionError(
                    "cannot compare \(article(left.type)) with \(article(right.type))", offset: operands.offset))
        }
        let l = left.evaluate
        let r = right.evaluate
        let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
            switch (try l(row), try r(row)) {
            case (.number(let a), .number(let b)): return .bool(test(a, b))
            case (.date(let a), .date(let b)): return .bool(test(Double(a.number), Double(b.number)))
            default: return .bool(false)
            }
        }
        guard let ln = left.number, let rn = right.number else {
            return CheckedExpression(type: .bool, evaluate: general)
        }
        if case .number(let bound)? = right.constant {
            return CheckedExpression(
                general,
                test: { t, i, p throws(EvaluationError) in
                    guard let a = try ln(t, i, p) else { return false }
                    return test(a, bound)
                })
        }
        return CheckedExpression(
            general,
            test: { t, i, p throws(EvaluationError) in
                let a = try ln(t, i, p)
                let b = try rn(t, i, p)
                guard let a, let b else { return false }
                return test(a, b)
            })
    }

    private func membership(_ operands: Operands, holdsWhenFound: Bool, _ errors: inout [ExpressionError])
        -> CheckedExpression
    {
        let (left, right, op) = (operands.left, operands.right, operands.op)
        switch right.type {
        case .list(let element):
            if !left.type.isComparable(with: element) {
                errors.append(
                    ExpressionError(
                        "'\(op.rawValue)' looks for \(article(left.type)) in \(article(right.type))",
                        offset: operands.offset))
            }
        case .unknown, .null:
            break
        default:
            errors.append(
                ExpressionError(
                    "'\(op.rawValue)' needs a list on its right, found \(article(right.type))",
                    offset: operands.rightExpression.offset))
        }
        if let allowed = left.allowedValues, case .list(let items, _) = operands.rightExpression {
            for item in items {
                if case .literal(.string(let s), let itemOffset) = item, !allowed.contains(s) {
                    errors.append(enumerationError(s, left.pathName ?? "", allowed, itemOffset))
                }
            }
        }
        let l = left.evaluate
        let r = right.evaluate
        let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
            let needle = try l(row)
            guard !needle.isNull, case .list(let haystack) = try r(row) else { return .bool(false) }
            return .bool(haystack.contains(needle) == holdsWhenFound)
        }
        // `rupture.type in ['confrontation', 'mixed']`: compare enumeration cases.
        if let membership = left.membership, case .list? = right.constant, let literals = right.constantStrings {
            let isOneOf = membership(literals)
            return CheckedExpression(
                general,
                test: { t, i, _ throws(EvaluationError) in isOneOf(t, i).map { $0 == holdsWhenFound } ?? false })
        }
        // `'distancing' in tags`: search the record's own list.
        if case .string(let needle)? = left.constant, let strings = right.strings {
            return CheckedExpression(
                general,
                test: { t, i, _ throws(EvaluationError) in
                    strings(t, i).map { $0.contains(needle) == holdsWhenFound } ?? false
                })
        }
        return CheckedExpression(type: .bool, evaluate: general)
    }

    private func arithmetic(
        _ operands: Operands, _ arithmetic: @escaping @Sendable (Double, Double) throws(EvaluationError) -> Double,
        _ errors: inout [ExpressionError]
    ) -> CheckedExpression {
        let (left, right) = (operands.left, operands.right)
        let message = "'\(operands.op.rawValue)' needs numbers"
        expectType(left, .number, message, operands.leftExpression.offset, &errors)
        expectType(right, .number, message, operands.rightExpression.offset, &errors)
        let l = left.evaluate
        let r = right.evaluate
        let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
            guard case .number(let a) = try l(row), case .number(let b) = try r(row) else { return .null }
            return .number(try arithmetic(a, b))
        }
        guard let ln = left.number, let rn = right.number else {
            return CheckedExpression(type: .number, evaluate: general)
        }
        return CheckedExpression(
            general,
            number: { t, i, p throws(EvaluationError) in
                guard let a = try ln(t, i, p), let b = try rn(t, i, p) else { return nil }
                return try arithmetic(a, b)
            })
    }

    private func checkEnumerated(
        _ path: CheckedExpression, _ other: CheckedExpression, _ errors: inout [ExpressionError]
    ) {
        guard let allowed = path.allowedValues, let (literal, offset) = other.stringLiteral, !allowed.contains(literal)
        else { return }
        errors.append(enumerationError(literal, path.pathName ?? "", allowed, offset))
    }

    private func enumerationError(_ literal: String, _ path: String, _ allowed: [String], _ offset: Int)
        -> ExpressionError
    {
        ExpressionError(
            "'\(literal)' is never a value of \(path) (\(allowed.joined(separator: ", ")))"
                + Suggestion.phrase(for: literal, in: allowed), offset: offset)
    }
}
