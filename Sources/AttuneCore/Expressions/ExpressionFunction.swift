/// A function expressions may call, declared once with its signature: how many arguments, what
/// each must be, and how the checked call compiles. `all` is the table `ExpressionCompiler` reads.
///
/// ```swift
/// ExpressionFunction.named("days")?.parameter   // .date: days() takes two dates
/// ```
struct ExpressionFunction: Sendable {
    /// What an argument must be.
    enum Parameter: String, Sendable {
        /// A path (`measures.srs`), written as one.
        case path
        /// A string literal (`'2026-11-24'`), written as one; not checked as an expression.
        case literal
        case list
        case number
        case date

        /// Whether an argument of this checked type fits; `unknown` fits all, and `null` every
        /// scalar (it is absent data, not a type error).
        func accepts(_ type: ValueType) -> Bool {
            switch self {
            case .path, .literal: return true
            case .list:
                if case .list = type { return true }
                return type == .unknown
            case .number: return type == .number || type == .unknown || type == .null
            case .date: return type == .date || type == .unknown || type == .null
            }
        }
    }

    enum Arity: Sendable {
        case exactly(Int)
        case atLeastOne
    }

    typealias Compile = @Sendable (_ call: Call, _ errors: inout [ExpressionError]) -> CheckedExpression

    /// A call whose arguments are checked against the signature.
    struct Call {
        /// The arguments as written.
        var sources: [Expression]
        /// The arguments checked, for every parameter but `literal`.
        var arguments: [CheckedExpression]
    }

    let name: String
    let arity: Arity
    let parameter: Parameter
    /// How the argument rule reads in errors: `count() takes a list`.
    let takes: String
    let compile: Compile

    /// Every function, in the order did-you-mean lists them.
    static let all: [ExpressionFunction] = [has, count, overlaps, abs, min, max, days, date]

    static func named(_ name: String) -> ExpressionFunction? { all.first { $0.name == name } }

    /// The error when the call has the wrong number of arguments, nil when it fits.
    func arityError(_ count: Int) -> String? {
        switch arity {
        case .exactly(let expected) where count != expected:
            return "\(name)() takes \(expected) argument\(expected == 1 ? "" : "s"), found \(count)"
        case .atLeastOne where count == 0:
            return "\(name)() takes at least one \(parameter.rawValue)"
        default:
            return nil
        }
    }

    // MARK: The functions

