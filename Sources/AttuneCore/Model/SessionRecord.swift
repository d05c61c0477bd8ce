/// One appointment of one client in one episode of care (records.md), decoded and validated.
///
/// Identifiers are pseudonyms; `notes` is free text that reports leave out unless asked.
///
/// ```swift
/// let record = SessionRecord(client: "C-1042", therapist: "T-07", date: Day(iso: "2026-11-24")!,
///                            attendance: .attended)
/// ```
public struct SessionRecord: Sendable, Hashable {
    // Stored compactly (72 bytes a record, against 232 with every field stored as declared):
    // a review holds every record of the input at once. Ids are numbers into the process's
    // table of ids (`InternedIdentifier`). Fields most records leave out, and
    // values too large for the inline storage, live out of line (`rare`), replaced whole when
    // one changes, never changed in place, so records read from one file can share them
    // (`SharedRareFields`); the public fields below read and write through it, so the record
    // behaves as a plain value. Every value has one representation (inline when it fits; `rare`
    // nil when empty), so the synthesized == and hash, which compare the storage, compare the
    // values.
    // Declared first: its last 4 bytes are followed by the ids' 4-byte numbers, not by padding.
    public var measures: MeasureValues
    /// The ids as the table's numbers: readable in the module so that a hot loop can read them
    /// in place (see `sessionStorage`).
    private(set) var clientID: InternedIdentifier
    private(set) var therapistID: InternedIdentifier
    private(set) var episodeID: InternedIdentifier
    private var rare: Boxed<RareFields>?
    public var date: Day
    /// The session number, or `Self.notInline` when it has none or it does not fit (then `rare`).
    /// Readable in the module so that a hot loop can read it in place: reading `session`, a
    /// computed property, through a buffer copies the whole record first.
    private(set) var sessionStorage: Int32
    /// The next appointment's day number, or `Self.notInline` as above.
    private var nextAppointmentStorage: Int32
    /// File, line and column (or, when they do not fit, the whole location in `rare`). Readable
    /// in the module, like the ids, for evidence made from a record (`Finding.EvidenceRecord`).
    private(set) var inlineSource: InlineSourceLocation
    public var attendance: Attendance
    public var repair: Repair?
    public var episodeEnd: EpisodeEnd?

    public init(
        client: String, therapist: String, episode: String = "1", date: Day, session: Int? = nil,
        attendance: Attendance, measures: MeasureValues = MeasureValues(), rupture: Rupture? = nil,
        repair: Repair? = nil, tags: [String] = [], nextAppointment: Day? = nil,
        episodeEnd: EpisodeEnd? = nil, notes: String? = nil,
        source: SourceLocation = SourceLocation(file: "<memory>", line: 0, column: 0)
    ) {
        self.init(
            clientID: InternedIdentifier(client), therapistID: InternedIdentifier(therapist),
            episodeID: InternedIdentifier(episode), date: date, session: session, attendance: attendance,
            measures: measures, rupture: rupture, repair: repair, tags: tags, nextAppointment: nextAppointment,
            episodeEnd: episodeEnd, notes: notes, source: source)
    }

    /// A record whose ids a reader has interned already (`IdentifierInterner`).
    init(
        clientID: InternedIdentifier, therapistID: InternedIdentifier, episodeID: InternedIdentifier, date: Day,
        session: Int?, attendance: Attendance, measures: MeasureValues, rupture: Rupture?, repair: Repair?,
        tags: [String], nextAppointment: Day?, episodeEnd: EpisodeEnd?, notes: String?, source: SourceLocation
    ) {
        self.clientID = clientID
        self.therapistID = therapistID
        self.episodeID = episodeID
        self.measures = measures
        self.date = date
        self.attendance = attendance
        self.repair = repair
        self.episodeEnd = episodeEnd
        sessionStorage = Self.notInline
        nextAppointmentStorage = Self.notInline
        var wide = WideFields()
        inlineSource = InlineSourceLocation(source, wide: &wide.source)
        Self.store(session, inline: &sessionStorage, wide: &wide.session)
        Self.store(nextAppointment?.number, inline: &nextAppointmentStorage, wide: &wide.nextAppointment)
        var fields = RareFields(rupture: rupture, tags: tags, notes: notes)
        fields.wide = wide.isEmpty ? nil : Boxed(wide)
        rare = fields.isEmpty ? nil : Boxed(fields)
    }

    public var client: String {
        get { clientID.text }
        set { clientID = InternedIdentifier(newValue) }
    }

    public var therapist: String {
        get { therapistID.text }
        set { therapistID = InternedIdentifier(newValue) }
    }

    public var episode: String {
        get { episodeID.text }
        set { episodeID = InternedIdentifier(newValue) }
    }

    public var attended: Bool { attendance == .attended }

    public var session: Int? {
        get { sessionStorage != Self.notInline ? Int(sessionStorage) : rare?.value.wide?.value.session }
        set {
            var wide = wideFields
            Self.store(newValue, inline: &sessionStorage, wide: &wide.session)
            setWide(wide)
        }
    }

    public var nextAppointment: Day? {
        get {
            nextAppointmentStorage != Self.notInline
                ? Day(number: nextAppointmentStorage)
                : rare?.value.wide?.value.nextAppointment.map { Day(number: Int32($0)) }
        }
        set {
            var wide = wideFields
            Self.store(newValue?.number, inline: &nextAppointmentStorage, wide: &wide.nextAppointment)
            setWide(wide)
        }
    }

