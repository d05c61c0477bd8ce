import AttuneCore

/// Lists the mutants of a rule: comparison operators `<`↔`<=`, `>`↔`>=`, `==`↔`!=`; numbers and
/// numeric constants ±1 and ±10%; numeric params ±1 and ±10% and signal points ±1; `and`↔`or`;
/// each side of an `and` dropped; `where` negated.
///
/// A whole number moved by 10% is rounded to a whole number (records' scores are whole, so
/// `intensity >= 2.7` would only repeat `>= 3`); a move that repeats another, or leaves the
/// value as it was or outside a param's range, is left out.
///
/// ```swift
/// let mutants = MutantGenerator(vocabulary: ruleSet.vocabulary).mutants(of: rule)
/// ```
public struct MutantGenerator: Sendable {
    public let vocabulary: Vocabulary

    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// A changed tree, with what changed and what a killing test would need.
    struct TreeMutation {
        var tree: Expression
        var mutationOperator: Mutant.Operator
        var summary: String
        var reason: String
    }

    public func mutants(of rule: Rule) -> [Mutant] {
        var mutants: [Mutant] = []
        for (site, source) in RuleRebuilder.expressions(of: rule) {
            guard let tree = try? Parser.parse(source) else { continue }
            let location: SourceLocation
            let label: String
            switch site {
            case .key(let key):
                location = rule.keyLocations[key] ?? rule.location
                label = key
            case .signal(let position):
                location =
                    rule.keyLocations["params.signals.\(position)"] ?? rule.keyLocations["params"] ?? rule.location
                label = RuleRebuilder.coverageKey(site, of: rule)
            }
            var mutations = self.mutations(of: tree)
            if site == .key("where") {
                mutations.append(
                    TreeMutation(
                        tree: .unary(.not, tree, offset: 0), mutationOperator: .negateWhere,
                        summary: "`\(ExpressionPrinter.text(tree))` negated",
                        reason:
                            "no test depends on which records `where` keeps (each test's records all pass it, or the ones it drops change nothing)"
                    ))
            }
            for mutation in mutations {
                mutants.append(
                    Mutant(
                        rule: rule.id, location: location, mutationOperator: mutation.mutationOperator,
                        summary: "\(label): \(mutation.summary)", reason: mutation.reason,
                        change: .expression(site, ExpressionPrinter.text(mutation.tree))))
            }
        }
        mutants += parameterMutants(of: rule)
        return mutants
    }

    // MARK: Expressions

    func mutations(of expression: Expression) -> [TreeMutation] {
        var list = local(expression)
        // Mutations further down, with this node rebuilt around each.
        switch expression {
        case .literal, .path:
            break
        case .list(let items, let offset):
            for (position, item) in items.enumerated() {
                for mutation in mutations(of: item) {
                    var copy = items
                    copy[position] = mutation.tree
                    list.append(rewrapped(mutation, .list(copy, offset: offset)))
                }
            }
        case .unary(let op, let operand, let offset):
            list += mutations(of: operand).map { rewrapped($0, .unary(op, $0.tree, offset: offset)) }
        case .binary(let op, let left, let right, let offset):
            // A moved number is shown in the comparison it belongs to: `measures.srs < srs_cutoff`: srs_cutoff (36) → 35.
            let isComparison = [.less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual].contains(op)
            func placed(_ mutation: TreeMutation, in tree: Expression, against other: Expression) -> TreeMutation {
                var copy = rewrapped(mutation, tree)
                guard isComparison, mutation.mutationOperator == .constant, !mutation.summary.hasPrefix("`") else {
                    return copy
                }
                copy.summary = "`\(ExpressionPrinter.text(expression))`: " + mutation.summary
                // The moved number is this comparison's bound: the test it lacks has the other side between the two.
                if case .literal(.number(let moved), _) = mutation.tree,
                    let original = Self.number(left, right, vocabulary)
                {
                    let (low, high) = (min(original, moved), max(original, moved))
                    copy.reason =
                        "no test where `\(ExpressionPrinter.text(other))` is from \(Value.format(low)) to \(Value.format(high)), where the two bounds disagree"
                }
                return copy
            }
            list += mutations(of: left).map {
                placed($0, in: .binary(op, $0.tree, right, offset: offset), against: right)
            }
            list += mutations(of: right).map {
                placed($0, in: .binary(op, left, $0.tree, offset: offset), against: left)
            }
        case .call(let name, let arguments, let offset):
            for (position, argument) in arguments.enumerated() {
                for mutation in mutations(of: argument) {
                    var copy = arguments
                    copy[position] = mutation.tree
                    list.append(rewrapped(mutation, .call(name, copy, offset: offset)))
                }
            }
        }
        return list
    }

