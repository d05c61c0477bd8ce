/// The keys of a rule module (writing-rules.md), declared once: the decoder's unknown-key
/// check and did-you-mean, its required keys, the plugin protocol's reserved names and the
/// JSON Schema (which switches over every case, so a new key cannot go without a schema).
///
/// Kinds add their own expression keys (`ExpressionDeclaration`); `match` is listed here as
/// the expression key most kinds read, and is allowed only when the rule's kind declares it.
///
/// ```swift
/// RuleModuleKey(rawValue: "severity")   // .severity
/// RuleModuleKey.required                // [.id, .title, .severity, .kind, .message]
/// ```
public enum RuleModuleKey: String, CaseIterable, Sendable {
    case id, title, severity, kind, `where`, match, params, message, guidance, references, tags, enabled, override
    case tests

    /// A rule must have it, unless the module only switches a rule off (`{id: x, enabled: false}`).
    public var isRequired: Bool {
        switch self {
        case .id, .title, .severity, .kind, .message: return true
        case .where, .match, .params, .guidance, .references, .tags, .enabled, .override, .tests: return false
        }
    }

    /// An expression key that a kind declares (and which is allowed only if the rule's kind does).
    public var isKindExpression: Bool { self == .match }

    public static let names = allCases.map(\.rawValue)
    public static let required = allCases.filter(\.isRequired)
}
