import AttuneYAML

/// Reads a well-formed session record straight from a reader's events and bytes: no `Node`, and
/// no `String` but the ones the record keeps.
///
/// It accepts only what `RecordDecoder.decode` accepts, and gives the same record; anything
/// else (an error of any kind, an anchor or tag, a key or value spelt in a way it does not read
/// by bytes, a site extension `x-…`) makes it give up, and the caller decodes the item's node,
/// which reports every problem with its message and location. A differential test runs both
/// over the fuzz corpus, the hostile inputs and the fixtures.
///
/// ```swift
/// var reader = WellFormedRecordReader(decoder)
/// if let record = reader.record(item, file: name) { … }
/// else { record = decoder.decode(item.node(), file: name, diagnostics: &diagnostics) }
/// ```
struct WellFormedRecordReader {
    let decoder: RecordDecoder
    /// The item being read, and where in its events.
    private var item = ItemEvents()
    private var index = 0
    /// Marker lists, tags and ruptures this file's records repeat, kept once.
    private var shared = SharedRareFields()
    /// The ids this file's records name, interned once each.
    private let ids: Identifiers

    /// One reader per file: the decoder is copied once, not per record.
    init(_ decoder: RecordDecoder) {
        self.decoder = decoder
        ids = Identifiers(decoder.defaults)
    }

    /// Held by reference: the reader's methods are called once a value or more, and a larger
    /// reader costs a larger copy where the compiler copies it.
    private final class Identifiers {
        // Unchecked: only the reader that made it uses it, one call at a time; the checks cost
        // more than the lookups they guard.
        @exclusivity(unchecked) var clients = IdentifierInterner()
        @exclusivity(unchecked) var therapists = IdentifierInterner()
        @exclusivity(unchecked) var episodes = IdentifierInterner()
        /// The ids a record that leaves them out is given, interned once.
        let defaultClient: InternedIdentifier?
        let defaultTherapist: InternedIdentifier?
        let defaultEpisode: InternedIdentifier

        init(_ defaults: RecordDecoder.Defaults) {
            defaultClient = defaults.client.map(InternedIdentifier.init)
            defaultTherapist = defaults.therapist.map(InternedIdentifier.init)
            defaultEpisode = InternedIdentifier(defaults.episode)
        }
    }

    /// The fields read so far. Not `RecordDecoder.Draft`: its strings (the defaults' ids, which
    /// this reader takes as interned ids) were copied and released with it, several times a record.
    private struct Fields {
        var seen = 0
        var date: Day?, session: Int?, attendance: Attendance?
        var measures = MeasureValues(), rupture: Rupture?, repair: Repair?, tags: [String] = []
        var nextAppointment: Day?, episodeEnd: EpisodeEnd?, notes: String?
    }

