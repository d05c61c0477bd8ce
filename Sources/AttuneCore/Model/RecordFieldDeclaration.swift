/// What one field of a session record (or of its `rupture`) is: its name in files, the type
/// its value is read as, whether a record must have it, and one line of documentation.
public struct RecordFieldDeclaration: Sendable {
    /// How a field's value is read (records.md "Typing"): by its field, never by YAML's guesses.
    public enum FieldType: Sendable, Hashable {
        /// Text naming something (a pseudonym, a code): any scalar, read as its text.
        case identifier
        /// Free text (session notes): never shown unless the user asks for notes.
        case freeText
        case date
        case integer(ClosedRange<Int>)
        /// One of the raw values of an enumeration.
        case enumeration([String])
        /// A list of identifiers.
        case identifiers
        /// A list of rupture markers, checked against the pack's markers.
        case markers
        /// A mapping measure name → number, names and ranges from the pack.
        case measures
        /// The mapping of `RuptureField`s.
        case rupture

        /// `.enumeration` of the raw values of `E`'s cases.
        static func cases<E: RawRepresentable & CaseIterable>(of _: E.Type) -> FieldType where E.RawValue == String {
            .enumeration(E.allCases.map(\.rawValue))
        }

        /// A mapping with fields of its own (`measures`, `rupture`) rather than one value.
        public var isMapping: Bool { self == .measures || self == .rupture }
        /// A list of values (one CSV cell holds them separated).
        public var isList: Bool { self == .identifiers || self == .markers }
    }

    public let name: String
    public let type: FieldType
    /// A record without it is an error (unless the context supplies a default, as rule tests do).
    public let required: Bool
    public let doc: String

    init(_ name: String, _ type: FieldType, required: Bool = false, doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
    }

    /// For integer fields: the values a record may hold (every integer for other fields, which
    /// are not read as integers).
    public var integerRange: ClosedRange<Int> {
        if case .integer(let range) = type { return range }
        return Int.min...Int.max
    }

    /// For enumerated fields: the values a record may hold.
    public var allowedValues: [String]? {
        if case .enumeration(let values) = type { return values }
        return nil
    }
}