    /// The number one side of a comparison stands for, when a side is a number or numeric constant.
    private static func number(_ left: Expression, _ right: Expression, _ vocabulary: Vocabulary) -> Double? {
        for side in [right, left] {
            switch side {
            case .literal(.number(let n), _): return n
            case .path(let components) where components.count == 1:
                if case .number(let n)? = vocabulary.constants[components[0].name]?.value { return n }
            default: continue
            }
        }
        return nil
    }

    private func rewrapped(_ mutation: TreeMutation, _ tree: Expression) -> TreeMutation {
        var copy = mutation
        copy.tree = tree
        return copy
    }

    /// The mutations of this node itself.
    private func local(_ expression: Expression) -> [TreeMutation] {
        let text = ExpressionPrinter.text(expression)
        switch expression {
        case .binary(let op, let left, let right, let offset):
            let swapped: Expression.BinaryOperator?
            switch op {
            case .less: swapped = .lessOrEqual
            case .lessOrEqual: swapped = .less
            case .greater: swapped = .greaterOrEqual
            case .greaterOrEqual: swapped = .greater
            case .equal: swapped = .notEqual
            case .notEqual: swapped = .equal
            default: swapped = nil
            }
            if let swapped {
                let reason: String
                if op == .equal || op == .notEqual {
                    reason =
                        "no test where the outcome depends on whether `\(ExpressionPrinter.text(left))` equals \(describe(right))"
                } else {
                    reason =
                        "no test at the boundary, where `\(ExpressionPrinter.text(left))` equals \(describe(right))"
                }
                return [
                    TreeMutation(
                        tree: .binary(swapped, left, right, offset: offset), mutationOperator: .comparison,
                        summary: "`\(text)`: \(op.rawValue) → \(swapped.rawValue)", reason: reason)
                ]
            }
            let l = ExpressionPrinter.text(left)
            let r = ExpressionPrinter.text(right)
            switch op {
            case .and:
                return [
                    TreeMutation(
                        tree: .binary(.or, left, right, offset: offset), mutationOperator: .andOr,
                        summary: "`\(text)`: and → or",
                        reason: "no test where one of `\(l)` and `\(r)` holds without the other"),
                    TreeMutation(
                        tree: left, mutationOperator: .dropConjunct, summary: "`\(text)` → `\(l)`",
                        reason: "no test where `\(r)` is false while `\(l)` holds"),
                    TreeMutation(
                        tree: right, mutationOperator: .dropConjunct, summary: "`\(text)` → `\(r)`",
                        reason: "no test where `\(l)` is false while `\(r)` holds"),
                ]
            case .or:
                return [
                    TreeMutation(
                        tree: .binary(.and, left, right, offset: offset), mutationOperator: .andOr,
                        summary: "`\(text)`: or → and",
                        reason: "no test where one of `\(l)` and `\(r)` holds without the other")
                ]
            default:
                return []
            }
        case .literal(.number(let n), let offset):
            return Self.moves(of: n, wholeNumbers: n == n.rounded()).map { value in
                TreeMutation(
                    tree: .literal(.number(value), offset: offset), mutationOperator: .constant,
                    summary: "\(Value.format(n)) → \(Value.format(value))",
                    reason: "no test close enough to \(Value.format(n)) to notice \(Value.format(value))")
            }
        case .path(let components) where components.count == 1:
            guard let constant = vocabulary.constants[components[0].name], case .number(let n) = constant.value else {
                return []
            }
            return Self.moves(of: n, wholeNumbers: n == n.rounded()).map { value in
                TreeMutation(
                    tree: .literal(.number(value), offset: components[0].offset), mutationOperator: .constant,
                    summary: "\(text) (\(Value.format(n))) → \(Value.format(value))",
                    reason: "no test close enough to \(text) (\(Value.format(n))) to notice \(Value.format(value))")
            }
        default:
            return []
        }
    }

