/// The kinds a rule may name, by name. Built-in kinds register in AttuneKinds; a team adds one
/// by writing a type and passing it here.
///
/// ```swift
/// let registry = KindRegistry([ThresholdKind.self, MyKind.self])
/// registry["threshold"]?.declaration.summary
/// ```
public struct KindRegistry: Sendable {
    public let kinds: [any Kind.Type]
    private let byName: [String: any Kind.Type]

    public init(_ kinds: [any Kind.Type]) {
        self.kinds = kinds
        var byName: [String: any Kind.Type] = [:]
        for kind in kinds { byName[kind.declaration.name] = kind }
        self.byName = byName
    }

    public subscript(name: String) -> (any Kind.Type)? { byName[name] }

    public var names: [String] { kinds.map { $0.declaration.name } }
}
