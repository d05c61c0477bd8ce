/// A way through a kind's logic that a rule's tests should take at least once (`attune test
/// --coverage`): a streak reaching its length, a window running out by days. A branch tied to a
/// parameter is where that parameter decides; a test that takes it shows the parameter matters.
///
/// ```swift
/// KindBranch("opens", "a run reaches the length", parameter: "length")
/// timeline.reached("opens")
/// ```
public struct KindBranch: Sendable, Hashable {
    public var name: String
    public var doc: String
    public var parameter: String?

    public init(_ name: String, _ doc: String, parameter: String? = nil) {
        self.name = name
        self.doc = doc
        self.parameter = parameter
    }
}

extension Kind {
    /// The branches of this kind, as configured; none unless the kind lists them.
    public var branches: [KindBranch] { [] }
}
