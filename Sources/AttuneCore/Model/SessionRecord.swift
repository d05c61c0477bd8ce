/// One appointment of one client in one episode of care (records.md), decoded and validated.
///
/// Identifiers are pseudonyms; `notes` is free text that reports leave out unless asked.
///
/// ```swift
/// let record = SessionRecord(client: "C-1042", therapist: "T-07", date: Day(iso: "2026-11-24")!,
///                            attendance: .attended)
/// ```
public struct SessionRecord: Sendable, Hashable {
    public var client: String
    public var therapist: String
    public var episode: String
    public var date: Day
    public var session: Int?
    public var attendance: Attendance
    public var measures: MeasureValues
    public var rupture: Rupture?
    public var repair: Repair?
    public var tags: [String]
    public var nextAppointment: Day?
    public var episodeEnd: EpisodeEnd?
    public var notes: String?
    /// Where the record was read from, for errors and evidence.
    public var source: SourceLocation

    public init(
        client: String, therapist: String, episode: String = "1", date: Day, session: Int? = nil,
        attendance: Attendance, measures: MeasureValues = MeasureValues(), rupture: Rupture? = nil,
        repair: Repair? = nil, tags: [String] = [], nextAppointment: Day? = nil,
        episodeEnd: EpisodeEnd? = nil, notes: String? = nil,
        source: SourceLocation = SourceLocation(file: "<memory>", line: 0, column: 0)
    ) {
        self.client = client
        self.therapist = therapist
        self.episode = episode
        self.date = date
        self.session = session
        self.attendance = attendance
        self.measures = measures
        self.rupture = rupture
        self.repair = repair
        self.tags = tags
        self.nextAppointment = nextAppointment
        self.episodeEnd = episodeEnd
        self.notes = notes
        self.source = source
    }

    public var attended: Bool { attendance == .attended }
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
    public var intensity: Int
    public var resolution: Resolution
    public var reportedBy: Reporter?

    public init(type: Kind, markers: [String] = [], intensity: Int = 3, resolution: Resolution = .none, reportedBy: Reporter? = nil) {
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

/// Questionnaire scores of one session, keyed by the vocabulary's measure index.
///
/// A handful of entries per record, so a small sorted array beats a dictionary in size and speed.
public struct MeasureValues: Sendable, Hashable {
    public private(set) var indices: [Int16] = []
    public private(set) var values: [Double] = []

    public init() {}

    public subscript(index: Int) -> Double? {
        get {
            for (position, stored) in indices.enumerated() where Int(stored) == index {
                return values[position]
            }
            return nil
        }
        set {
            if let position = indices.firstIndex(of: Int16(index)) {
                if let newValue { values[position] = newValue } else {
                    indices.remove(at: position)
                    values.remove(at: position)
                }
            } else if let newValue {
                let position = indices.firstIndex { Int($0) > index } ?? indices.count
                indices.insert(Int16(index), at: position)
                values.insert(newValue, at: position)
            }
        }
    }

    public var isEmpty: Bool { indices.isEmpty }
    public var count: Int { indices.count }
}
