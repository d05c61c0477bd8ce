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

    typealias Test = CompiledExpression.Test
    typealias NumberForm = @Sendable (EvaluationRow) throws(EvaluationError) -> Double?
    typealias StringsForm = @Sendable (EvaluationRow) -> [String]?
    typealias Membership = @Sendable ([String]) -> @Sendable (EvaluationRow) -> Bool?

    /// A checked node: its type, its evaluator, and (for paths) what a comparison may use.
    ///
    /// Besides the general evaluator (which builds a `Value`), a node may carry typed forms that
    /// the common rule shapes compile to: `measures.srs < srs_cutoff`, `attendance == 'attended'`,
    /// `'distancing' in tags`, `overlaps(rupture.markers, withdrawal_markers)`. A typed form
    /// reads the same fields in the same order, throws the same errors and flags a missing
    /// measure on the probe the same way as the evaluator; it only skips building values
    /// (a list per `tags` read), which is most of an evaluation's cost.
    struct Checked {
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
            case .number(let n): number = { _ throws(EvaluationError) in n }
            case .bool(let b): test = { _ throws(EvaluationError) in b }
            default: break
            }
        }

        /// The node as a condition: its typed test, else its value's truth.
        var condition: Test {
            if let test { return test }
            let evaluate = evaluate
            return { row throws(EvaluationError) in try evaluate(row).isTrue }
        }

        /// The strings of a constant string or list of strings (`'mixed'`, `['no-show', 'late-cancel']`).
        var constantStrings: [String]? {
            switch constant {
            case .string(let s)?: return [s]
            case .list(let items)?: return items.compactMap(\.string)
            default: return nil
            }
        }

        static func invalid() -> Checked {
            Checked(type: .unknown) { _ throws(EvaluationError) in .null }
        }
    }

    func check(_ expression: Expression, _ errors: inout [ExpressionError]) -> Checked {
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
            var checked = Checked(constant: value, type: type)
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
                return Checked(constant: .list(checkedItems.compactMap(\.constant)), type: .list(elementType))
            }
            let evaluators = checkedItems.map(\.evaluate)
            return Checked(type: .list(elementType)) { row throws(EvaluationError) in
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
                return Checked(
                    { row throws(EvaluationError) in .bool(!(try evaluate(row)).isTrue) },
                    test: { row throws(EvaluationError) in !(try condition(row)) })
            case .negate:
                expectType(operand, .number, "'-' needs a number", operandExpression.offset, &errors)
                let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                    if case .number(let n) = try evaluate(row) { return .number(-n) }
                    return .null
                }
                if let number = operand.number {
                    return Checked(general, number: { row throws(EvaluationError) in try number(row).map { -$0 } })
                }
                return Checked(type: .number, evaluate: general)
            }
        case .binary(let op, let leftExpression, let rightExpression, let offset):
            let checked = checkBinary(op, leftExpression, rightExpression, offset, &errors)
            return op == .and || op == .or || checked.type != .bool
                ? checked : watch(checked, ExpressionPrinter.text(expression), isWhole: false)
        case .call(let name, let arguments, let offset):
            let checked = checkCall(name, arguments, offset, &errors)
            return checked.type != .bool ? checked : watch(checked, ExpressionPrinter.text(expression), isWhole: false)
        }
    }

    /// With coverage on, the same condition reporting each outcome it gives; otherwise unchanged.
    private func watch(_ checked: Checked, _ text: String, isWhole: Bool) -> Checked {
        guard let (recorder, key) = coverage else { return checked }
        let slot = recorder.register(key: key, text: text, isWhole: isWhole)
        let evaluate = checked.evaluate
        let condition = checked.condition
        var watched = Checked(
            { row throws(EvaluationError) in
                let value = try evaluate(row)
                recorder.record(slot, value.isTrue)
                return value
            },
            test: { row throws(EvaluationError) in
                let holds = try condition(row)
                recorder.record(slot, holds)
                return holds
            })
        watched.constant = checked.constant
        return watched
    }

    private func expectType(
        _ checked: Checked, _ type: ValueType, _ message: String, _ offset: Int, _ errors: inout [ExpressionError]
    ) {
        guard checked.type != type, checked.type != .unknown, checked.type != .null else { return }
        errors.append(ExpressionError("\(message), found \(article(checked.type))", offset: offset))
    }

    private func article(_ type: ValueType) -> String {
        switch type {
        case .list, .record: return "a \(type)"
        case .null: return "null"
        default: return "a \(type)"
        }
    }

    // MARK: Operators

    private func checkBinary(
        _ op: Expression.BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
        _ offset: Int, _ errors: inout [ExpressionError]
    ) -> Checked {
        let left = check(leftExpression, &errors)
        let right = check(rightExpression, &errors)
        let l = left.evaluate
        let r = right.evaluate
        switch op {
        case .and, .or:
            expectType(left, .bool, "'\(op.rawValue)' needs booleans on both sides", leftExpression.offset, &errors)
            expectType(right, .bool, "'\(op.rawValue)' needs booleans on both sides", rightExpression.offset, &errors)
            let lt = left.condition
            let rt = right.condition
            if op == .and {
                return Checked(
                    { row throws(EvaluationError) in .bool(try l(row).isTrue ? try r(row).isTrue : false) },
                    test: { row throws(EvaluationError) in try lt(row) ? try rt(row) : false })
            }
            return Checked(
                { row throws(EvaluationError) in .bool(try l(row).isTrue ? true : try r(row).isTrue) },
                test: { row throws(EvaluationError) in try lt(row) ? true : try rt(row) })
        case .equal, .notEqual:
            if !left.type.isComparable(with: right.type) {
                errors.append(
                    ExpressionError("cannot compare \(article(left.type)) with \(article(right.type))", offset: offset))
            }
            checkEnumerated(left, right, &errors)
            checkEnumerated(right, left, &errors)
            let wantsEqual = op == .equal
            if left.isNullLiteral || right.isNullLiteral {
                // `x == null` is the one comparison that looks at null itself.
                let other = left.isNullLiteral ? right : left
                let evaluate = other.evaluate
                let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                    .bool(try evaluate(row).isNull == wantsEqual)
                }
                if let number = other.number {
                    return Checked(
                        general, test: { row throws(EvaluationError) in (try number(row) == nil) == wantsEqual })
                }
                return Checked(type: .bool, evaluate: general)
            }
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                let a = try l(row)
                let b = try r(row)
                if a.isNull || b.isNull { return .bool(false) }
                return .bool((a == b) == wantsEqual)
            }
            // `attendance == 'attended'`: compare the enumeration case, no string built.
            for (path, other) in [(left, right), (right, left)] {
                guard let membership = path.membership, case .string(let literal)? = other.constant else { continue }
                let isOneOf = membership([literal])
                return Checked(
                    general, test: { row throws(EvaluationError) in isOneOf(row).map { $0 == wantsEqual } ?? false })
            }
            if let ln = left.number, let rn = right.number {
                return Checked(
                    general,
                    test: { row throws(EvaluationError) in
                        let a = try ln(row)
                        let b = try rn(row)
                        guard let a, let b else { return false }
                        return (a == b) == wantsEqual
                    })
            }
            return Checked(type: .bool, evaluate: general)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            for (side, expression) in [(left, leftExpression), (right, rightExpression)]
            where !side.type.isOrdered && side.type != .null {
                errors.append(
                    ExpressionError(
                        "'\(op.rawValue)' compares numbers or dates, not \(article(side.type))",
                        offset: expression.offset))
            }
            if left.type.isOrdered, right.type.isOrdered, left.type != right.type, left.type != .unknown,
                right.type != .unknown
            {
                errors.append(
                    ExpressionError("cannot compare \(article(left.type)) with \(article(right.type))", offset: offset))
            }
            let test: @Sendable (Double, Double) -> Bool
            switch op {
            case .less: test = { $0 < $1 }
            case .lessOrEqual: test = { $0 <= $1 }
            case .greater: test = { $0 > $1 }
            default: test = { $0 >= $1 }
            }
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                switch (try l(row), try r(row)) {
                case (.number(let a), .number(let b)): return .bool(test(a, b))
                case (.date(let a), .date(let b)): return .bool(test(Double(a.number), Double(b.number)))
                default: return .bool(false)
                }
            }
            if let ln = left.number, let rn = right.number {
                if case .number(let bound)? = right.constant {
                    return Checked(
                        general,
                        test: { row throws(EvaluationError) in
                            guard let a = try ln(row) else { return false }
                            return test(a, bound)
                        })
                }
                return Checked(
                    general,
                    test: { row throws(EvaluationError) in
                        let a = try ln(row)
                        let b = try rn(row)
                        guard let a, let b else { return false }
                        return test(a, b)
                    })
            }
            return Checked(type: .bool, evaluate: general)
        case .in, .notIn:
            switch right.type {
            case .list(let element):
                if !left.type.isComparable(with: element) {
                    errors.append(
                        ExpressionError(
                            "'\(op.rawValue)' looks for \(article(left.type)) in \(article(right.type))", offset: offset
                        ))
                }
            case .unknown, .null:
                break
            default:
                errors.append(
                    ExpressionError(
                        "'\(op.rawValue)' needs a list on its right, found \(article(right.type))",
                        offset: rightExpression.offset))
            }
            if let allowed = left.allowedValues, case .list(let items, _) = rightExpression {
                for item in items {
                    if case .literal(.string(let s), let itemOffset) = item, !allowed.contains(s) {
                        errors.append(enumerationError(s, left.pathName ?? "", allowed, itemOffset))
                    }
                }
            }
            let wantsIn = op == .in
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                let needle = try l(row)
                guard !needle.isNull, case .list(let haystack) = try r(row) else { return .bool(false) }
                return .bool(haystack.contains(needle) == wantsIn)
            }
            // `rupture.type in ['confrontation', 'mixed']`: compare enumeration cases.
            if let membership = left.membership, case .list? = right.constant, let literals = right.constantStrings {
                let isOneOf = membership(literals)
                return Checked(
                    general, test: { row throws(EvaluationError) in isOneOf(row).map { $0 == wantsIn } ?? false })
            }
            // `'distancing' in tags`: search the record's own list.
            if case .string(let needle)? = left.constant, let strings = right.strings {
                return Checked(
                    general,
                    test: { row throws(EvaluationError) in strings(row).map { $0.contains(needle) == wantsIn } ?? false
                    })
            }
            return Checked(type: .bool, evaluate: general)
        case .add, .subtract, .multiply, .divide:
            expectType(left, .number, "'\(op.rawValue)' needs numbers", leftExpression.offset, &errors)
            expectType(right, .number, "'\(op.rawValue)' needs numbers", rightExpression.offset, &errors)
            let arithmetic: @Sendable (Double, Double) throws(EvaluationError) -> Double
            switch op {
            case .add: arithmetic = { a, b throws(EvaluationError) in a + b }
            case .subtract: arithmetic = { a, b throws(EvaluationError) in a - b }
            case .multiply: arithmetic = { a, b throws(EvaluationError) in a * b }
            default:
                arithmetic = { a, b throws(EvaluationError) in
                    guard b != 0 else { throw EvaluationError("division by zero") }
                    return a / b
                }
            }
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                guard case .number(let a) = try l(row), case .number(let b) = try r(row) else { return .null }
                return .number(try arithmetic(a, b))
            }
            if let ln = left.number, let rn = right.number {
                return Checked(
                    general,
                    number: { row throws(EvaluationError) in
                        guard let a = try ln(row), let b = try rn(row) else { return nil }
                        return try arithmetic(a, b)
                    })
            }
            return Checked(type: .number, evaluate: general)
        }
    }

    private func checkEnumerated(_ path: Checked, _ other: Checked, _ errors: inout [ExpressionError]) {
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

    // MARK: Functions

    static let functionNames = ["has", "count", "overlaps", "abs", "min", "max", "days", "date"]

    private func checkCall(_ name: String, _ arguments: [Expression], _ offset: Int, _ errors: inout [ExpressionError])
        -> Checked
    {
        func arity(_ count: Int) -> Bool {
            guard arguments.count == count else {
                errors.append(
                    ExpressionError(
                        "\(name)() takes \(count) argument\(count == 1 ? "" : "s"), found \(arguments.count)",
                        offset: offset))
                return false
            }
            return true
        }
        switch name {
        case "has":
            guard arity(1) else { return .invalid() }
            guard case .path = arguments[0] else {
                errors.append(ExpressionError("has() takes a path such as measures.srs", offset: arguments[0].offset))
                return .invalid()
            }
            let argument = check(arguments[0], &errors)
            let evaluate = argument.evaluate
            // has() asks whether a value is there: finding it absent is an answer, not a gap
            // that leaves the rule unable to judge the record.
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                let missedBefore = row.probe?.missedMeasure
                let present = !(try evaluate(row)).isNull
                if let missedBefore { row.probe?.missedMeasure = missedBefore }
                return .bool(present)
            }
            if let number = argument.number {
                return Checked(
                    general,
                    test: { row throws(EvaluationError) in
                        let missedBefore = row.probe?.missedMeasure
                        let present = try number(row) != nil
                        if let missedBefore { row.probe?.missedMeasure = missedBefore }
                        return present
                    })
            }
            if let strings = argument.strings {
                return Checked(general, test: { row throws(EvaluationError) in strings(row) != nil })
            }
            return Checked(type: .bool, evaluate: general)
        case "count":
            guard arity(1) else { return .invalid() }
            let argument = check(arguments[0], &errors)
            if case .list = argument.type {
            } else if argument.type != .unknown {
                errors.append(
                    ExpressionError(
                        "count() takes a list, found \(article(argument.type))", offset: arguments[0].offset))
            }
            let evaluate = argument.evaluate
            return Checked(type: .number) { row throws(EvaluationError) in
                .number(Double(try evaluate(row).list?.count ?? 0))
            }
        case "overlaps":
            guard arity(2) else { return .invalid() }
            let a = check(arguments[0], &errors)
            let b = check(arguments[1], &errors)
            for (argument, source) in [(a, arguments[0]), (b, arguments[1])] {
                if case .list = argument.type {
                } else if argument.type != .unknown {
                    errors.append(
                        ExpressionError(
                            "overlaps() takes two lists, found \(article(argument.type))", offset: source.offset))
                }
            }
            let ea = a.evaluate
            let eb = b.evaluate
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                guard case .list(let x) = try ea(row), case .list(let y) = try eb(row) else { return .bool(false) }
                return .bool(x.contains { y.contains($0) })
            }
            // `overlaps(rupture.markers, withdrawal_markers)`: the record's list against a fixed set.
            for (path, other) in [(a, b), (b, a)] {
                guard let strings = path.strings, case .list? = other.constant, let members = other.constantStrings
                else { continue }
                let set = Set(members)
                return Checked(
                    general,
                    test: { row throws(EvaluationError) in strings(row)?.contains { set.contains($0) } ?? false })
            }
            return Checked(type: .bool, evaluate: general)
        case "abs":
            guard arity(1) else { return .invalid() }
            let argument = check(arguments[0], &errors)
            expectType(argument, .number, "abs() takes a number", arguments[0].offset, &errors)
            let evaluate = argument.evaluate
            let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
                guard case .number(let n) = try evaluate(row) else { return .null }
                return .number(Swift.abs(n))
            }
            if let number = argument.number {
                return Checked(
                    general, number: { row throws(EvaluationError) in try number(row).map { Swift.abs($0) } })
            }
            return Checked(type: .number, evaluate: general)
        case "min", "max":
            guard !arguments.isEmpty else {
                errors.append(ExpressionError("\(name)() takes at least one number", offset: offset))
                return .invalid()
            }
            let checked = arguments.map { check($0, &errors) }
            for (argument, source) in zip(checked, arguments) {
                expectType(argument, .number, "\(name)() takes numbers", source.offset, &errors)
            }
            let evaluators = checked.map(\.evaluate)
            let pickMinimum = name == "min"
            return Checked(type: .number) { row throws(EvaluationError) in
                var best: Double?
                for evaluate in evaluators {
                    guard case .number(let n) = try evaluate(row) else { return .null }
                    if let current = best {
                        best = pickMinimum ? Swift.min(current, n) : Swift.max(current, n)
                    } else {
                        best = n
                    }
                }
                return best.map(Value.number) ?? .null
            }
        case "days":
            guard arity(2) else { return .invalid() }
            let from = check(arguments[0], &errors)
            let to = check(arguments[1], &errors)
            expectType(from, .date, "days() takes two dates", arguments[0].offset, &errors)
            expectType(to, .date, "days() takes two dates", arguments[1].offset, &errors)
            let ef = from.evaluate
            let et = to.evaluate
            return Checked(type: .number) { row throws(EvaluationError) in
                guard case .date(let a) = try ef(row), case .date(let b) = try et(row) else { return .null }
                return .number(Double(a.days(to: b)))
            }
        case "date":
            guard arity(1) else { return .invalid() }
            guard case .literal(.string(let text), let textOffset) = arguments[0] else {
                errors.append(
                    ExpressionError("date() takes a literal such as date('2026-11-24')", offset: arguments[0].offset))
                return .invalid()
            }
            guard let day = Day(iso: text) else {
                errors.append(ExpressionError("'\(text)' is not a date (YYYY-MM-DD)", offset: textOffset))
                return .invalid()
            }
            return Checked(constant: .date(day), type: .date)
        default:
            errors.append(
                ExpressionError(
                    "unknown function '\(name)'" + Suggestion.phrase(for: name, in: Self.functionNames), offset: offset)
            )
            for argument in arguments { _ = check(argument, &errors) }
            return .invalid()
        }
    }

    // MARK: Paths

    private func resolvePath(_ components: [Expression.PathComponent], _ errors: inout [ExpressionError]) -> Checked {
        let head = components[0]
        let pathText = components.map(\.name).joined(separator: ".")
        // Record fields shadow pack names; the pack loader reports a constant or set that collides.
        if head.name == "baseline" {
            return resolveBaseline(components, pathText, &errors)
        }
        if head.name == "prev" || head.name == "first" {
            let isPrevious = head.name == "prev"
            let base: @Sendable (Timeline, Int) -> Int?
            if isPrevious {
                base = { t, i in t.previousAttendedIndex(at: i) }
            } else {
                base = { t, _ in t.firstAttendedIndex }
            }
            if components.count == 1 {
                return Checked(type: .record) { row throws(EvaluationError) in
                    base(row.timeline, row.index) == nil ? .null : .bool(true)
                }
            }
            if components[1].name == "prev" || components[1].name == "first" {
                errors.append(
                    ExpressionError(
                        "'\(head.name).\(components[1].name)' is not available; use '\(components[1].name)'",
                        offset: components[1].offset))
                return .invalid()
            }
            guard var field = resolveField(Array(components.dropFirst()), pathText, &errors) else { return .invalid() }
            let accessor = field.evaluate
            field.evaluate = { row throws(EvaluationError) in
                guard let index = base(row.timeline, row.index) else {
                    row.probe?.read(pathText, .null, isMeasure: false)
                    return .null
                }
                return try accessor(EvaluationRow(timeline: row.timeline, index: index, probe: row.probe))
            }
            // The typed forms move to the other record the same way; no record there reads as
            // null without flagging a missing measure, as above.
            if let number = field.number {
                field.number = { row throws(EvaluationError) in
                    guard let index = base(row.timeline, row.index) else { return nil }
                    return try number(EvaluationRow(timeline: row.timeline, index: index, probe: row.probe))
                }
            }
            if let strings = field.strings {
                field.strings = { row in
                    guard let index = base(row.timeline, row.index) else { return nil }
                    return strings(EvaluationRow(timeline: row.timeline, index: index, probe: row.probe))
                }
            }
            if let membership = field.membership {
                field.membership = { literals in
                    let isOneOf = membership(literals)
                    return { row in
                        guard let index = base(row.timeline, row.index) else { return nil }
                        return isOneOf(EvaluationRow(timeline: row.timeline, index: index, probe: row.probe))
                    }
                }
            }
            return field
        }
        if RecordPath.fields[head.name] != nil || RecordPath.structuredFields.contains(head.name) {
            return resolveField(components, pathText, &errors) ?? .invalid()
        }
        if let constant = vocabulary.constants[head.name] {
            guard components.count == 1 else {
                errors.append(
                    ExpressionError(
                        "constant '\(head.name)' has no field '\(components[1].name)'", offset: components[1].offset))
                return .invalid()
            }
            return Checked(constant: constant.value, type: Self.type(of: constant.value))
        }
        if let set = vocabulary.sets[head.name] {
            guard components.count == 1 else {
                errors.append(
                    ExpressionError(
                        "set '\(head.name)' has no field '\(components[1].name)'", offset: components[1].offset))
                return .invalid()
            }
            return Checked(constant: .list(set.members.map(Value.string)), type: .list(.string))
        }
        let candidates = RecordPath.allTopLevelNames + Array(vocabulary.constants.keys) + Array(vocabulary.sets.keys)
        errors.append(
            ExpressionError(
                "unknown name '\(head.name)'" + Suggestion.phrase(for: head.name, in: candidates), offset: head.offset))
        return .invalid()
    }

    /// `baseline.measures.ors` (the first recorded ORS of the episode) and `baseline.ors.date`,
    /// `baseline.ors.session`, … (any field of the record it came from). The baseline is the
    /// first attended record that carries the measure, never one after the record evaluated; a
    /// baseline that does not exist yet reads as null and, for the measure itself, counts the
    /// record as "could not judge". Explain shows where each baseline came from.
    private func resolveBaseline(
        _ components: [Expression.PathComponent], _ pathText: String, _ errors: inout [ExpressionError]
    ) -> Checked {
        let usage =
            "write baseline.measures.NAME for the first recorded value of a measure, or baseline.NAME.date (any record field) for where it came from"
        guard components.count >= 2 else {
            errors.append(ExpressionError("'baseline' needs a measure: \(usage)", offset: components[0].offset))
            return .invalid()
        }
        let byValue = components[1].name == "measures"
        let measurePosition = byValue ? 2 : 1
        guard components.count > measurePosition else {
            errors.append(ExpressionError("name a measure, as in baseline.measures.ors", offset: components[1].offset))
            return .invalid()
        }
        let measureName = components[measurePosition].name
        guard let measure = vocabulary.measureIndex(measureName) else {
            errors.append(
                ExpressionError(
                    "unknown measure '\(measureName)'"
                        + Suggestion.phrase(for: measureName, in: vocabulary.measureNames),
                    offset: components[measurePosition].offset))
            return .invalid()
        }
        let fieldComponents = byValue ? Array(components.dropFirst()) : Array(components.dropFirst(2))
        guard !fieldComponents.isEmpty else {
            errors.append(
                ExpressionError(
                    "'baseline.\(measureName)' is the record the baseline came from; name one of its fields, as in baseline.\(measureName).date, or \(usage)",
                    offset: components[1].offset))
            return .invalid()
        }
        if let nested = fieldComponents.first?.name, ["prev", "first", "baseline"].contains(nested) {
            errors.append(
                ExpressionError("'\(nested)' is not available inside baseline", offset: fieldComponents[0].offset))
            return .invalid()
        }
        guard var field = resolveField(fieldComponents, pathText, &errors) else { return .invalid() }
        let base: @Sendable (Timeline, Int) -> Int? = { t, i in t.baselineIndex(measure: measure, at: i) }
        let accessor = field.evaluate
        let isValue = byValue
        field.evaluate = { row throws(EvaluationError) in
            guard let index = base(row.timeline, row.index) else {
                row.probe?.read(pathText + " (none recorded yet)", .null, isMeasure: isValue)
                return .null
            }
            // Read without the probe, then tell it once, naming the record the value came from.
            let value = try accessor(EvaluationRow(timeline: row.timeline, index: index, probe: nil))
            if let probe = row.probe {
                let origin = row.timeline.records[index]
                let session = origin.session.map { ", session \($0)" } ?? ""
                probe.read(
                    pathText
                        + " (from \(origin.date)\(session), attended session \(row.timeline.attendedNumber(at: index) ?? 0))",
                    value, isMeasure: false)
            }
            return value
        }
        if let number = field.number {
            field.number = { row throws(EvaluationError) in
                guard let index = base(row.timeline, row.index) else {
                    if isValue { row.probe?.missedMeasure = true }
                    return nil
                }
                return try number(EvaluationRow(timeline: row.timeline, index: index, probe: nil))
            }
        }
        if let strings = field.strings {
            field.strings = { row in
                guard let index = base(row.timeline, row.index) else { return nil }
                return strings(EvaluationRow(timeline: row.timeline, index: index, probe: nil))
            }
        }
        if let membership = field.membership {
            field.membership = { literals in
                let isOneOf = membership(literals)
                return { row in
                    guard let index = base(row.timeline, row.index) else { return nil }
                    return isOneOf(EvaluationRow(timeline: row.timeline, index: index, probe: nil))
                }
            }
        }
        return field
    }

    /// Resolves a path relative to one record (`measures.srs`, `rupture.type`, `attended_n`).
    private func resolveField(
        _ components: [Expression.PathComponent], _ pathText: String, _ errors: inout [ExpressionError]
    ) -> Checked? {
        let head = components[0]
        func noFurther(_ count: Int) -> Bool {
            guard components.count > count else { return true }
            errors.append(
                ExpressionError(
                    "'\(components[..<count].map(\.name).joined(separator: "."))' has no field '\(components[count].name)'",
                    offset: components[count].offset))
            return false
        }
        func wrap(_ path: RecordPath, isMeasure: Bool = false) -> Checked {
            let accessor = path.accessor
            let unrecorded = path.unrecorded
            var checked = Checked(type: path.type) { row throws(EvaluationError) in
                let value = accessor(row.timeline, row.index)
                if let probe = row.probe {
                    probe.read(pathText, value, isMeasure: isMeasure)
                    if let unrecorded, unrecorded(row.timeline, row.index) { probe.missedMeasure = true }
                }
                return value
            }
            checked.allowedValues = path.allowedValues
            checked.pathName = pathText
            // Only measures can be missing in a way that leaves a rule unable to judge.
            if let number = path.number {
                checked.number = { row throws(EvaluationError) in
                    let value = number(row.timeline, row.index)
                    if let probe = row.probe, value == nil, isMeasure || unrecorded?(row.timeline, row.index) == true {
                        probe.missedMeasure = true
                    }
                    return value
                }
            }
            if let strings = path.strings {
                checked.strings = { row in strings(row.timeline, row.index) }
            }
            if let membership = path.membership {
                checked.membership = { literals in
                    let isOneOf = membership(literals)
                    return { row in isOneOf(row.timeline, row.index) }
                }
            }
            return checked
        }
        switch head.name {
        case "measures":
            guard components.count >= 2 else {
                errors.append(ExpressionError("name a measure, as in measures.srs", offset: head.offset))
                return nil
            }
            let name = components[1].name
            guard let index = vocabulary.measureIndex(name) else {
                errors.append(
                    ExpressionError(
                        "unknown measure '\(name)'" + Suggestion.phrase(for: name, in: vocabulary.measureNames),
                        offset: components[1].offset))
                return nil
            }
            guard noFurther(2) else { return nil }
            var path = RecordPath(type: .number, allowedValues: nil) { t, i in
                t.records[i].measures[index].map(Value.number) ?? .null
            }
            path.number = { t, i in t.records[i].measures[index] }
            return wrap(path, isMeasure: true)
        case "rupture":
            if components.count == 1 {
                return wrap(
                    RecordPath(type: .record, allowedValues: nil) { t, i in
                        t.records[i].rupture == nil ? .null : .bool(true)
                    })
            }
            let name = components[1].name
            guard let field = RecordPath.ruptureFields[name] else {
                errors.append(
                    ExpressionError(
                        "rupture has no field '\(name)'"
                            + Suggestion.phrase(for: name, in: RecordPath.ruptureFields.keys),
                        offset: components[1].offset))
                return nil
            }
            guard noFurther(2) else { return nil }
            return wrap(field)
        default:
            guard let field = RecordPath.fields[head.name] else {
                errors.append(
                    ExpressionError(
                        "unknown field '\(head.name)'"
                            + Suggestion.phrase(for: head.name, in: RecordPath.allTopLevelNames), offset: head.offset))
                return nil
            }
            guard noFurther(1) else { return nil }
            return wrap(field)
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
