/// The static type of an expression, known before any record is read.
///
/// ```swift
/// ValueType.list(.string).description   // "list of string"
/// ```
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool
    case number
    case string
    case date
    case list(ValueType)
    /// A whole record (`prev`, `first`): usable with `has()` and `== null`, and as a path prefix.
    case record
    /// The type of an empty list literal, which fits any list.
    case unknown

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .date: return "date"
        case .list(let element): return element == .unknown ? "list" : "list of \(element)"
        case .record: return "record"
        case .unknown: return "unknown"
        }
    }

    /// Whether values of the two types can be compared with `==`.
    func isComparable(with other: ValueType) -> Bool {
        switch (self, other) {
        case (.null, _), (_, .null), (.unknown, _), (_, .unknown): return true
        case (.list(let a), .list(let b)): return a.isComparable(with: b)
        default: return self == other
        }
    }

    var isOrdered: Bool { self == .number || self == .date || self == .unknown }
}
