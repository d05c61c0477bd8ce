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
        // Stored compactly (40 bytes, against 104 with every field stored as declared): a large
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

    public var rule: String
    public var severity: Severity
    public var subject: Subject
    public var therapist: String
    public var opened: Day
    public var closed: Day?
    public var records: [EvidenceRecord]
    public var message: String
    /// The values the kind reported (the same ones its message placeholders use), in name order.
    public var evidence: FindingValues
    /// The expected range of the client's scores, when the kind knows one (`trajectory`): charts draw it.
    public var expectedBand: ExpectedBand?

    public init(
        rule: String, severity: Severity, subject: Subject, therapist: String, opened: Day, closed: Day?,
        records: [EvidenceRecord], message: String, evidence: FindingValues, expectedBand: ExpectedBand? = nil
    ) {
        self.expectedBand = expectedBand
        self.rule = rule
        self.severity = severity
        self.subject = subject
        self.therapist = therapist
        self.opened = opened
        self.closed = closed
        self.records = records
        self.message = message
        self.evidence = evidence
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
