/// A value kept out of line: 8 bytes (4 as an optional's spare bits allow) wherever it is
/// stored, shared by copies, compared and hashed by content.
///
/// For fields most values of a large array leave out: the array then pays a pointer for them.
///
/// ```swift
/// let rare: Boxed<[String]>? = .init(["homework"])
/// rare?.value   // ["homework"]
/// ```
indirect enum Boxed<Value: Hashable & Sendable>: Hashable, Sendable {
    case boxed(Value)

    init(_ value: Value) { self = .boxed(value) }

    var value: Value {
        switch self {
        case .boxed(let value): return value
        }
    }
}
