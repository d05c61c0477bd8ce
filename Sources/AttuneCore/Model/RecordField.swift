/// The fields of a session record (records.md), declared once: decoding, record paths, CSV
/// import and export, the record writer and the JSON Schema all read their names, types and
/// docs from here, and switch over the cases so a new field cannot be left out of any of them.
///
/// ```swift
/// RecordField.nextAppointment.name         // "next_appointment"
/// RecordField.named("episode_end")         // .episodeEnd
/// RecordField.date.declaration.required    // true
/// ```
public enum RecordField: Int, CaseIterable, Sendable {
    case client, therapist, episode, date, session, attendance, measures, rupture, repair, tags
    case nextAppointment, episodeEnd, notes

    private var makeDeclaration: RecordFieldDeclaration {
        switch self {
        case .client: return .init("client", .identifier, required: true, doc: "Pseudonym of the client, e.g. C-1042")
        case .therapist:
            return .init("therapist", .identifier, required: true, doc: "Pseudonym of the supervisee")
        case .episode:
            return .init(
                "episode", .identifier,
                doc: "Episode of care (default \"1\"); rules run over one (client, episode) timeline")
        case .date:
            return .init(
                "date", .date, required: true,
                doc: "Date of the appointment (YYYY-MM-DD), not after today; a date-time gives its date part")
        case .session:
            return .init(
                "session", .integer(1...Int.max), doc: "Session number; orders records of the same day")
        case .attendance:
            return .init(
                "attendance", .cases(of: Attendance.self), required: true, doc: "What happened to the appointment")
        case .measures:
            return .init("measures", .measures, doc: "Questionnaire scores by measure name, as declared by the pack")
        case .rupture:
            return .init("rupture", .rupture, doc: "The most significant alliance rupture of the session (3RS)")
        case .repair:
            return .init("repair", .cases(of: Repair.self), doc: "Repair work on an earlier rupture")
        case .tags: return .init("tags", .identifiers, doc: "Codes from session notes")
        case .nextAppointment:
            return .init("next_appointment", .date, doc: "The next booked appointment; not before the session's date")
        case .episodeEnd:
            return .init(
                "episode_end", .cases(of: EpisodeEnd.self), doc: "How the episode ended, on its last record")
        case .notes:
            return .init("notes", .freeText, doc: "Session notes: never in a report unless --include-notes")
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
    public static func named(_ key: String) -> RecordField? { lookup[key].flatMap(RecordField.init(rawValue:)) }

    /// The field these UTF-8 bytes spell exactly (see `KeyLookup.subscript(bytes:)`).
    static func named(bytes: UnsafeBufferPointer<UInt8>) -> RecordField? {
        lookup[bytes: bytes].flatMap(RecordField.init(rawValue:))
    }
}
