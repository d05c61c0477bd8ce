/// A run-time value of the expression language.
///
/// ```swift
/// let v: Value = .list([.string("distancing"), .string("unfocused")])
/// v.isTrue   // false: in `where` and `match` only `true` is true
/// ```
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case date(Day)
    case list([Value])

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Truth for `where`/`match` and the logical operators: only `true` is true; null is false.
    public var isTrue: Bool {
        if case .bool(true) = self { return true }
        return false
    }

    public var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var list: [Value]? {
        if case .list(let l) = self { return l }
        return nil
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(n)
        case .string(let s): return "'\(s)'"
        case .date(let d): return "date('\(d)')"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The value as a reader sees it in a message: no quotes, whole numbers without a fraction.
    public var displayText: String {
        switch self {
        case .null: return "none"
        case .bool(let b): return b ? "yes" : "no"
        case .number(let n): return Value.format(n)
        case .string(let s): return s
        case .date(let d): return d.description
        case .list(let items): return items.map(\.displayText).joined(separator: ", ")
        }
    }

    /// `31`, `18.5`, `-0.25`: the shortest faithful text, never `31.0`; whole numbers digit for
    /// digit up to 2^53 (records hold no larger ones).
    public static func format(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) <= 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return String(number)
    }
}
