/// Writes an expression tree back as text that parses to the same tree, with the parentheses
/// it needs and no others: how coverage names a condition and mutation testing writes a mutant.
///
/// ```swift
/// ExpressionPrinter.text(try Parser.parse("(a.b<3)  and not x"))   // "a.b < 3 and not x"
/// ```
public enum ExpressionPrinter {
    /// Binding strength, loosest first, as the parser reads them.
    private static func precedence(_ expression: Expression) -> Int {
        switch expression {
        case .binary(let op, _, _, _):
            switch op {
            case .or: return 1
            case .and: return 2
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .notIn: return 4
            case .add, .subtract: return 5
            case .multiply, .divide: return 6
            }
        case .unary(.not, _, _): return 3
        case .unary(.negate, _, _): return 7
        default: return 8
        }
    }

    public static func text(_ expression: Expression) -> String {
        switch expression {
        case .literal(let value, _):
            return literal(value)
        case .path(let components):
            return components.map(\.name).joined(separator: ".")
        case .list(let items, _):
            return "[" + items.map(text).joined(separator: ", ") + "]"
        case .unary(.not, let operand, _):
            return "not " + wrapped(operand, above: 3)
        case .unary(.negate, let operand, _):
            return "-" + wrapped(operand, above: 7)
        case .binary(let op, let left, let right, _):
            let level = precedence(expression)
            // Comparisons do not chain: both sides must bind tighter. Others are left-associative.
            let leftMinimum = level == 4 ? level + 1 : level
            return wrapped(left, above: leftMinimum) + " \(op.rawValue) " + wrapped(right, above: level + 1)
        case .call(let name, let arguments, _):
            return name + "(" + arguments.map(text).joined(separator: ", ") + ")"
        }
    }

    private static func wrapped(_ expression: Expression, above minimum: Int) -> String {
        precedence(expression) >= minimum ? text(expression) : "(" + text(expression) + ")"
    }

    static func literal(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(n)
        case .string(let s):
            var out = "'"
            for character in s {
                if character == "\\" || character == "'" { out.append("\\") }
                out.append(character)
            }
            return out + "'"
        case .date(let day): return "date('\(day)')"
        case .list(let items): return "[" + items.map(literal).joined(separator: ", ") + "]"
        }
    }
}