    /// The record `item` holds, or nil when the general path must read it.
    mutating func record(_ item: ItemEvents, file: String) -> SessionRecord? {
        self.item = item
        index = 0
        guard let open = next(), open.kind == .mappingStart else { return nil }
        var draft = Fields()
        // The shared lists that the rupture's markers and the tags are (nil: a list of their own).
        var markersID: Int? = SharedRareFields.emptyList
        var tagsID: Int? = SharedRareFields.emptyList
        // The ids, interned straight from their bytes (the draft's strings are left unset).
        var client: InternedIdentifier?
        var therapist: InternedIdentifier?
        var episode: InternedIdentifier?
        while true {
            guard let key = next() else { return nil }
            if key.kind == .mappingEnd { break }
            // Unknown, duplicate or non-scalar keys are errors; `x-` keys are read the general way.
            guard key.kind == .scalar, let field = RecordField.named(bytes: item.text(key)),
                draft.seen & (1 << field.rawValue) == 0, let value = next()
            else { return nil }
            draft.seen |= 1 << field.rawValue
            if isNull(value), RecordDecoder.requiredBits & (1 << field.rawValue) == 0 { continue }
            switch field {
            case .client:
                guard isIdentifier(value) else { return nil }
                client = ids.clients.intern(utf8: item.text(value))
            case .therapist:
                guard isIdentifier(value) else { return nil }
                therapist = ids.therapists.intern(utf8: item.text(value))
            case .episode:
                guard isIdentifier(value) else { return nil }
                episode = ids.episodes.intern(utf8: item.text(value))
            case .date:
                guard let date = date(value), decoder.today.map({ date <= $0 }) ?? true else { return nil }
                draft.date = date
            case .session:
                guard let session = integer(value, range: field.declaration.integerRange) else { return nil }
                draft.session = session
            case .attendance: draft.attendance = enumeration(value, Self.attendances)
            case .measures: guard measures(value, into: &draft.measures) else { return nil }
            case .rupture:
                guard let (rupture, markers) = rupture(value) else { return nil }
                draft.rupture = rupture
                markersID = markers
            case .repair:
                guard let repair = enumeration(value, Self.repairs) else { return nil }
                draft.repair = repair
            case .tags:
                guard let (tags, id) = identifiers(value) else { return nil }
                draft.tags = tags
                tagsID = id
            case .nextAppointment:
                guard let next = date(value) else { return nil }
                draft.nextAppointment = next
            case .episodeEnd:
                guard let end = enumeration(value, Self.episodeEnds) else { return nil }
                draft.episodeEnd = end
            case .notes:
                guard value.kind == .scalar else { return nil }
                draft.notes = string(value)
            }
        }
        guard index == item.events.count else { return nil }
        for field in RecordField.allCases where RecordDecoder.requiredBits & (1 << field.rawValue) != 0 {
            if draft.seen & (1 << field.rawValue) == 0, !decoder.defaults.fills(field) { return nil }
        }
        guard let clientID = client ?? ids.defaultClient, let therapistID = therapist ?? ids.defaultTherapist,
            let date = draft.date, let attendance = draft.attendance
        else { return nil }
        let episodeID = episode ?? ids.defaultEpisode
        if let next = draft.nextAppointment, next < date { return nil }
        var content: SharedRareFields.Content?
        if draft.notes == nil, draft.rupture != nil || !draft.tags.isEmpty, let markersID, let tagsID {
            content = SharedRareFields.Content(
                rupture: draft.rupture?.type, markers: markersID, intensity: draft.rupture?.intensity,
                resolution: draft.rupture?.resolution ?? .none, reportedBy: draft.rupture?.reportedBy, tags: tagsID)
        }
        func record(rupture: Rupture?, tags: [String]) -> SessionRecord {
            SessionRecord(
                clientID: clientID, therapistID: therapistID, episodeID: episodeID, date: date, session: draft.session,
                attendance: attendance, measures: draft.measures, rupture: rupture, repair: draft.repair, tags: tags,
                nextAppointment: draft.nextAppointment, episodeEnd: draft.episodeEnd, notes: draft.notes,
                source: SourceLocation(file: file, mark: open.mark))
        }
        guard let content else { return record(rupture: draft.rupture, tags: draft.tags) }
        // A rupture and tags read before are given as the kept copy, and no copy of them is made,
        // unless the record has values out of line of its own (too wide to store inline).
        if let kept = shared.fields(for: content) {
            var sharing = record(rupture: nil, tags: [])
            if sharing.take(kept) { return sharing }
        }
        let own = record(rupture: draft.rupture, tags: draft.tags)
        shared.keep(own, as: content)
        return own
    }

    // MARK: Events

    /// The next event; nil at the end and for an anchored or tagged one, which the general path reads.
    private mutating func next() -> ItemEvent? {
        guard index < item.events.count else { return nil }
        let event = item.events[index]
        index += 1
        return event.isDecorated ? nil : event
    }

    /// `Node.isNull`: a plain `null`, `Null`, `NULL`, `~` or empty scalar. Asked of every value:
    /// inlined, since a call copied the whole reader (200 bytes) for it.
    @inline(__always)
    private func isNull(_ event: ItemEvent) -> Bool {
        guard event.kind == .scalar, event.isPlain else { return false }
        let text = item.text(event)
        switch text.count {
        case 0: return true
        case 1: return text[0] == UInt8(ascii: "~")
        case 4: return Self.spellsNull(text)
        default: return false
        }
    }

