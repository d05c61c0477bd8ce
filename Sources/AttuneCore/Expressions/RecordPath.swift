/// The fields of a record that expressions can read, with their types and accessors.
///
/// One table serves the type checker (types, enumerated values, did-you-mean) and the evaluator.
public struct RecordPath: Sendable {
    typealias Accessor = @Sendable (Timeline, Int) -> Value
    /// Typed readers, for the compiler's typed condition tests: the same field without a `Value`.
    typealias NumberAccessor = @Sendable (Timeline, Int) -> Double?
    typealias StringsAccessor = @Sendable (Timeline, Int) -> [String]?
    /// Given the values to look for, a reader that tells whether the field holds one of them
    /// (nil when the field is absent), comparing enumeration cases rather than strings.
    typealias Membership = @Sendable ([String]) -> @Sendable (Timeline, Int) -> Bool?

    let type: ValueType
    /// For enumerated string fields: the values a comparison can meaningfully use.
    let allowedValues: [String]?
    let accessor: Accessor
    var number: NumberAccessor? = nil
    var strings: StringsAccessor? = nil
    var membership: Membership? = nil
    /// For fields a rule cannot judge without: whether this record leaves the field unrecorded
    /// (a rupture without its intensity; an input without bookings). A read that finds it so
    /// counts the record as "could not judge", as a missing measure does.
    var unrecorded: (@Sendable (Timeline, Int) -> Bool)? = nil

    // Accessors read fields in place (`t.records[i].client`): passing a whole record to a
    // closure would copy it and retain every reference it holds, on every evaluation.

    static func string(_ get: @escaping @Sendable (Timeline, Int) -> String?) -> RecordPath {
        RecordPath(type: .string, allowedValues: nil) { t, i in get(t, i).map(Value.string) ?? .null }
    }

    static func enumeration<E: RawRepresentable & CaseIterable & Hashable & Sendable>(
        _: E.Type, _ get: @escaping @Sendable (Timeline, Int) -> E?
    ) -> RecordPath
    where E.RawValue == String {
        var path = RecordPath(type: .string, allowedValues: E.allCases.map(\.rawValue)) { t, i in
            get(t, i).map { .string($0.rawValue) } ?? .null
        }
        path.membership = { literals in
            // A literal that names no case can never be equal (the compiler reports it anyway).
            let cases = literals.compactMap(E.init(rawValue:))
            return { t, i in get(t, i).map { cases.contains($0) } }
        }
        return path
    }

    static func number(_ get: @escaping @Sendable (Timeline, Int) -> Int?) -> RecordPath {
        var path = RecordPath(type: .number, allowedValues: nil) { t, i in
            get(t, i).map { .number(Double($0)) } ?? .null
        }
        path.number = { t, i in get(t, i).map(Double.init) }
        return path
    }

    static func boolean(_ get: @escaping @Sendable (Timeline, Int) -> Bool) -> RecordPath {
        RecordPath(type: .bool, allowedValues: nil) { t, i in .bool(get(t, i)) }
    }

    static func date(_ get: @escaping @Sendable (Timeline, Int) -> Day?) -> RecordPath {
        RecordPath(type: .date, allowedValues: nil) { t, i in get(t, i).map(Value.date) ?? .null }
    }

    static func strings(_ get: @escaping @Sendable (Timeline, Int) -> [String]?) -> RecordPath {
        var path = RecordPath(type: .list(.string), allowedValues: nil) { t, i in
            get(t, i).map { .list($0.map(Value.string)) } ?? .null
        }
        path.strings = get
        return path
    }

    /// The path of a record field; nil for the mappings (`measures`, `rupture`), whose own
    /// fields a path names after a dot.
    static func path(of field: RecordField) -> RecordPath? {
        switch field {
        case .client: return .string { $0.records[$1].clientID.text }
        case .therapist: return .string { $0.records[$1].therapistID.text }
        case .episode: return .string { $0.records[$1].episodeID.text }
        case .date: return .date { $0.records[$1].date }
        case .session: return .number { t, i in t.records[i].session }
        case .attendance: return .enumeration(Attendance.self) { $0.records[$1].attendance }
        case .measures, .rupture: return nil
        case .repair: return .enumeration(Repair.self) { $0.records[$1].repair }
        case .tags: return .strings { $0.records[$1].tags }
        case .nextAppointment: return .date { $0.records[$1].nextAppointment }
        case .episodeEnd: return .enumeration(EpisodeEnd.self) { $0.records[$1].episodeEnd }
        case .notes: return .string { $0.records[$1].notes }
        }
    }

    /// The path of a field of `rupture`.
    static func path(of field: RuptureField) -> RecordPath {
        switch field {
        case .type: return .enumeration(Rupture.Kind.self) { $0.records[$1].rupture?.type }
        case .markers: return .strings { $0.records[$1].rupture?.markers }
        case .intensity:
            var path = RecordPath.number { t, i in t.records[i].rupture?.intensity }
            path.unrecorded = { t, i in t.records[i].rupture != nil && t.records[i].rupture?.intensity == nil }
            return path
        case .resolution: return .enumeration(Rupture.Resolution.self) { $0.records[$1].rupture?.resolution }
        case .reportedBy: return .enumeration(Rupture.Reporter.self) { $0.records[$1].rupture?.reportedBy }
        }
    }

    /// Top-level fields: the record's own, and the derived values (records.md).
    static let fields: [String: RecordPath] = {
        var fields: [String: RecordPath] = [:]
        for field in RecordField.allCases {
            if let path = path(of: field) { fields[field.name] = path }
        }
        return fields.merging(derivedFields) { own, _ in own }
    }()

    /// Values derived from a record's place in its timeline.
    static let derivedFields: [String: RecordPath] = [
        "n": .number { _, i in i + 1 },
        "attended_n": .number { t, i in t.attendedNumber(at: i) },
        "days_since_prev": .number { t, i in t.daysSincePrevious(at: i) },
        "bookings_recorded": {
            var path = RecordPath.boolean { t, _ in t.bookingsRecorded }
            path.unrecorded = { t, _ in !t.bookingsRecorded }
            return path
        }(),
    ]

    /// Fields that hold free text (session notes): never shown unless the user asks for notes.
    static let freeTextFields = Set(RecordField.allCases.filter { $0.declaration.type == .freeText }.map(\.name))

    /// Whether a path (`notes`, `prev.notes`, `first.notes`) reads a free-text field.
    public static func isFreeText(_ path: String) -> Bool {
        let components = path.split(separator: ".")
        guard let last = components.last, freeTextFields.contains(String(last)) else { return false }
        return components.count == 1 || (components.count == 2 && ["prev", "first"].contains(String(components[0])))
    }

    /// Fields of `rupture`.
    static let ruptureFields = Dictionary(uniqueKeysWithValues: RuptureField.allCases.map { ($0.name, path(of: $0)) })

    /// Names that start a record path besides `fields`: the record's mappings, and the other
    /// records a path can read (`prev.date`, `first.measures.srs`, `baseline.srs`).
    static let structuredFields =
        RecordField.allCases.filter(\.declaration.type.isMapping).map(\.name) + ["prev", "first", "baseline"]

    static var allTopLevelNames: [String] { Array(fields.keys) + structuredFields }
}
