/// What a rule found: one shape for every kind (rules.md).
///
/// `opened` is the day the condition first held; `closed` the day it stopped holding, or nil
/// while it still holds at the review's as-of date. A point finding has `opened == closed`.
///
/// ```swift
/// if finding.closed == nil { print("\(finding.rule) still open since \(finding.opened)") }
/// ```
public struct Finding: Sendable, Hashable {
    public enum Subject: Sendable, Hashable, Comparable {
        case episode(client: String, episode: String)
        case therapist(String)

        public var client: String? {
            if case .episode(let client, _) = self { return client }
            return nil
        }

        public var episode: String? {
            if case .episode(_, let episode) = self { return episode }
            return nil
        }
    }

    /// A record that is evidence for the finding.
    public struct EvidenceRecord: Sendable, Hashable {
        // Stored compactly (32 bytes, against 104 with every field stored as declared): a large
        // review reports tens of thousands of findings with a few records each. Stored like
        // `SessionRecord`: ids as numbers into the process's table (`InternedIdentifier`), the
        // session and the source's line and column inline when they fit, and the note (only with
        // --include-notes) and values that do not fit in one box, nil when empty. Every value has
        // one representation, so the synthesized == and hash, which compare the storage, compare
        // the values.
        public var date: Day
        /// The session number, or `SessionRecord.notInline` when it has none or it does not fit (then `rare`).
        private var sessionStorage: Int32
        private var clientID: InternedIdentifier
        private var episodeID: InternedIdentifier
        /// File, line and column (or, when they do not fit, the whole location in `rare`).
        private var inlineSource: InlineSourceLocation
        private var rare: Boxed<RareFields>?

        public init(
            date: Day, session: Int?, client: String, episode: String, source: SourceLocation, note: String? = nil
        ) {
            self.date = date
            sessionStorage = SessionRecord.notInline
            clientID = InternedIdentifier(client)
            episodeID = InternedIdentifier(episode)
            var fields = RareFields(note: note)
            inlineSource = InlineSourceLocation(source, wide: &fields.source)
            SessionRecord.store(session, inline: &sessionStorage, wide: &fields.session)
            rare = nil
            setRare(fields)
        }

        /// Evidence from a record's own storage: its ids, session and source copied as they are
        /// held, without looking their text up. The note only when asked for.
        init(_ record: SessionRecord, includeNote: Bool) {
            date = record.date
            sessionStorage = record.sessionStorage
            clientID = record.clientID
            episodeID = record.episodeID
            inlineSource = record.inlineSource
            // Both types mark a value kept out of line the same way, so the inline fields carry over.
            let fields = RareFields(
                note: includeNote ? record.notes : nil,
                session: sessionStorage == SessionRecord.notInline ? record.session : nil,
                source: inlineSource.fits ? nil : record.source)
            rare = nil
            setRare(fields)
        }

        public var session: Int? {
            get { sessionStorage != SessionRecord.notInline ? Int(sessionStorage) : rare?.value.session }
            set {
                var fields = rareFields
                SessionRecord.store(newValue, inline: &sessionStorage, wide: &fields.session)
                setRare(fields)
            }
        }

        public var client: String {
            get { clientID.text }
            set { clientID = InternedIdentifier(newValue) }
        }

        public var episode: String {
            get { episodeID.text }
            set { episodeID = InternedIdentifier(newValue) }
        }

        public var source: SourceLocation {
            get { inlineSource.location(wide: rare?.value.source) }
            set {
                var fields = rareFields
                inlineSource = InlineSourceLocation(newValue, wide: &fields.source)
                setRare(fields)
            }
        }

        /// The record's free-text note, present only when the user asked (`--include-notes`).
        public var note: String? {
            get { rare?.value.note }
            set {
                var fields = rareFields
                fields.note = newValue
                setRare(fields)
            }
        }

        /// `2026-11-24 (#6)` or `2026-11-24`.
        public var label: String {
            session.map { "\(date) (#\($0))" } ?? date.description
        }

        /// The note and the values that do not fit their inline storage.
        private struct RareFields: Sendable, Hashable {
            var note: String?
            var session: Int?
            var source: SourceLocation?

            var isEmpty: Bool { note == nil && session == nil && source == nil }
        }

        private var rareFields: RareFields { rare?.value ?? RareFields() }

        /// Replaces the box whole (copies may share it), and keeps none when it would be empty.
        private mutating func setRare(_ fields: RareFields) {
            rare = fields.isEmpty ? nil : Boxed(fields)
        }
    }

    // Stored compactly (80 bytes, against 168 with every field stored as declared): a review
    // holds every finding open in its period at once, a hundred thousand at a million records.
    // Ids are numbers into the process's table (`InternedIdentifier`), so `==` compares their
    // exact spellings, as for records; the expected band (only `trajectory` findings have one)
    // is kept out of line; and a finding the engine makes holds its message as its rule's
    // template (`DeferredMessage`), written out each time it is read. Setting a field a message
    // reads (opened, closed, subject, therapist, records, evidence) writes it out first, so a
    // finding's message never changes unless it is set.
    private var messageStorage: MessageStorage
    private var recordsStorage: [EvidenceRecord]
    private var evidenceStorage: FindingValues
    private var band: Boxed<ExpectedBand>?
    private var ruleID: InternedIdentifier
    /// The client of an episode, or the therapist of a caseload finding.
    private var subjectID: InternedIdentifier
    private var therapistID: InternedIdentifier
    private var openedStorage: Day
    /// nil for a finding about a therapist's caseload.
    private var subjectEpisodeID: InternedIdentifier?
    private var closedStorage: Day?
    public var severity: Severity