    /// Whether four bytes are `null`, `Null` or `NULL`.
    private static func spellsNull(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text[0] == UInt8(ascii: "n") || text[0] == UInt8(ascii: "N") else { return false }
        return nullSpellings.contains { $0.elementsEqual(text) }
    }

    private static let nullSpellings = ["null", "Null", "NULL"].map { Array($0.utf8) }

    private func string(_ event: ItemEvent) -> String {
        event.length == 0 ? "" : String(decoding: item.text(event), as: UTF8.self)
    }

    // MARK: Values

    /// Whether `list` is spelt with exactly the bytes of `elements`, one string each.
    private static func spells(
        _ list: [String], _ elements: Slice<UnsafeBufferPointer<ItemEvent>>, in item: ItemEvents
    ) -> Bool {
        guard list.count == elements.count else { return false }
        for (string, element) in zip(list, elements) {
            var string = string
            if !string.withUTF8({ IdentifierSpelling.sameBytes($0, item.text(element)) }) { return false }
        }
        return true
    }

    /// Whether `event` is an id as `ScalarReader.identifier` accepts it, printable ASCII (other
    /// ids, valid or not, are read the general way).
    @inline(__always)
    private func isIdentifier(_ event: ItemEvent) -> Bool {
        guard event.kind == .scalar else { return false }
        let text = item.text(event)
        return text.count > 0 && text.count <= ScalarReader.maxIdentifierLength && text[0] != 0x20
            && text[text.count - 1] != 0x20 && text.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
    }

    /// A list of ids, and the id of the file's shared copy of it when there is one (then the list
    /// is that copy, and no `String` is made).
    private mutating func identifiers(_ event: ItemEvent) -> (list: [String], shared: Int?)? {
        guard event.kind == .sequenceStart else { return nil }
        let first = index
        // `StableHash` (FNV-1a) over the items' bytes, each item ended by a byte no identifier
        // has: cheaper than `Hasher` on the path every listed record takes, and the list is
        // compared before it is used.
        var hash = StableHash()
        while let element = next() {
            if element.kind == .sequenceEnd {
                let elements = item.events[first..<(index - 1)]
                guard !elements.isEmpty else { return ([], SharedRareFields.emptyList) }
                let key = Int(truncatingIfNeeded: hash.value)
                if let (id, list) = shared.list(hash: key), Self.spells(list, elements, in: item) { return (list, id) }
                let list = elements.map(string)
                return (list, shared.keep(list, hash: key))
            }
            guard isIdentifier(element) else { return nil }
            hash.combine(UnsafeRawBufferPointer(item.text(element)))
            hash.combine(byte: 0xFF)
        }
        return nil
    }

    private func date(_ event: ItemEvent) -> Day? {
        guard event.kind == .scalar else { return nil }
        return Day(isoUTF8: item.text(event))
    }