    /// A comparison's other side, with a constant's value: `srs_cutoff (36)`.
    private func describe(_ expression: Expression) -> String {
        let text = ExpressionPrinter.text(expression)
        if case .path(let components) = expression, components.count == 1,
            let constant = vocabulary.constants[components[0].name]
        {
            return "`\(text)` (\(constant.value.displayText))"
        }
        return "`\(text)`"
    }

    /// ±1 and ±10%, each once, none equal to the value itself.
    static func moves(of value: Double, wholeNumbers: Bool, in range: ClosedRange<Double>? = nil) -> [Double] {
        var tenth = [value * 0.9, value * 1.1]
        if value < 0 { tenth.reverse() }
        tenth = tenth.map { wholeNumbers ? $0.rounded() : ($0 * 10_000).rounded() / 10_000 }
        var result: [Double] = []
        for candidate in [value - 1, value + 1] + tenth where candidate != value && !result.contains(candidate) {
            if let range, !range.contains(candidate) { continue }
            result.append(candidate)
        }
        return result
    }

    // MARK: Params

    private func parameterMutants(of rule: Rule) -> [Mutant] {
        var mutants: [Mutant] = []
        for declaration in rule.declaration.parameters {
            let name = declaration.name
            // Only params the rule sets: a default is the kind's, and its examples test it.
            guard let value = rule.parameters[name], let location = rule.keyLocations["params.\(name)"] else {
                continue
            }
            switch (declaration.type, value) {
            case (.integer(let range), .integer(let n)):
                let bounds = Double(range.lowerBound)...Double(range.upperBound)
                for moved in Self.moves(of: Double(n), wholeNumbers: true, in: bounds) {
                    mutants.append(
                        Mutant(
                            rule: rule.id, location: location, mutationOperator: .parameter,
                            summary: "params.\(name): \(n) → \(Int(moved))",
                            reason:
                                "no test where \(name) \(n) rather than \(Int(moved)) changes a finding (nothing at the edge of \(name))",
                            change: .parameter(name, .integer(Int(moved)))))
                }
            case (.number, let number):
                let n: Double
                switch number {
                case .number(let x): n = x
                case .integer(let i): n = Double(i)
                default: continue
                }
                for moved in Self.moves(of: n, wholeNumbers: n == n.rounded()) {
                    mutants.append(
                        Mutant(
                            rule: rule.id, location: location, mutationOperator: .parameter,
                            summary: "params.\(name): \(Value.format(n)) → \(Value.format(moved))",
                            reason:
                                "no test where \(name) \(Value.format(n)) rather than \(Value.format(moved)) changes a finding (nothing at the edge of \(name))",
                            change: .parameter(name, .number(moved))))
                }
            case (.signals, .signals(let signals)):
                for (position, signal) in signals.enumerated() {
                    for points in [signal.points - 1, signal.points + 1] {
                        var changed = signals
                        changed[position].points = points
                        let signalLocation = rule.keyLocations["params.signals.\(position)"] ?? location
                        mutants.append(
                            Mutant(
                                rule: rule.id, location: signalLocation, mutationOperator: .parameter,
                                summary: "signal '\(signal.label)': points \(signal.points) → \(points)",
                                reason:
                                    "no test where signal '\(signal.label)' scoring \(points) instead of \(signal.points) changes whether the score reaches at_least",
                                change: .parameter(name, .signals(changed))))
                    }
                }
            default:
                continue
            }
        }
        return mutants
    }
}
