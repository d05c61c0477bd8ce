/// The fields of a record's `rupture` mapping (records.md), declared once in the style of
/// `RecordField`.
///
/// ```swift
/// RuptureField.reportedBy.name   // "reported_by"
/// ```
public enum RuptureField: Int, CaseIterable, Sendable {
    case type, markers, intensity, resolution, reportedBy

    private var makeDeclaration: RecordFieldDeclaration {
        switch self {
        case .type:
            return .init(
                "type", .cases(of: Rupture.Kind.self), required: true, doc: "Withdrawal, confrontation or both")
        case .markers: return .init("markers", .markers, doc: "Rupture markers, from the pack's marker list")
        case .intensity:
            return .init(
                "intensity", .integer(1...5),
                doc:
                    "The rater's own 1–5 strength (a local self-report scale, not a 3RS rating); absent means not recorded"
            )
        case .resolution:
            return .init(
                "resolution", .cases(of: Rupture.Resolution.self),
                doc: "How far the rupture was resolved (default none)")
        case .reportedBy:
            return .init("reported_by", .cases(of: Rupture.Reporter.self), doc: "Who reported the rupture")
        }
    }

    /// Built once, so that reading a declaration is an array index.
    private static let declarations = allCases.map { $0.makeDeclaration }
    /// Every field name, in declaration order (for did-you-mean). `name` reads it, so that the
    /// decoder's messages do not copy a whole declaration per field.
    public static let names = declarations.map(\.name)
    private static let lookup = KeyLookup(names)

    public var declaration: RecordFieldDeclaration { Self.declarations[rawValue] }
    public var name: String { Self.names[rawValue] }

    /// The field `key` names; one array index and at most a few comparisons of equal-length names.
    public static func named(_ key: String) -> RuptureField? { lookup[key].flatMap(RuptureField.init(rawValue:)) }

    /// The field these UTF-8 bytes spell exactly (see `KeyLookup.subscript(bytes:)`).
    static func named(bytes: UnsafeBufferPointer<UInt8>) -> RuptureField? {
        lookup[bytes: bytes].flatMap(RuptureField.init(rawValue:))
    }
}
