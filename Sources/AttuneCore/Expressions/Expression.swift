/// The syntax tree of an expression. Offsets are 0-based character positions in its text.
///
/// ```swift
/// let tree = try Parser.parse("not has(measures.srs)")
/// ```
public indirect enum Expression: Sendable, Hashable {
    public enum UnaryOperator: String, Sendable, Hashable { case not, negate = "-" }
    public enum BinaryOperator: String, Sendable, Hashable {
        case and, or
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case `in`, notIn = "not in"
    }

    /// One name of a dotted path, with where it stands.
    public struct PathComponent: Sendable, Hashable {
        public var name: String
        public var offset: Int
    }

    case literal(Value, offset: Int)
    case path([PathComponent])
    case list([Expression], offset: Int)
    case unary(UnaryOperator, Expression, offset: Int)
    case binary(BinaryOperator, Expression, Expression, offset: Int)
    case call(String, [Expression], offset: Int)

    /// Where the expression starts, for errors about it as a whole.
    public var offset: Int {
        switch self {
        case .literal(_, let offset), .list(_, let offset), .unary(_, _, let offset), .call(_, _, let offset):
            return offset
        case .path(let components):
            return components.first?.offset ?? 0
        case .binary(_, let left, _, _):
            return left.offset
        }
    }

    /// The path as written, `prev.measures.srs`.
    public var pathText: String? {
        if case .path(let components) = self { return components.map(\.name).joined(separator: ".") }
        return nil
    }
}