    /// has() asks whether a value is there: finding it absent is an answer, not a gap that
    /// leaves the rule unable to judge the record.
    static let has = ExpressionFunction(
        name: "has", arity: .exactly(1), parameter: .path, takes: "a path such as measures.srs"
    ) { call, _ in
        let argument = call.arguments[0]
        let evaluate = argument.evaluate
        let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
            let missedBefore = row.probe?.missedMeasure
            let present = !(try evaluate(row)).isNull
            if let missedBefore { row.probe?.missedMeasure = missedBefore }
            return .bool(present)
        }
        if let number = argument.number {
            return CheckedExpression(
                general,
                test: { t, i, p throws(EvaluationError) in
                    let missedBefore = p?.missedMeasure
                    let present = try number(t, i, p) != nil
                    if let missedBefore { p?.missedMeasure = missedBefore }
                    return present
                })
        }
        if let strings = argument.strings {
            return CheckedExpression(general, test: { t, i, _ throws(EvaluationError) in strings(t, i) != nil })
        }
        return CheckedExpression(type: .bool, evaluate: general)
    }

    static let count = ExpressionFunction(name: "count", arity: .exactly(1), parameter: .list, takes: "a list") {
        call, _ in
        let evaluate = call.arguments[0].evaluate
        return CheckedExpression(type: .number) { row throws(EvaluationError) in
            .number(Double(try evaluate(row).list?.count ?? 0))
        }
    }

    static let overlaps = ExpressionFunction(
        name: "overlaps", arity: .exactly(2), parameter: .list, takes: "two lists"
    ) { call, _ in
        let (a, b) = (call.arguments[0], call.arguments[1])
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
            return CheckedExpression(
                general,
                test: { t, i, _ throws(EvaluationError) in strings(t, i)?.contains { set.contains($0) } ?? false })
        }
        return CheckedExpression(type: .bool, evaluate: general)
    }

    static let abs = ExpressionFunction(name: "abs", arity: .exactly(1), parameter: .number, takes: "a number") {
        call, _ in
        let argument = call.arguments[0]
        let evaluate = argument.evaluate
        let general: CompiledExpression.Evaluator = { row throws(EvaluationError) in
            guard case .number(let n) = try evaluate(row) else { return .null }
            return .number(Swift.abs(n))
        }
        if let number = argument.number {
            return CheckedExpression(
                general, number: { t, i, p throws(EvaluationError) in try number(t, i, p).map { Swift.abs($0) } })
        }
        return CheckedExpression(type: .number, evaluate: general)
    }

    static let min = extremum("min") { Swift.min($0, $1) }
    static let max = extremum("max") { Swift.max($0, $1) }

    /// min() and max(): the smallest or largest of their numbers, null when any is absent.
    private static func extremum(_ name: String, _ pick: @escaping @Sendable (Double, Double) -> Double)
        -> ExpressionFunction
    {
        ExpressionFunction(name: name, arity: .atLeastOne, parameter: .number, takes: "numbers") { call, _ in
            let evaluators = call.arguments.map(\.evaluate)
            return CheckedExpression(type: .number) { row throws(EvaluationError) in
                var best: Double?
                for evaluate in evaluators {
                    guard case .number(let n) = try evaluate(row) else { return .null }
                    best = best.map { pick($0, n) } ?? n
                }
                return best.map(Value.number) ?? .null
            }
        }
    }

    static let days = ExpressionFunction(name: "days", arity: .exactly(2), parameter: .date, takes: "two dates") {
        call, _ in
        let ef = call.arguments[0].evaluate
        let et = call.arguments[1].evaluate
        return CheckedExpression(type: .number) { row throws(EvaluationError) in
            guard case .date(let a) = try ef(row), case .date(let b) = try et(row) else { return .null }
            return .number(Double(a.days(to: b)))
        }
    }

    static let date = ExpressionFunction(
        name: "date", arity: .exactly(1), parameter: .literal, takes: "a literal such as date('2026-11-24')"
    ) { call, errors in
        guard case .literal(.string(let text), let textOffset) = call.sources[0] else { return .invalid() }
        guard let day = Day(iso: text) else {
            errors.append(ExpressionError("'\(text)' is not a date (YYYY-MM-DD)", offset: textOffset))
            return .invalid()
        }
        return CheckedExpression(constant: .date(day), type: .date)
    }
}

extension ExpressionCompiler {
    /// Checks a call against its function's signature in `ExpressionFunction.all`, then compiles it.
    func checkCall(_ name: String, _ arguments: [Expression], _ offset: Int, _ errors: inout [ExpressionError])
        -> CheckedExpression
    {
        guard let function = ExpressionFunction.named(name) else {
            errors.append(
                ExpressionError(
                    "unknown function '\(name)'"
                        + Suggestion.phrase(for: name, in: ExpressionFunction.all.map { $0.name }), offset: offset))
            for argument in arguments { _ = check(argument, &errors) }
            return .invalid()
        }
        if let message = function.arityError(arguments.count) {
            errors.append(ExpressionError(message, offset: offset))
            return .invalid()
        }
        let takes = "\(name)() takes \(function.takes)"
        // A path or a literal is a matter of how the argument is written: checked before its meaning.
        if let miswritten = arguments.first(where: { !function.parameter.isWritten($0) }) {
            errors.append(ExpressionError(takes, offset: miswritten.offset))
            return .invalid()
        }
        let checked = function.parameter == .literal ? [] : arguments.map { check($0, &errors) }
        for (argument, source) in zip(checked, arguments) where !function.parameter.accepts(argument.type) {
            errors.append(ExpressionError("\(takes), found \(article(argument.type))", offset: source.offset))
        }
        return function.compile(ExpressionFunction.Call(sources: arguments, arguments: checked), &errors)
    }
}

extension ExpressionFunction.Parameter {
    /// Whether the argument is written as this parameter needs (a path, a string literal).
    func isWritten(_ argument: Expression) -> Bool {
        switch self {
        case .path:
            if case .path = argument { return true }
            return false
        case .literal:
            if case .literal(.string, _) = argument { return true }
            return false
        case .list, .number, .date:
            return true
        }
    }
}
