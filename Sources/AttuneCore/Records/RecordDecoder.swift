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

        /// Whether a record may leave `field` out because this context fills it in.
        public func fills(_ field: RecordField) -> Bool {
            switch field {
            case .client: return client != nil
            case .therapist: return therapist != nil
            default: return false
            }
        }
    }

    /// The required fields, one bit per `RecordField.rawValue`: checked per record without hashing.
    static let requiredBits = RecordField.allCases.reduce(0) { $0 | ($1.declaration.required ? 1 << $1.rawValue : 0) }

    public let vocabulary: Vocabulary
    public let defaults: Defaults
    /// Today, for records read for a review: a record dated after it is an error (a mistyped
    /// year must not move the review's period). Nil for rule tests, whose records are made up.
    public var today: Day?

    /// The pack's measure names, for reading them from a reader's bytes.
    let measureLookup: KeyLookup

    public init(vocabulary: Vocabulary, defaults: Defaults = .none, today: Day? = nil) {
        self.vocabulary = vocabulary
        self.defaults = defaults
        self.today = today
        measureLookup = KeyLookup(vocabulary.measureNames)
    }

    public func decode(_ node: Node, file: String, diagnostics: inout [Diagnostic]) -> SessionRecord? {
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        var draft = Draft(defaults)
        if let pairs = node.mappingPairs, Self.namesKnownFieldsOnce(pairs) {
            // Nothing for `ScalarReader.pairs` to report, so skip building its list of pairs.
            for pair in pairs {
                if case .scalar(let key, _) = pair.key.content {
                    decodeField(RecordField.named(key), key: key, pair, into: &draft, &reader)
                }
            }
        } else {
            guard let pairs = reader.pairs(node, field: "a session record") else { return nil }
            for (key, pair) in pairs { decodeField(RecordField.named(key), key: key, pair, into: &draft, &reader) }
        }
        if draft.seen & Self.requiredBits != Self.requiredBits {
            for field in RecordField.allCases where Self.requiredBits & (1 << field.rawValue) != 0 {
                guard draft.seen & (1 << field.rawValue) == 0, !draft.suggested.contains(field.name),
                    !defaults.fills(field)
                else { continue }
                reader.error(.invalidValue, "missing required field '\(field.name)'", at: node)
            }
        }
        if let next = draft.nextAppointment, let date = draft.date, next < date {
            reader.error(
                .invalidValue, "\(RecordField.nextAppointment.name) \(next) is before the session's date \(date)",
                at: node)
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
        // Fields seen, one bit per `RecordField.rawValue`: no hashing per key on the path every record takes.
        var seen = 0
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
            guard let field = RecordField.named(key), seen & (1 << field.rawValue) == 0 else { return false }
            seen |= 1 << field.rawValue
        }
        return true
    }

    private func decodeField(
        _ field: RecordField?, key: String, _ pair: Node.Pair, into draft: inout Draft, _ reader: inout ScalarReader
    ) {
        guard let field else {
            if key.hasPrefix("x-") { return }  // site extensions: kept out of the way, never interpreted
            // An unknown field is an error even when null.
            if let match = Suggestion.closest(to: key, in: RecordField.names) { draft.suggested.insert(match) }
            reader.error(
                .unknownKey,
                "unknown field '\(ScalarReader.shown(key))'" + Suggestion.phrase(for: key, in: RecordField.names),
                at: pair.key)
            return
        }
        let value = pair.value
        draft.seen |= 1 << field.rawValue
        if value.isNull, Self.requiredBits & (1 << field.rawValue) == 0 { return }  // an absent optional field
        let name = field.name
        switch field {
        case .client: draft.client = reader.identifier(value, field: name)
        case .therapist: draft.therapist = reader.identifier(value, field: name)
        case .episode: draft.episode = reader.identifier(value, field: name)
        case .date:
            draft.date = reader.date(value, field: name)
            if let today, let date = draft.date, date > today {
                reader.error(
                    .invalidValue,
                    "date \(date) is after today (\(today)); a session cannot have happened yet (a mistyped year?)",
                    at: value)
                draft.date = nil
            }
        case .session: draft.session = reader.integer(value, field: name, range: field.declaration.integerRange)
        case .attendance: draft.attendance = reader.enumeration(value, field: name, as: Attendance.self)
        case .measures: decodeMeasures(value, into: &draft.measures, &reader)
        case .rupture: draft.rupture = decodeRupture(value, &reader)
        case .repair: draft.repair = reader.enumeration(value, field: name, as: Repair.self)
        case .tags: draft.tags = reader.identifiers(value, field: name) ?? []
        case .nextAppointment: draft.nextAppointment = reader.date(value, field: name)
        case .episodeEnd: draft.episodeEnd = reader.enumeration(value, field: name, as: EpisodeEnd.self)
        case .notes: draft.notes = reader.scalar(value, field: name)
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
        guard let pairs = reader.pairs(node, field: RecordField.measures.name) else { return }
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
        guard let pairs = reader.pairs(node, field: RecordField.rupture.name) else { return nil }
        let errorsBefore = reader.diagnostics.count
        var type: Rupture.Kind?
        var markers: [String] = []
        var intensity: Int?
        var resolution = Rupture.Resolution.none
        var reportedBy: Rupture.Reporter?
        var sawType = false
        for (key, pair) in pairs {
            guard let field = RuptureField.named(key) else {
                reader.error(
                    .unknownKey,
                    "unknown rupture field '\(ScalarReader.shown(key))'"
                        + Suggestion.phrase(for: key, in: RuptureField.names), at: pair.key)
                continue
            }
            let value = pair.value
            if field == .type { sawType = true }
            if value.isNull, !field.declaration.required { continue }
            let name = field.name
            switch field {
            case .type: type = reader.enumeration(value, field: "rupture \(name)", as: Rupture.Kind.self)
            case .markers:
                markers = reader.identifiers(value, field: name) ?? []
                if !vocabulary.markers.isEmpty, let items = value.sequenceItems {
                    for (marker, item) in zip(markers, items) where !vocabulary.markers.contains(marker) {
                        reader.error(
                            .invalidValue,
                            "unknown rupture marker '\(marker)'"
                                + Suggestion.phrase(for: marker, in: vocabulary.markers.sorted()), at: item)
                    }
                }
            case .intensity: intensity = reader.integer(value, field: name, range: field.declaration.integerRange)
            case .resolution:
                resolution = reader.enumeration(value, field: name, as: Rupture.Resolution.self) ?? resolution
            case .reportedBy: reportedBy = reader.enumeration(value, field: name, as: Rupture.Reporter.self)
            }
        }
        if !sawType {
            let declared = RuptureField.type.declaration
            reader.error(
                .missingKey,
                "rupture is missing its '\(declared.name)' (\(declared.allowedValues?.joined(separator: ", ") ?? ""))",
                at: node)
        }
        guard reader.diagnostics.count == errorsBefore, let type else { return nil }
        return Rupture(
            type: type, markers: markers, intensity: intensity, resolution: resolution, reportedBy: reportedBy)
    }
}
