/// Whether a rupture's markers fit its type: withdrawal markers on a confrontation rupture (or
/// the reverse) mean the session had both, which the 3RS codes as `mixed`.
///
/// The marker families come from the pack's sets `withdrawal_markers` and `confrontation_markers`
/// (the default pack declares both); a pack without them gets no check.
///
/// ```swift
/// RuptureMarkerCheck(vocabulary: vocabulary).problem(with: rupture)
/// // "a confrontation rupture with withdrawal markers (minimal-response): code it as 'mixed'?"
/// ```
public struct RuptureMarkerCheck: Sendable {
    static let withdrawalSet = "withdrawal_markers"
    static let confrontationSet = "confrontation_markers"

    let withdrawal: Set<String>
    let confrontation: Set<String>

    public init(vocabulary: Vocabulary) {
        withdrawal = Set(vocabulary.sets[Self.withdrawalSet]?.members ?? [])
        confrontation = Set(vocabulary.sets[Self.confrontationSet]?.members ?? [])
    }

    /// The mismatch, worded for a lint warning; nil when the markers fit or cannot be told apart.
    public func problem(with rupture: Rupture) -> String? {
        let other: (family: String, markers: [String])
        switch rupture.type {
        case .mixed: return nil
        case .confrontation:
            other = ("withdrawal", rupture.markers.filter { withdrawal.contains($0) && !confrontation.contains($0) })
        case .withdrawal:
            other = ("confrontation", rupture.markers.filter { confrontation.contains($0) && !withdrawal.contains($0) })
        }
        guard !other.markers.isEmpty else { return nil }
        return
            "a \(rupture.type.rawValue) rupture with \(other.family) markers (\(other.markers.joined(separator: ", "))): "
            + "if the session had both, code it as 'mixed'"
    }
}
