/// One kind as the rest of Attune sees it: its declaration, where it comes from, and how to make
/// its detector for a rule. Swift kinds and plugin kinds both register this way.
///
/// ```swift
/// let streak = try KindRegistration(StreakKind.self)
/// let detector = try streak.make(KindConfiguration(parameters: ["length": .integer(2)], vocabulary: vocabulary))
/// ```
public struct KindRegistration: Sendable {
    public typealias Factory = @Sendable (KindConfiguration) throws(KindConfigurationError) -> any Detector

    public let declaration: KindDeclaration
    /// "built-in kinds", "Swift kind MyKind", "plugin wasm-streak (pack.yaml:12:3)": for messages.
    public let origin: String
    /// The plugin's name, for plugin kinds.
    public let plugin: String?
    /// Whether `attune test` runs the kind's declared examples: a plugin kind's, and a site's Swift
    /// kind's (`KindRegistry.adding`), which no suite of Attune's runs. The built-in kinds' examples
    /// run in Attune's own tests.
    public internal(set) var examplesRunWithPackTests: Bool
    private let factory: Factory

    public init(declaration: KindDeclaration, origin: String, plugin: String? = nil, make factory: @escaping Factory) {
        self.declaration = declaration
        self.origin = origin
        self.plugin = plugin
        examplesRunWithPackTests = plugin != nil
        self.factory = factory
    }

    /// A Swift kind; its scope is the protocol it conforms to, not a second declaration.
    public init(_ kind: any Kind.Type) throws(KindRegistryError) {
        var declaration = kind.declaration
        if let scope = kind.conformedScope {
            declaration.scope = scope
        } else {
            throw KindRegistryError(
                "Swift kind \(kind) ('\(declaration.name)') conforms to neither TimelineKind nor FindingsKind, so it could never run"
            )
        }
        self.init(declaration: declaration, origin: "Swift kind \(kind)") {
            configuration throws(KindConfigurationError) in
            try kind.init(configuration: configuration)
        }
    }

    public func make(_ configuration: KindConfiguration) throws(KindConfigurationError) -> any Detector {
        try factory(configuration)
    }
}
