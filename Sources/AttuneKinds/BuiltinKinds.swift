import AttuneCore

/// The kinds that ship with Attune, registered in one place.
///
/// ```swift
/// let registry = try KindRegistry(BuiltinKinds.all + [MyKind.self])
/// let ruleSet = PackLoader(registry: registry).load(sources)
/// ```
public enum BuiltinKinds {
    public static let all: [any Kind.Type] = [
        ThresholdKind.self,
        WindowKind.self,
        StreakKind.self,
        ChangeKind.self,
        SequenceKind.self,
        GapKind.self,
        TrajectoryKind.self,
        ScoreKind.self,
        CaseloadKind.self,
    ]

    /// The built-in kinds alone. Their names are distinct and each conforms to one of the two
    /// protocols (a test builds `KindRegistry(all)` and would fail first), so this cannot trap.
    public static let registry: KindRegistry = {
        do { return try KindRegistry(all) } catch {
            preconditionFailure("the built-in kinds do not register: \(error)")
        }
    }()
}
