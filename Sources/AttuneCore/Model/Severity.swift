/// How urgently a finding needs a supervisor's attention.
///
/// ```swift
/// Severity.high > Severity.medium   // true
/// ```
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public var rank: Int { Severity.allCases.firstIndex(of: self)! }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
