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

    public init(vocabulary: Vocabulary, defaults: Defaults = .none) {
        self.vocabulary = vocabulary
        self.defaults = defaults
    }

    public func decode(_ node: Node, file: String, diagnostics: inout [Diagnostic]) -> SessionRecord? {
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let pairs = reader.pairs(node, field: "a session record") else { return nil }

        var client = defaults.client, therapist = defaults.therapist, episode: String? = defaults.episode
        var date: Day?, session: Int?, attendance: Attendance?
        var measures = MeasureValues(), rupture: Rupture?, repair: Repair?, tags: [String] = []
        var nextAppointment: Day?, episodeEnd: EpisodeEnd?, notes: String?
        // Required fields seen, as bits: no hashing per key on the path every record takes.
        let clientBit = 1, therapistBit = 2, dateBit = 4, attendanceBit = 8
        var seenRequired = 0
        // A misspelt required field is one error (the misspelling), not two.
        var suggested = Set<String>()

        for (key, pair) in pairs {
            let value = pair.value
            let field = Self.field(key)
            switch field {
            case .client: seenRequired |= clientBit
            case .therapist: seenRequired |= therapistBit
            case .date: seenRequired |= dateBit
            case .attendance: seenRequired |= attendanceBit
            default:
                if key.hasPrefix("x-") { continue }  // site extensions: kept out of the way, never interpreted
                if value.isNull { continue }
            }
            switch field {
            case .client: client = reader.string(value, field: "client")
            case .therapist: therapist = reader.string(value, field: "therapist")
            case .episode: episode = reader.string(value, field: "episode")
            case .date: date = reader.date(value, field: "date")
            case .session: session = reader.integer(value, field: "session", range: 1...Int.max)
            case .attendance: attendance = reader.enumeration(value, field: "attendance", as: Attendance.self)
            case .measures: decodeMeasures(value, into: &measures, &reader)
            case .rupture: rupture = decodeRupture(value, &reader)
            case .repair: repair = reader.enumeration(value, field: "repair", as: Repair.self)
            case .tags: tags = reader.strings(value, field: "tags") ?? []
            case .nextAppointment: nextAppointment = reader.date(value, field: "next_appointment")
            case .episodeEnd: episodeEnd = reader.enumeration(value, field: "episode_end", as: EpisodeEnd.self)
            case .notes: notes = reader.scalar(value, field: "notes")
            default:
                if let match = Suggestion.closest(to: key, in: Self.fields) { suggested.insert(match) }
                reader.error("unknown field '\(key)'" + Suggestion.phrase(for: key, in: Self.fields), at: pair.key)
            }
        }
        let required = [("client", clientBit), ("therapist", therapistBit), ("date", dateBit), ("attendance", attendanceBit)]
        for (required, bit) in required where seenRequired & bit == 0 && !suggested.contains(required) {
            if required == "client", defaults.client != nil { continue }
            if required == "therapist", defaults.therapist != nil { continue }
            reader.error("missing required field '\(required)'", at: node)
        }
        if let next = nextAppointment, let date, next < date {
            reader.error("next_appointment \(next) is before the session's date \(date)", at: node)
        }
        guard reader.diagnostics.isEmpty, let client, let therapist, let episode, let date, let attendance else { return nil }
        return SessionRecord(
            client: client, therapist: therapist, episode: episode, date: date, session: session,
            attendance: attendance, measures: measures, rupture: rupture, repair: repair, tags: tags,
            nextAppointment: nextAppointment, episodeEnd: episodeEnd, notes: notes,
            source: reader.location(node))
    }

    /// The fields of a record, for a switch that does not compare strings case by case.
    enum Field {
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
        case 7: return key == "episode" ? .episode : key == "session" ? .session : key == "rupture" ? .rupture : .unknown
        case 8: return key == "measures" ? .measures : .unknown
        case 9: return key == "therapist" ? .therapist : .unknown
        case 10: return key == "attendance" ? .attendance : .unknown
        case 11: return key == "episode_end" ? .episodeEnd : .unknown
        case 16: return key == "next_appointment" ? .nextAppointment : .unknown
        default: return .unknown
        }
    }

    private func decodeMeasures(_ node: Node, into measures: inout MeasureValues, _ reader: inout ScalarReader) {
        guard let pairs = reader.pairs(node, field: "measures") else { return }
        for (name, pair) in pairs where !pair.value.isNull {
            guard let index = vocabulary.measureIndex(name) else {
                reader.error("unknown measure '\(name)'" + Suggestion.phrase(for: name, in: vocabulary.measureNames)
                    + " (measures are declared in the pack's pack.yaml)", at: pair.key)
                continue
            }
            guard let value = reader.number(pair.value, field: "measure \(name)") else { continue }
            let spec = vocabulary.measures[index]
            guard spec.range.contains(value) else {
                reader.error("\(name) \(Value.format(value)) is out of range \(Value.format(spec.range.lowerBound))–\(Value.format(spec.range.upperBound))", at: pair.value)
                continue
            }
            measures[index] = value
        }
    }

    private func decodeRupture(_ node: Node, _ reader: inout ScalarReader) -> Rupture? {
        guard let pairs = reader.pairs(node, field: "rupture") else { return nil }
        let errorsBefore = reader.diagnostics.count
        var type: Rupture.Kind?, markers: [String] = [], intensity = 3
        var resolution = Rupture.Resolution.none, reportedBy: Rupture.Reporter?
        var sawType = false
        for (key, pair) in pairs {
            let value = pair.value
            if key == "type" { sawType = true }
            if value.isNull, key != "type" { continue }
            switch key {
            case "type": type = reader.enumeration(value, field: "rupture type", as: Rupture.Kind.self)
            case "markers":
                markers = reader.strings(value, field: "markers") ?? []
                if !vocabulary.markers.isEmpty, let items = value.sequenceItems {
                    for (marker, item) in zip(markers, items) where !vocabulary.markers.contains(marker) {
                        reader.error("unknown rupture marker '\(marker)'" + Suggestion.phrase(for: marker, in: vocabulary.markers.sorted()), at: item)
                    }
                }
            case "intensity": intensity = reader.integer(value, field: "intensity", range: 1...5) ?? intensity
            case "resolution": resolution = reader.enumeration(value, field: "resolution", as: Rupture.Resolution.self) ?? resolution
            case "reported_by": reportedBy = reader.enumeration(value, field: "reported_by", as: Rupture.Reporter.self)
            default:
                reader.error("unknown rupture field '\(key)'" + Suggestion.phrase(for: key, in: Self.ruptureFields), at: pair.key)
            }
        }
        if !sawType { reader.error("rupture is missing its 'type' (withdrawal, confrontation, mixed)", at: node) }
        guard reader.diagnostics.count == errorsBefore, let type else { return nil }
        return Rupture(type: type, markers: markers, intensity: intensity, resolution: resolution, reportedBy: reportedBy)
    }
}
