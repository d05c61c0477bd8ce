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
            errors.append(ExpressionError("expression gives a \(node.type), but a \(expected) is needed here", offset: 0))
        }
        guard errors.isEmpty else { return .failure(.errors(errors)) }
        return .success(CompiledExpression(source: text, type: node.type, evaluator: node.evaluate))
    }

    /// A checked node: its type, its evaluator, and (for paths) what a comparison may use.
    struct Checked {
        var type: ValueType
        var evaluate: CompiledExpression.Evaluator
        var allowedValues: [String]? = nil
        var pathName: String? = nil
        var isNullLiteral = false
        var stringLiteral: (String, Int)? = nil

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
            var checked = Checked(type: type) { _ throws(EvaluationError) in value }
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
                return Checked(type: .bool) { row throws(EvaluationError) in .bool(!(try evaluate(row)).isTrue) }
            case .negate:
                expectType(operand, .number, "'-' needs a number", operandExpression.offset, &errors)
                return Checked(type: .number) { row throws(EvaluationError) in
                    if case .number(let n) = try evaluate(row) { return .number(-n) }
                    return .null
                }
            }
        case .binary(let op, let leftExpression, let rightExpression, let offset):
            return checkBinary(op, leftExpression, rightExpression, offset, &errors)
        case .call(let name, let arguments, let offset):
            return checkCall(name, arguments, offset, &errors)
        }
    }

    private func expectType(_ checked: Checked, _ type: ValueType, _ message: String, _ offset: Int, _ errors: inout [ExpressionError]) {
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

    private func checkBinary(_ op: Expression.BinaryOperator, _ leftExpression: Expression, _ rightExpression: Expression,
                             _ offset: Int, _ errors: inout [ExpressionError]) -> Checked {
        let left = check(leftExpression, &errors)
        let right = check(rightExpression, &errors)
        let l = left.evaluate, r = right.evaluate
        switch op {
        case .and, .or:
            expectType(left, .bool, "'\(op.rawValue)' needs booleans on both sides", leftExpression.offset, &errors)
            expectType(right, .bool, "'\(op.rawValue)' needs booleans on both sides", rightExpression.offset, &errors)
            if op == .and {
                return Checked(type: .bool) { row throws(EvaluationError) in
                    .bool(try l(row).isTrue ? try r(row).isTrue : false)
                }
            }
            return Checked(type: .bool) { row throws(EvaluationError) in
                .bool(try l(row).isTrue ? true : try r(row).isTrue)
            }
        case .equal, .notEqual:
            if !left.type.isComparable(with: right.type) {
                errors.append(ExpressionError("cannot compare \(article(left.type)) with \(article(right.type))", offset: offset))
            }
            checkEnumerated(left, right, &errors)
            checkEnumerated(right, left, &errors)
            let wantsEqual = op == .equal
            if left.isNullLiteral || right.isNullLiteral {
                // `x == null` is the one comparison that looks at null itself.
                let other = left.isNullLiteral ? r : l
                return Checked(type: .bool) { row throws(EvaluationError) in .bool(try other(row).isNull == wantsEqual) }
            }
            return Checked(type: .bool) { row throws(EvaluationError) in
                let a = try l(row), b = try r(row)
                if a.isNull || b.isNull { return .bool(false) }
                return .bool((a == b) == wantsEqual)
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            for (side, expression) in [(left, leftExpression), (right, rightExpression)] where !side.type.isOrdered && side.type != .null {
                errors.append(ExpressionError("'\(op.rawValue)' compares numbers or dates, not \(article(side.type))", offset: expression.offset))
            }
            if left.type.isOrdered, right.type.isOrdered, left.type != right.type, left.type != .unknown, right.type != .unknown {
                errors.append(ExpressionError("cannot compare \(article(left.type)) with \(article(right.type))", offset: offset))
            }
            let test: @Sendable (Double, Double) -> Bool
            switch op {
            case .less: test = { $0 < $1 }
            case .lessOrEqual: test = { $0 <= $1 }
            case .greater: test = { $0 > $1 }
            default: test = { $0 >= $1 }
            }
            return Checked(type: .bool) { row throws(EvaluationError) in
                switch (try l(row), try r(row)) {
                case (.number(let a), .number(let b)): return .bool(test(a, b))
                case (.date(let a), .date(let b)): return .bool(test(Double(a.number), Double(b.number)))
                default: return .bool(false)
                }
            }
        case .in, .notIn:
            switch right.type {
            case .list(let element):
                if !left.type.isComparable(with: element) {
                    errors.append(ExpressionError("'\(op.rawValue)' looks for \(article(left.type)) in \(article(right.type))", offset: offset))
                }
            case .unknown, .null:
                break
            default:
                errors.append(ExpressionError("'\(op.rawValue)' needs a list on its right, found \(article(right.type))", offset: rightExpression.offset))
            }
            if let allowed = left.allowedValues, case .list(let items, _) = rightExpression {
                for item in items {
                    if case .literal(.string(let s), let itemOffset) = item, !allowed.contains(s) {
                        errors.append(enumerationError(s, left.pathName ?? "", allowed, itemOffset))
                    }
                }
            }
            let wantsIn = op == .in
            return Checked(type: .bool) { row throws(EvaluationError) in
                let needle = try l(row)
                guard !needle.isNull, case .list(let haystack) = try r(row) else { return .bool(false) }
                return .bool(haystack.contains(needle) == wantsIn)
            }
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
            return Checked(type: .number) { row throws(EvaluationError) in
                guard case .number(let a) = try l(row), case .number(let b) = try r(row) else { return .null }
                return .number(try arithmetic(a, b))
            }
        }
    }

    private func checkEnumerated(_ path: Checked, _ other: Checked, _ errors: inout [ExpressionError]) {
        guard let allowed = path.allowedValues, let (literal, offset) = other.stringLiteral, !allowed.contains(literal) else { return }
        errors.append(enumerationError(literal, path.pathName ?? "", allowed, offset))
    }

    private func enumerationError(_ literal: String, _ path: String, _ allowed: [String], _ offset: Int) -> ExpressionError {
        ExpressionError("'\(literal)' is never a value of \(path) (\(allowed.joined(separator: ", ")))"
            + Suggestion.phrase(for: literal, in: allowed), offset: offset)
    }

    // MARK: Functions

    static let functionNames = ["has", "count", "overlaps", "abs", "min", "max", "days", "date"]

    private func checkCall(_ name: String, _ arguments: [Expression], _ offset: Int, _ errors: inout [ExpressionError]) -> Checked {
        func arity(_ count: Int) -> Bool {
            guard arguments.count == count else {
                errors.append(ExpressionError("\(name)() takes \(count) argument\(count == 1 ? "" : "s"), found \(arguments.count)", offset: offset))
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
            return Checked(type: .bool) { row throws(EvaluationError) in .bool(!(try evaluate(row)).isNull) }
        case "count":
            guard arity(1) else { return .invalid() }
            let argument = check(arguments[0], &errors)
            if case .list = argument.type {} else if argument.type != .unknown {
                errors.append(ExpressionError("count() takes a list, found \(article(argument.type))", offset: arguments[0].offset))
            }
            let evaluate = argument.evaluate
            return Checked(type: .number) { row throws(EvaluationError) in
                .number(Double(try evaluate(row).list?.count ?? 0))
            }
        case "overlaps":
            guard arity(2) else { return .invalid() }
            let a = check(arguments[0], &errors), b = check(arguments[1], &errors)
            for (argument, source) in [(a, arguments[0]), (b, arguments[1])] {
                if case .list = argument.type {} else if argument.type != .unknown {
                    errors.append(ExpressionError("overlaps() takes two lists, found \(article(argument.type))", offset: source.offset))
                }
            }
            let ea = a.evaluate, eb = b.evaluate
            return Checked(type: .bool) { row throws(EvaluationError) in
                guard case .list(let x) = try ea(row), case .list(let y) = try eb(row) else { return .bool(false) }
                return .bool(x.contains { y.contains($0) })
            }
        case "abs":
            guard arity(1) else { return .invalid() }
            let argument = check(arguments[0], &errors)
            expectType(argument, .number, "abs() takes a number", arguments[0].offset, &errors)
            let evaluate = argument.evaluate
            return Checked(type: .number) { row throws(EvaluationError) in
                guard case .number(let n) = try evaluate(row) else { return .null }
                return .number(Swift.abs(n))
            }
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
                    if let current = best { best = pickMinimum ? Swift.min(current, n) : Swift.max(current, n) } else { best = n }
                }
                return best.map(Value.number) ?? .null
            }
        case "days":
            guard arity(2) else { return .invalid() }
            let from = check(arguments[0], &errors), to = check(arguments[1], &errors)
            expectType(from, .date, "days() takes two dates", arguments[0].offset, &errors)
            expectType(to, .date, "days() takes two dates", arguments[1].offset, &errors)
            let ef = from.evaluate, et = to.evaluate
            return Checked(type: .number) { row throws(EvaluationError) in
                guard case .date(let a) = try ef(row), case .date(let b) = try et(row) else { return .null }
                return .number(Double(a.days(to: b)))
            }
        case "date":
            guard arity(1) else { return .invalid() }
            guard case .literal(.string(let text), let textOffset) = arguments[0] else {
                errors.append(ExpressionError("date() takes a literal such as date('2026-11-24')", offset: arguments[0].offset))
                return .invalid()
            }
            guard let day = Day(iso: text) else {
                errors.append(ExpressionError("'\(text)' is not a date (YYYY-MM-DD)", offset: textOffset))
                return .invalid()
            }
            return Checked(type: .date) { _ throws(EvaluationError) in .date(day) }
        default:
            errors.append(ExpressionError("unknown function '\(name)'" + Suggestion.phrase(for: name, in: Self.functionNames), offset: offset))
            for argument in arguments { _ = check(argument, &errors) }
            return .invalid()
        }
    }

    // MARK: Paths

    private func resolvePath(_ components: [Expression.PathComponent], _ errors: inout [ExpressionError]) -> Checked {
        let head = components[0]
        let pathText = components.map(\.name).joined(separator: ".")
        // Record fields shadow pack names; the pack loader reports a constant or set that collides.
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
                errors.append(ExpressionError("'\(head.name).\(components[1].name)' is not available; use '\(components[1].name)'", offset: components[1].offset))
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
            return field
        }
        if RecordPath.fields[head.name] != nil || RecordPath.structuredFields.contains(head.name) {
            return resolveField(components, pathText, &errors) ?? .invalid()
        }
        if let constant = vocabulary.constants[head.name] {
            guard components.count == 1 else {
                errors.append(ExpressionError("constant '\(head.name)' has no field '\(components[1].name)'", offset: components[1].offset))
                return .invalid()
            }
            let value = constant.value
            return Checked(type: Self.type(of: value)) { _ throws(EvaluationError) in value }
        }
        if let set = vocabulary.sets[head.name] {
            guard components.count == 1 else {
                errors.append(ExpressionError("set '\(head.name)' has no field '\(components[1].name)'", offset: components[1].offset))
                return .invalid()
            }
            let value = Value.list(set.members.map(Value.string))
            return Checked(type: .list(.string)) { _ throws(EvaluationError) in value }
        }
        let candidates = RecordPath.allTopLevelNames + Array(vocabulary.constants.keys) + Array(vocabulary.sets.keys)
        errors.append(ExpressionError("unknown name '\(head.name)'" + Suggestion.phrase(for: head.name, in: candidates), offset: head.offset))
        return .invalid()
    }

    /// Resolves a path relative to one record (`measures.srs`, `rupture.type`, `attended_n`).
    private func resolveField(_ components: [Expression.PathComponent], _ pathText: String, _ errors: inout [ExpressionError]) -> Checked? {
        let head = components[0]
        func noFurther(_ count: Int) -> Bool {
            guard components.count > count else { return true }
            errors.append(ExpressionError("'\(components[..<count].map(\.name).joined(separator: "."))' has no field '\(components[count].name)'", offset: components[count].offset))
            return false
        }
        func wrap(_ path: RecordPath, isMeasure: Bool = false) -> Checked {
            let accessor = path.accessor
            var checked = Checked(type: path.type) { row throws(EvaluationError) in
                let value = accessor(row.timeline, row.index)
                if let probe = row.probe { probe.read(pathText, value, isMeasure: isMeasure) }
                return value
            }
            checked.allowedValues = path.allowedValues
            checked.pathName = pathText
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
                errors.append(ExpressionError("unknown measure '\(name)'" + Suggestion.phrase(for: name, in: vocabulary.measureNames), offset: components[1].offset))
                return nil
            }
            guard noFurther(2) else { return nil }
            return wrap(RecordPath(type: .number, allowedValues: nil) { t, i in
                t.records[i].measures[index].map(Value.number) ?? .null
            }, isMeasure: true)
        case "rupture":
            if components.count == 1 {
                return wrap(RecordPath(type: .record, allowedValues: nil) { t, i in t.records[i].rupture == nil ? .null : .bool(true) })
            }
            let name = components[1].name
            guard let field = RecordPath.ruptureFields[name] else {
                errors.append(ExpressionError("rupture has no field '\(name)'" + Suggestion.phrase(for: name, in: RecordPath.ruptureFields.keys), offset: components[1].offset))
                return nil
            }
            guard noFurther(2) else { return nil }
            return wrap(field)
        default:
            guard let field = RecordPath.fields[head.name] else {
                errors.append(ExpressionError("unknown field '\(head.name)'" + Suggestion.phrase(for: head.name, in: RecordPath.allTopLevelNames), offset: head.offset))
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