    public init(
        rule: String, severity: Severity, subject: Subject, therapist: String, opened: Day, closed: Day?,
        records: [EvidenceRecord], message: String, evidence: FindingValues, expectedBand: ExpectedBand? = nil
    ) {
        self.init(
            rule: InternedIdentifier(rule), severity: severity, subject: Self.ids(of: subject),
            therapist: InternedIdentifier(therapist), opened: opened, closed: closed, records: records,
            message: .text(message), evidence: evidence, expectedBand: expectedBand)
    }

    /// A finding as the engine makes it: ids it already holds, and a message written when read.
    init(
        rule: InternedIdentifier, severity: Severity,
        subject: (client: InternedIdentifier, episode: InternedIdentifier?), therapist: InternedIdentifier,
        opened: Day, closed: Day?, records: [EvidenceRecord], message: MessageStorage, evidence: FindingValues,
        expectedBand: ExpectedBand?
    ) {
        messageStorage = message
        recordsStorage = records
        evidenceStorage = evidence
        band = expectedBand.map(Boxed.init)
        ruleID = rule
        subjectID = subject.client
        subjectEpisodeID = subject.episode
        therapistID = therapist
        openedStorage = opened
        closedStorage = closed
        self.severity = severity
    }

    public var rule: String {
        get { ruleID.text }
        set { ruleID = InternedIdentifier(newValue) }
    }

    /// The ids as the process's table holds them: read where findings are sorted into groups by
    /// the thousand, comparing numbers instead of making and hashing each id's text. Two ids are
    /// the same spelling when equal; different spellings may still be `==` as text.
    var ruleIdentifier: InternedIdentifier { ruleID }
    var therapistIdentifier: InternedIdentifier { therapistID }
    var subjectIdentifiers: (client: InternedIdentifier, episode: InternedIdentifier?) { (subjectID, subjectEpisodeID) }

    public var subject: Subject {
        get {
            guard let episode = subjectEpisodeID else { return .therapist(subjectID.text) }
            return .episode(client: subjectID.text, episode: episode.text)
        }
        set {
            writeMessageOut()
            (subjectID, subjectEpisodeID) = Self.ids(of: newValue)
        }
    }

    public var therapist: String {
        get { therapistID.text }
        set {
            writeMessageOut()
            therapistID = InternedIdentifier(newValue)
        }
    }

    public var opened: Day {
        get { openedStorage }
        set {
            writeMessageOut()
            openedStorage = newValue
        }
    }

    public var closed: Day? {
        get { closedStorage }
        set {
            writeMessageOut()
            closedStorage = newValue
        }
    }

    public var records: [EvidenceRecord] {
        get { recordsStorage }
        set {
            writeMessageOut()
            recordsStorage = newValue
        }
    }

    public var message: String {
        get {
            switch messageStorage {
            case .text(let text): return text
            case .deferred(let deferred, let timeline, let row):
                return deferred.render(for: self, timeline: timeline, row: row)
            }
        }
        set { messageStorage = .text(newValue) }
    }

    /// The values the kind reported (the same ones its message placeholders use), in name order.
    public var evidence: FindingValues {
        get { evidenceStorage }
        set {
            writeMessageOut()
            evidenceStorage = newValue
        }
    }

    /// The expected range of the client's scores, when the kind knows one (`trajectory`): charts draw it.
    public var expectedBand: ExpectedBand? {
        get { band?.value }
        set { band = newValue.map(Boxed.init) }
    }

    /// Two findings are equal when everything they show is: their messages are compared as
    /// written, however each holds its own.
    public static func == (a: Finding, b: Finding) -> Bool {
        a.ruleID == b.ruleID && a.severity == b.severity && a.subjectID == b.subjectID
            && a.subjectEpisodeID == b.subjectEpisodeID && a.therapistID == b.therapistID
            && a.openedStorage == b.openedStorage && a.closedStorage == b.closedStorage
            && a.recordsStorage == b.recordsStorage && a.evidenceStorage == b.evidenceStorage && a.band == b.band
            && a.message == b.message
    }

    /// Everything `==` compares but the message, which would have to be written out.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ruleID)
        hasher.combine(severity)
        hasher.combine(subjectID)
        hasher.combine(subjectEpisodeID)
        hasher.combine(therapistID)
        hasher.combine(openedStorage)
        hasher.combine(closedStorage)
        hasher.combine(recordsStorage)
        hasher.combine(evidenceStorage)
        hasher.combine(band)
    }

    /// How a finding holds its message: written out, or as its rule's template with the timeline
    /// and the record (its last evidence record, -1 for none) the template's expressions read.
    enum MessageStorage: Sendable {
        case text(String)
        case deferred(DeferredMessage, Timeline, row: Int32)
    }

    /// Writes a deferred message out before a field it reads changes.
    private mutating func writeMessageOut() {
        if case .deferred = messageStorage { messageStorage = .text(message) }
    }

    private static func ids(of subject: Subject) -> (client: InternedIdentifier, episode: InternedIdentifier?) {
        switch subject {
        case .episode(let client, let episode): return (InternedIdentifier(client), InternedIdentifier(episode))
        case .therapist(let therapist): return (InternedIdentifier(therapist), nil)
        }
    }

    /// Whether the finding was open at any time in `start...end`.
    public func isOpen(during start: Day, _ end: Day) -> Bool {
        opened <= end && (closed.map { $0 >= start } ?? true)
    }

    /// Whether it was open on `day` (a point finding is open on its one day).
    public func isOpen(on day: Day) -> Bool {
        Self.isOpen(opened: opened, closed: closed, on: day)
    }

    /// Whether a finding from `opened` to `closed` was open on `day`.
    static func isOpen(opened: Day, closed: Day?, on day: Day) -> Bool {
        guard opened <= day else { return false }
        guard let closed else { return true }
        return closed == opened ? day == opened : day < closed
    }
}