    public var rupture: Rupture? {
        get { rare?.value.rupture }
        set { update(\.rupture, newValue) }
    }

    public var tags: [String] {
        get { rare?.value.tags ?? [] }
        set { update(\.tags, newValue) }
    }

    public var notes: String? {
        get { rare?.value.notes }
        set { update(\.notes, newValue) }
    }

    /// Where the record was read from, for errors and evidence.
    public var source: SourceLocation {
        get { inlineSource.location(wide: rare?.value.wide?.value.source) }
        set {
            var wide = wideFields
            inlineSource = InlineSourceLocation(newValue, wide: &wide.source)
            setWide(wide)
        }
    }

    /// Moves the record's source down by `lines` (a part of a file read on its own, once the
    /// lines before it are known) without looking its file name up.
    mutating func shiftSourceLine(by lines: Int) {
        if !inlineSource.shift(by: lines) { source.line += lines }
    }

    /// The out-of-line fields of a record that has only a rupture and tags there, for records
    /// read later that repeat them word for word (`SharedRareFields`).
    struct SharedFields: Sendable {
        fileprivate let storage: Boxed<RareFields>
    }

    /// The record's out-of-line fields, when they are only a rupture and tags (no notes, no wide values).
    var sharableFields: SharedFields? {
        guard let rare, rare.value.notes == nil, rare.value.wide == nil else { return nil }
        return SharedFields(storage: rare)
    }

    /// Gives a record with nothing out of line the rupture and tags of `fields`; false, changing
    /// nothing, when the record has out-of-line values of its own.
    mutating func take(_ fields: SharedFields) -> Bool {
        guard rare == nil else { return false }
        rare = fields.storage
        return true
    }

    /// Whether both records hold one and the same copy of their out-of-line fields.
    func holdsSameFields(as other: SessionRecord) -> Bool {
        guard let rare, let otherRare = other.rare else { return false }
        // An indirect case is one reference: the same bits are the same copy.
        return withUnsafeBytes(of: rare) { mine in withUnsafeBytes(of: otherRare) { mine.elementsEqual($0) } }
    }

    // MARK: Compact storage

    static let notInline = Int32.min

    /// The fields kept out of line: those most records leave out, and values that do not fit.
    fileprivate struct RareFields: Sendable, Hashable {
        var rupture: Rupture?
        var tags: [String] = []
        var notes: String?
        /// Values that do not fit their inline storage, rarer still: boxed again.
        var wide: Boxed<WideFields>?

        var isEmpty: Bool { rupture == nil && tags.isEmpty && notes == nil && wide == nil }
    }

    fileprivate struct WideFields: Sendable, Hashable {
        var session: Int?
        var nextAppointment: Int?
        var source: SourceLocation?

        var isEmpty: Bool { session == nil && nextAppointment == nil && source == nil }
    }

    private var wideFields: WideFields { rare?.value.wide?.value ?? WideFields() }

    private mutating func update<Value>(_ field: WritableKeyPath<RareFields, Value>, _ value: Value) {
        var fields = rare?.value ?? RareFields()
        fields[keyPath: field] = value
        rare = fields.isEmpty ? nil : Boxed(fields)
    }

    private mutating func setWide(_ wide: WideFields) {
        update(\.wide, wide.isEmpty ? nil : Boxed(wide))
    }

    /// Also how `Finding.EvidenceRecord` stores its session.
    static func store(_ value: (some BinaryInteger)?, inline: inout Int32, wide: inout Int?) {
        if let value, let narrow = Int32(exactly: value), narrow != notInline {
            inline = narrow
            wide = nil
        } else {
            inline = notInline
            wide = value.map { Int($0) }
        }
    }
}

/// What happened to an appointment.
public enum Attendance: String, Sendable, Hashable, CaseIterable {
    case attended
    case cancelled
    case lateCancel = "late-cancel"
    case noShow = "no-show"
}

/// The most significant alliance rupture of a session (3RS: withdrawal, confrontation or both).
public struct Rupture: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case withdrawal, confrontation, mixed }
    public enum Resolution: String, Sendable, Hashable, CaseIterable { case none, partial, full }
    public enum Reporter: String, Sendable, Hashable, CaseIterable { case therapist, client, observer }

    public var type: Kind
    public var markers: [String]
    /// The rater's own 1–5 strength (a local self-report scale, not a 3RS rating); nil when not recorded.
    public var intensity: Int?
    public var resolution: Resolution
    public var reportedBy: Reporter?

    public init(
        type: Kind, markers: [String] = [], intensity: Int? = nil, resolution: Resolution = .none,
        reportedBy: Reporter? = nil
    ) {
        self.type = type
        self.markers = markers
        self.intensity = intensity
        self.resolution = resolution
        self.reportedBy = reportedBy
    }
}

/// Repair work on an earlier rupture, and how far it got.
public enum Repair: String, Sendable, Hashable, CaseIterable { case partial, full }

/// How an episode of care ended.
public enum EpisodeEnd: String, Sendable, Hashable, CaseIterable { case planned, dropout, referred }
