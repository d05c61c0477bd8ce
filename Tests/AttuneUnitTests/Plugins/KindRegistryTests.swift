import AttuneCore
import AttuneKinds
import Testing

/// The kind contract: one name per kind, scope from the protocol, no kind that could never run.
struct KindRegistryTests {
    /// A Swift kind that conforms to neither TimelineKind nor FindingsKind.
    struct NeitherKind: Kind {
        static let declaration = KindDeclaration(
            name: "neither", summary: "never runs", parameters: [], expressions: [],
            placeholders: [], examples: [])
        init(configuration: KindConfiguration) throws(KindConfigurationError) {}
    }

    /// A second kind named like a built-in one.
    struct SecondStreak: TimelineKind {
        static let declaration = KindDeclaration(
            name: "streak", summary: "a clash", parameters: [], expressions: [],
            placeholders: [], examples: [])
        init(configuration: KindConfiguration) throws(KindConfigurationError) {}
        func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] { [] }
    }

    @Test func theBuiltInKindsRegister() throws {
        let registry = try KindRegistry(BuiltinKinds.all)
        #expect(registry.names.count == BuiltinKinds.all.count)
    }

    @Test func scopeFollowsTheProtocolAKindConformsTo() throws {
        let registry = try KindRegistry(BuiltinKinds.all)
        #expect(registry["caseload"]?.declaration.scope == .caseload)
        #expect(registry["streak"]?.declaration.scope == .timeline)
    }

    /// The engine asks a detector what it is (`timelineDetector`, `batchTimelineDetector`,
    /// `findingsDetector`) and a Swift kind where it looks (`conformedScope`) instead of casting:
    /// the answers must be what a cast finds, for every built-in kind and default-pack rule.
    @Test func aDetectorSaysWhatACastWouldFind() {
        for kind in BuiltinKinds.all {
            let cast: KindDeclaration.Scope? =
                kind is any TimelineKind.Type ? .timeline : kind is any FindingsKind.Type ? .caseload : nil
            #expect(kind.conformedScope == cast, "\(kind)")
            #expect(cast != nil, "\(kind)")
        }
        #expect(NeitherKind.conformedScope == nil)
        #expect(SecondStreak.conformedScope == .timeline)
        var roles: Set<String> = []
        for rule in Fixtures.defaultRuleSet.rules {
            Self.expectRolesAsCast(rule.kind, rule.id)
            if rule.kind.timelineDetector != nil { roles.insert("timeline") }
            if rule.kind.findingsDetector != nil { roles.insert("findings") }
        }
        #expect(roles == ["timeline", "findings"])
    }

    /// `detector`'s three answers agree with casts (`is any …`).
    static func expectRolesAsCast(_ detector: any Detector, _ name: String) {
        #expect((detector.timelineDetector != nil) == (detector is any TimelineDetector), "\(name)")
        #expect((detector.batchTimelineDetector != nil) == (detector is any BatchTimelineDetector), "\(name)")
        #expect((detector.findingsDetector != nil) == (detector is any FindingsDetector), "\(name)")
    }

    @Test func aDuplicateKindNameIsRefused() {
        #expect { try KindRegistry(BuiltinKinds.all + [SecondStreak.self]) } throws: { error in
            (error as? KindRegistryError)?.message.contains(
                "kind 'streak' of Swift kind SecondStreak has the name of a kind of Swift kind StreakKind") == true
        }
    }

    @Test func aKindConformingToNeitherProtocolIsAnError() {
        #expect { try KindRegistry([NeitherKind.self]) } throws: { error in
            (error as? KindRegistryError)?.message.contains("conforms to neither TimelineKind nor FindingsKind") == true
        }
    }

    /// Every built-in kind reads each defaulted param's value from its configuration, which the
    /// loader fills from the declaration; none writes the default a second time as a fallback.
    /// Taken from a default-pack rule of each kind, a defaulted param left out must be the error.
    @Test func aKindTakesItsDefaultsFromItsDeclarationOnly() throws {
        var checked: Set<String> = []
        for rule in Fixtures.defaultRuleSet.rules {
            let declaration = rule.registration.declaration
            for parameter in declaration.parameters where parameter.defaultValue != nil {
                var parameters = rule.parameters
                parameters[parameter.name] = nil
                let configuration = KindConfiguration(parameters: parameters, vocabulary: Fixtures.vocabulary)
                #expect("\(declaration.name).\(parameter.name)") {
                    _ = try rule.registration.make(configuration)
                } throws: { error in
                    (error as? KindConfigurationError)?.parameter == parameter.name
                }
                checked.insert(declaration.name)
            }
        }
        // The built-in kinds with defaulted params, each used by a default-pack rule.
        let withDefaults = BuiltinKinds.registry.kinds.filter { kind in
            kind.declaration.parameters.contains { $0.defaultValue != nil }
        }
        #expect(checked == Set(withDefaults.map { $0.declaration.name }))
    }
}
