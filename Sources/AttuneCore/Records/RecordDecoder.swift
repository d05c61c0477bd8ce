import AttuneYAML

/// Turns one located node into a validated `SessionRecord`, by the schema of records.md.
///
/// Every problem of the record is reported (not just the first), each at its node; a record
/// with any error is left out. Measures are checked against the pack vocabulary's ranges.
///
/// ```swift
/// let decoder = RecordDecoder(vocabulary: pack.vocabulary)
/// var diagnostics: [Diagnostic] = []
/// let record = decoder.decode(node, file: "week48.yaml", diagnostics: &diagnostics)
/// ```
public struct RecordDecoder: Sendable {
    /// Defaults for fields a context fills in (inline rule tests default to T-1 / C-1 / episode 1).
    public struct Defaults: Sendable {
        public var client: String?
        public var therapist: String?
        public var episode: String

        public init(client: String? = nil, therapist: String? = nil, episode: String = "1") {
            self.client = client
            self.therapist = therapist
            self.episode = episode
        }

        public static let none = Defaults()
        public static let ruleTests = Defaults(client: "C-1", therapist: "T-1")
    }

    public static let fields = [
        "client", "therapist", "episode", "date", "session", "attendance", "measures", "rupture", "repair",
        "tags", "next_appointment", "episode_end", "notes",
    ]
    public static let ruptureFields = ["type", "markers", "intensity", "resolution", "reported_by"]

    public let vocabulary: Vocabulary
    public let defaults: Defaults
    /// Today, for records read for a review: a record dated after it is an error (a mistyped
    /// year must not move the review's period). Nil for rule tests, whose records are made up.
    public var today: Day?

    public init(vocabulary: Vocabulary, defaults: Defaults = .none, today: Day? = nil) {
        self.vocabulary = vocabulary
        self.defaults = defaults
        self.today = today
    }

    public func decode(_ node: Node, file: String, diagnostics: inout [Diagnostic]) -> SessionRecord? {
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        var draft = Draft(defaults)
        if let pairs = node.mappingPairs, Self.namesKnownFieldsOnce(pairs) {
            // Nothing for `ScalarReader.pairs` to report, so skip building its list of pairs.
            for pair in pairs {
                if case .scalar(let key, _) = pair.key.content {
                    decodeField(Self.field(key), key: key, pair, into: &draft, &reader)
                }
            }
        } else {
            guard let pairs = reader.pairs(node, field: "a session record") else { return nil }
            for (key, pair) in pairs { decodeField(Self.field(key), key: key, pair, into: &draft, &reader) }
        }
        let required = [
            ("client", Draft.clientBit), ("therapist", Draft.therapistBit), ("date", Draft.dateBit),
            ("attendance", Draft.attendanceBit),
        ]
        for (required, bit) in required where draft.seenRequired & bit == 0 && !draft.suggested.contains(required) {
            if required == "client", defaults.client != nil { continue }
            if required == "therapist", defaults.therapist != nil { continue }
            reader.error(.invalidValue, "missing required field '\(required)'", at: node)
        }
        if let next = draft.nextAppointment, let date = draft.date, next < date {
            reader.error(.invalidValue, "next_appointment \(next) is before the session's date \(date)", at: node)
        }
        guard reader.diagnostics.isEmpty, let client = draft.client, let therapist = draft.therapist,
            let episode = draft.episode,
            let date = draft.date, let attendance = draft.attendance
        else { return nil }
        return SessionRecord(
            client: client, therapist: therapist, episode: episode, date: date, session: draft.session,
            attendance: attendance, measures: draft.measures, rupture: draft.rupture, repair: draft.repair,
            tags: draft.tags,
            nextAppointment: draft.nextAppointment, episodeEnd: draft.episodeEnd, notes: draft.notes,
            source: reader.location(node))
    }

    /// The fields of a record read so far.
    struct Draft {
        var client: String?, therapist: String?, episode: String?
        var date: Day?, session: Int?, attendance: Attendance?
        var measures = MeasureValues(), rupture: Rupture?, repair: Repair?, tags: [String] = []
        var nextAppointment: Day?, episodeEnd: EpisodeEnd?, notes: String?
        // Required fields seen, as bits: no hashing per key on the path every record takes.
        static let clientBit = 1, therapistBit = 2, dateBit = 4, attendanceBit = 8
        var seenRequired = 0
        // A misspelt required field is one error (the misspelling), not two.
        var suggested = Set<String>()

