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

    /// Top-level fields, including the derived values (records.md).
    static let fields: [String: RecordPath] = [
        "client": .string { $0.records[$1].client },
        "therapist": .string { $0.records[$1].therapist },
        "episode": .string { $0.records[$1].episode },
        "date": .date { $0.records[$1].date },
        "session": .number { t, i in t.records[i].session },
        "attendance": .enumeration(Attendance.self) { $0.records[$1].attendance },
        "repair": .enumeration(Repair.self) { $0.records[$1].repair },
        "tags": .strings { $0.records[$1].tags },
        "next_appointment": .date { $0.records[$1].nextAppointment },
        "episode_end": .enumeration(EpisodeEnd.self) { $0.records[$1].episodeEnd },
        "notes": .string { $0.records[$1].notes },
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
    static let freeTextFields: Set<String> = ["notes"]

    /// Whether a path (`notes`, `prev.notes`, `first.notes`) reads a free-text field.
    public static func isFreeText(_ path: String) -> Bool {
        let components = path.split(separator: ".")
        guard let last = components.last, freeTextFields.contains(String(last)) else { return false }
        return components.count == 1 || (components.count == 2 && ["prev", "first"].contains(String(components[0])))
    }

    /// Fields of `rupture`.
    static let ruptureFields: [String: RecordPath] = [
        "type": .enumeration(Rupture.Kind.self) { $0.records[$1].rupture?.type },
        "markers": .strings { $0.records[$1].rupture?.markers },
        "intensity": {
            var path = RecordPath.number { t, i in t.records[i].rupture?.intensity }
            path.unrecorded = { t, i in t.records[i].rupture != nil && t.records[i].rupture?.intensity == nil }
            return path
        }(),
        "resolution": .enumeration(Rupture.Resolution.self) { $0.records[$1].rupture?.resolution },
        "reported_by": .enumeration(Rupture.Reporter.self) { $0.records[$1].rupture?.reportedBy },
    ]

    /// Names that start a record path besides `fields`.
    static let structuredFields = ["measures", "rupture", "prev", "first", "baseline"]

    static var allTopLevelNames: [String] { Array(fields.keys) + structuredFields }
}
