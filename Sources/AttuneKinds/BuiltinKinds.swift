import AttuneCore

/// The kinds that ship with Attune, registered in one place.
///
/// ```swift
/// let ruleSet = PackLoader(registry: BuiltinKinds.registry).load(sources)
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

    public static let registry = KindRegistry(all)
}