        init(_ defaults: Defaults) {
            client = defaults.client
            therapist = defaults.therapist
            episode = defaults.episode
        }
    }

    /// True when every key is a scalar naming a known field, none twice: then the generic
    /// `ScalarReader.pairs` would report nothing and drop nothing.
    static func namesKnownFieldsOnce(_ pairs: [Node.Pair]) -> Bool {
        var seen = 0
        for pair in pairs {
            guard case .scalar(let key, _) = pair.key.content else { return false }
            let field = Self.field(key)
            guard field != .unknown, seen & (1 << field.rawValue) == 0 else { return false }
            seen |= 1 << field.rawValue
        }
        return true
    }

    private func decodeField(
        _ field: Field, key: String, _ pair: Node.Pair, into draft: inout Draft, _ reader: inout ScalarReader
    ) {
        let value = pair.value
        switch field {
        case .client: draft.seenRequired |= Draft.clientBit
        case .therapist: draft.seenRequired |= Draft.therapistBit
        case .date: draft.seenRequired |= Draft.dateBit
        case .attendance: draft.seenRequired |= Draft.attendanceBit
        case .unknown:
            if key.hasPrefix("x-") { return }  // site extensions: kept out of the way, never interpreted
        default:
            if value.isNull { return }  // an absent optional field; an unknown field is an error even when null
        }
        switch field {
        case .client: draft.client = reader.identifier(value, field: "client")
        case .therapist: draft.therapist = reader.identifier(value, field: "therapist")
        case .episode: draft.episode = reader.identifier(value, field: "episode")
        case .date:
            draft.date = reader.date(value, field: "date")
            if let today, let date = draft.date, date > today {
                reader.error(
                    .invalidValue,
                    "date \(date) is after today (\(today)); a session cannot have happened yet (a mistyped year?)",
                    at: value)
                draft.date = nil
            }
        case .session: draft.session = reader.integer(value, field: "session", range: 1...Int.max)
        case .attendance: draft.attendance = reader.enumeration(value, field: "attendance", as: Attendance.self)
        case .measures: decodeMeasures(value, into: &draft.measures, &reader)
        case .rupture: draft.rupture = decodeRupture(value, &reader)
        case .repair: draft.repair = reader.enumeration(value, field: "repair", as: Repair.self)
        case .tags: draft.tags = reader.identifiers(value, field: "tags") ?? []
        case .nextAppointment: draft.nextAppointment = reader.date(value, field: "next_appointment")
        case .episodeEnd: draft.episodeEnd = reader.enumeration(value, field: "episode_end", as: EpisodeEnd.self)
        case .notes: draft.notes = reader.scalar(value, field: "notes")
        case .unknown:
            if let match = Suggestion.closest(to: key, in: Self.fields) { draft.suggested.insert(match) }
            reader.error(
                .unknownKey,
                "unknown field '\(ScalarReader.shown(key))'" + Suggestion.phrase(for: key, in: Self.fields),
                at: pair.key)
        }
    }

    /// The fields of a record, for a switch that does not compare strings case by case.
    enum Field: Int {
        case client, therapist, episode, date, session, attendance, measures, rupture, repair, tags
        case nextAppointment, episodeEnd, notes, unknown
    }

    /// The field `key` names, found by length first: each key is then compared with one or
    /// two names instead of with every case of a string switch.
    static func field(_ key: String) -> Field {
        switch key.utf8.count {
        case 4: return key == "date" ? .date : key == "tags" ? .tags : .unknown
        case 5: return key == "notes" ? .notes : .unknown
        case 6: return key == "client" ? .client : key == "repair" ? .repair : .unknown
        case 7:
            return key == "episode" ? .episode : key == "session" ? .session : key == "rupture" ? .rupture : .unknown
        case 8: return key == "measures" ? .measures : .unknown
        case 9: return key == "therapist" ? .therapist : .unknown
        case 10: return key == "attendance" ? .attendance : .unknown
        case 11: return key == "episode_end" ? .episodeEnd : .unknown
        case 16: return key == "next_appointment" ? .nextAppointment : .unknown
        default: return .unknown
        }
    }

