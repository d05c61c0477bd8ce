/// The kinds a rule may name, by name: Swift kinds (built in, or a site's own through the
/// library) and plugin kinds a pack declares. Built once per run and passed to every command.
///
/// ```swift
/// var registry = try KindRegistry([ThresholdKind.self, MyKind.self])
/// try registry.add(pluginRegistration)
/// registry["threshold"]?.declaration.summary
/// ```
public struct KindRegistry: Sendable {
    public private(set) var kinds: [KindRegistration]
    private var byName: [String: Int]

    public init() {
        kinds = []
        byName = [:]
    }

    /// Refuses two kinds of one name and a Swift kind that conforms to neither `TimelineKind`
    /// nor `FindingsKind`.
    public init(_ kinds: [any Kind.Type]) throws(KindRegistryError) {
        self.kinds = []
        byName = [:]
        for kind in kinds { try add(try KindRegistration(kind)) }
    }

    /// This registry and `extra` after it, as `AttuneCLI.main(kinds:)` adds a site's kinds to the
    /// built-in ones: a name already taken and a kind of neither protocol are errors.
    public func adding(_ extra: [any Kind.Type]) throws(KindRegistryError) -> KindRegistry {
        var registry = self
        for kind in extra {
            var registration = try KindRegistration(kind)
            registration.examplesRunWithPackTests = true
            try registry.add(registration)
        }
        return registry
    }

    public mutating func add(_ registration: KindRegistration) throws(KindRegistryError) {
        let name = registration.declaration.name
        if let index = byName[name] {
            throw KindRegistryError(
                "kind '\(name)' of \(registration.origin) has the name of a kind of \(kinds[index].origin); kind names must be unique"
            )
        }
        byName[name] = kinds.count
        kinds.append(registration)
    }

    public subscript(name: String) -> KindRegistration? { byName[name].map { kinds[$0] } }

    public var names: [String] { kinds.map { $0.declaration.name } }
}

/// A kind the registry refuses: a duplicate name, or a type that is neither kind of kind.
public struct KindRegistryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