    /// `ScalarReader.parseInteger`, then the range: plain digits read here, anything else by it.
    private func integer(_ event: ItemEvent, range: ClosedRange<Int>) -> Int? {
        guard event.kind == .scalar else { return nil }
        let text = item.text(event)
        var value = 0
        if text.count > 0, text.count <= 15, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            for digit in text { value = value * 10 + Int(digit - 0x30) }
        } else {
            guard let parsed = ScalarReader.parseInteger(string(event)) else { return nil }
            value = parsed
        }
        return range.contains(value) ? value : nil
    }

    /// `ScalarReader.parseNumber`: numbers such as `23` or `-18.5` (at most 15 digits) read here,
    /// exactly as `Double(text)` would (both operands of the one division are exact, so its
    /// result is the correctly rounded value); anything else by `parseNumber` itself.
    private func number(_ event: ItemEvent) -> Double? {
        guard event.kind == .scalar else { return nil }
        let text = item.text(event)
        var position = text.first == UInt8(ascii: "-") ? 1 : 0
        let negative = position == 1
        var mantissa = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        var simple = position < text.count
        while simple, position < text.count {
            let byte = text[position]
            if byte >= 0x30 && byte <= 0x39 {
                // A 16th digit goes to `parseNumber`, before the mantissa could overflow (a
                // measure of 30 digits trapped here).
                guard digits < 15 else {
                    simple = false
                    break
                }
                mantissa = mantissa * 10 + Int(byte - 0x30)
                digits += 1
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint, digits > 0, position + 1 < text.count {
                sawPoint = true
            } else {
                simple = false
            }
            position += 1
        }
        guard simple, digits <= 15 else { return ScalarReader.parseNumber(string(event)) }
        let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...15).map { exponent in
        (0..<exponent).reduce(1.0) { product, _ in product * 10 }
    }

    private func enumeration<E>(_ event: ItemEvent, _ cases: ByteNamedCases<E>) -> E? {
        guard event.kind == .scalar else { return nil }
        return cases[item.text(event)]
    }

    /// Measures as `RecordDecoder.decodeMeasures` reads them on its usual path: each a declared
    /// measure named once, with a number in its range or null.
    private mutating func measures(_ event: ItemEvent, into measures: inout MeasureValues) -> Bool {
        guard event.kind == .mappingStart else { return false }
        var seen: UInt64 = 0
        while let key = next() {
            if key.kind == .mappingEnd { return true }
            guard key.kind == .scalar, let measure = decoder.measureLookup[bytes: item.text(key)], measure < 64,
                seen & (1 << measure) == 0, let value = next()
            else { return false }
            seen |= 1 << measure
            if isNull(value) { continue }
            guard let number = number(value), decoder.vocabulary.measures[measure].range.contains(number) else {
                return false
            }
            measures[measure] = number
        }
        return false
    }

    /// A rupture as `RecordDecoder.decodeRupture` reads it when it reports nothing, and the id of
    /// the shared list its markers are (nil: a list of their own).
    private mutating func rupture(_ event: ItemEvent) -> (Rupture, markers: Int?)? {
        guard event.kind == .mappingStart else { return nil }
        var type: Rupture.Kind?
        var markers: [String] = []
        var markersID: Int? = SharedRareFields.emptyList
        var intensity: Int?
        var resolution = Rupture.Resolution.none
        var reportedBy: Rupture.Reporter?
        var seen = 0
        while let key = next() {
            if key.kind == .mappingEnd {
                guard let type else { return nil }
                let rupture = Rupture(
                    type: type, markers: markers, intensity: intensity, resolution: resolution,
                    reportedBy: reportedBy)
                return (rupture, markersID)
            }
            guard key.kind == .scalar, let field = RuptureField.named(bytes: item.text(key)),
                seen & (1 << field.rawValue) == 0, let value = next()
            else { return nil }
            seen |= 1 << field.rawValue
            if isNull(value), !field.declaration.required { continue }
            switch field {
            case .type:
                guard let kind = enumeration(value, Self.ruptureKinds) else { return nil }
                type = kind
            case .markers:
                guard let (list, id) = identifiers(value),
                    decoder.vocabulary.markers.isEmpty || list.allSatisfy(decoder.vocabulary.markers.contains)
                else { return nil }
                markers = list
                markersID = id
            case .intensity:
                guard let value = integer(value, range: field.declaration.integerRange) else { return nil }
                intensity = value
            case .resolution:
                guard let value = enumeration(value, Self.resolutions) else { return nil }
                resolution = value
            case .reportedBy:
                guard let value = enumeration(value, Self.reporters) else { return nil }
                reportedBy = value
            }
        }
        return nil
    }

    private static let attendances = ByteNamedCases<Attendance>()
    private static let repairs = ByteNamedCases<Repair>()
    private static let episodeEnds = ByteNamedCases<EpisodeEnd>()
    private static let ruptureKinds = ByteNamedCases<Rupture.Kind>()
    private static let resolutions = ByteNamedCases<Rupture.Resolution>()
    private static let reporters = ByteNamedCases<Rupture.Reporter>()
}

/// The cases of an enumeration found by the exact bytes of their raw values.
struct ByteNamedCases<E: RawRepresentable & CaseIterable & Sendable>: Sendable where E.RawValue == String {
    private let cases: [E]
    private let lookup: KeyLookup

    init() {
        cases = Array(E.allCases)
        lookup = KeyLookup(cases.map(\.rawValue))
    }

    subscript(_ bytes: UnsafeBufferPointer<UInt8>) -> E? { lookup[bytes: bytes].map { cases[$0] } }
}