    private func decodeMeasures(_ node: Node, into measures: inout MeasureValues, _ reader: inout ScalarReader) {
        if let pairs = node.mappingPairs {
            // The usual case first, every key a declared measure named once, straight off the
            // node. Anything else is undone and read the general way, so errors stay the same.
            let before = (measures: measures, errors: reader.diagnostics.count)
            var seen: UInt64 = 0
            var usual = true
            for pair in pairs {
                guard case .scalar(let name, _) = pair.key.content, let index = vocabulary.measureIndex(name),
                    index < 64, seen & (1 << index) == 0
                else {
                    usual = false
                    break
                }
                seen |= 1 << index
                if !pair.value.isNull { decodeMeasure(name, index: index, pair.value, into: &measures, &reader) }
            }
            if usual { return }
            measures = before.measures
            reader.diagnostics.removeSubrange(before.errors...)
        }
        guard let pairs = reader.pairs(node, field: "measures") else { return }
        for (name, pair) in pairs {
            guard let index = vocabulary.measureIndex(name) else {
                // Even when null: a misspelt measure name is worth knowing about.
                reader.error(
                    .pack,
                    "unknown measure '\(ScalarReader.shown(name))'"
                        + Suggestion.phrase(for: name, in: vocabulary.measureNames)
                        + " (measures are declared in the pack's pack.yaml)", at: pair.key)
                continue
            }
            if pair.value.isNull { continue }
            decodeMeasure(name, index: index, pair.value, into: &measures, &reader)
        }
    }

    private func decodeMeasure(
        _ name: String, index: Int, _ node: Node, into measures: inout MeasureValues, _ reader: inout ScalarReader
    ) {
        let value: Double
        if case .scalar(let text, _) = node.content, let number = ScalarReader.parseNumber(text) {
            value = number  // what `reader.number` would give, without building its field name
        } else {
            guard let number = reader.number(node, field: "measure \(name)") else { return }
            value = number
        }
        let spec = vocabulary.measures[index]
        guard spec.range.contains(value) else {
            reader.error(
                .invalidValue,
                "\(name) \(Value.format(value)) is out of range \(Value.format(spec.range.lowerBound))–\(Value.format(spec.range.upperBound))",
                at: node)
            return
        }
        measures[index] = value
    }

    private func decodeRupture(_ node: Node, _ reader: inout ScalarReader) -> Rupture? {
        guard let pairs = reader.pairs(node, field: "rupture") else { return nil }
        let errorsBefore = reader.diagnostics.count
        var type: Rupture.Kind?
        var markers: [String] = []
        var intensity: Int?
        var resolution = Rupture.Resolution.none
        var reportedBy: Rupture.Reporter?
        var sawType = false
        for (key, pair) in pairs {
            let value = pair.value
            if key == "type" { sawType = true }
            if value.isNull, key != "type", Self.ruptureFields.contains(key) { continue }
            switch key {
            case "type": type = reader.enumeration(value, field: "rupture type", as: Rupture.Kind.self)
            case "markers":
                markers = reader.identifiers(value, field: "markers") ?? []
                if !vocabulary.markers.isEmpty, let items = value.sequenceItems {
                    for (marker, item) in zip(markers, items) where !vocabulary.markers.contains(marker) {
                        reader.error(
                            .invalidValue,
                            "unknown rupture marker '\(marker)'"
                                + Suggestion.phrase(for: marker, in: vocabulary.markers.sorted()), at: item)
                    }
                }
            case "intensity": intensity = reader.integer(value, field: "intensity", range: 1...5)
            case "resolution":
                resolution = reader.enumeration(value, field: "resolution", as: Rupture.Resolution.self) ?? resolution
            case "reported_by": reportedBy = reader.enumeration(value, field: "reported_by", as: Rupture.Reporter.self)
            default:
                reader.error(
                    .unknownKey,
                    "unknown rupture field '\(ScalarReader.shown(key))'"
                        + Suggestion.phrase(for: key, in: Self.ruptureFields), at: pair.key)
            }
        }
        if !sawType {
            reader.error(.missingKey, "rupture is missing its 'type' (withdrawal, confrontation, mixed)", at: node)
        }
        guard reader.diagnostics.count == errorsBefore, let type else { return nil }
        return Rupture(
            type: type, markers: markers, intensity: intensity, resolution: resolution, reportedBy: reportedBy)
    }
}
