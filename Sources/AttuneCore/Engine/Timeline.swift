/// The records of one (client, episode), in order, with the derived values rules see (records.md):
/// `n`, `attended_n`, `days_since_prev`, `prev` (previous attended record), `first` (first attended
/// record) and `baseline` (per measure, the first attended record that carries it).
///
/// A class, so that handing a timeline to every expression evaluation costs one reference count,
/// not one per array it holds. The records of a review's timelines are runs of one shared array
/// (`TimelineRecords`), so the input is held once.
///
/// ```swift
/// let timeline = Timeline(client: "C-1", episode: "1", records: records)   // sorts them
/// timeline.attendedNumber(at: 2)   // 2 when the first and third appointments were attended
/// ```
public final class Timeline: Sendable {
    public let client: String
    public let episode: String
    public let records: TimelineRecords
    /// What rules read of each record besides the record, in one array made at its size (one
    /// allocation per timeline, not three that grow): for each record its 1-based position among
    /// attended appointments (0 when not attended); then for each record the index of the
    /// previous attended record (-1 when none); then, per measure recorded, the measure and the
    /// index of the first attended record carrying it (its baseline): a handful of pairs, which
    /// a scan finds faster than a dictionary per timeline would.
    private let derived: [Int32]
    /// The first attended record's index, -1 when none.
    private let firstAttended: Int32
    /// Whether the input this timeline came from records bookings (`next_appointment`) at all.
    /// When it does not, "nothing booked" is unknown, never evidence (see docs/design-notes.md).
    public let bookingsRecorded: Bool

    /// Orders records by date, then session number (records without one after those with one on the same day), then input order.
    /// `bookingsRecorded` is a fact of the whole input (`Engine.timelines` passes it); left out,
    /// it is read from these records alone.
    public convenience init(
        client: String, episode: String, records: [SessionRecord], bookingsRecorded: Bool? = nil
    ) {
        let ordered = records.enumerated().sorted { a, b in
            Self.precedes(a.element, b.element, inputOrder: a.offset < b.offset)
        }.map(\.element)
        self.init(
            client: client, episode: episode, ordered: TimelineRecords(ordered),
            bookingsRecorded: bookingsRecorded ?? ordered.contains { $0.nextAppointment != nil })
    }

    /// Timeline order: by date, then session number (records without one after those with one
    /// on the same day), then `inputOrder` (whether `a` came first in the input).
    static func precedes(_ a: SessionRecord, _ b: SessionRecord, inputOrder: @autoclosure () -> Bool) -> Bool {
        if a.date != b.date { return a.date < b.date }
        switch (a.session, b.session) {
        case (let x?, let y?) where x != y: return x < y
        case (.some, .none): return true
        case (.none, .some): return false
        default: return inputOrder()
        }
    }

    /// Records already in timeline order (`Engine.timelines` sorts the whole input once).
    init(client: String, episode: String, ordered: TimelineRecords, bookingsRecorded: Bool) {
        self.client = client
        self.episode = episode
        self.records = ordered
        self.bookingsRecorded = bookingsRecorded
        let count = ordered.count
        // The baselines are found first (their number is not known before), then every value is
        // written once into the array at its size.
        var baselines: [(measure: Int32, index: Int32)] = []
        var first: Int32 = -1
        // Fields read in place: iterating the records would copy each one whole.
        ordered.withUnsafeBufferPointer { records in
            for index in records.indices where records[index].attendance == .attended {
                if first < 0 { first = Int32(index) }
                records[index].measures.forEachIndex { measure in
                    if !baselines.contains(where: { Int($0.measure) == measure }) {
                        baselines.append((Int32(measure), Int32(index)))
                    }
                }
            }
        }
        firstAttended = first
        derived = [Int32](unsafeUninitializedCapacity: 2 * count + 2 * baselines.count) { values, initialized in
            ordered.withUnsafeBufferPointer { records in
                var attended: Int32 = 0
                var lastAttended: Int32 = -1
                for index in records.indices {
                    values[count + index] = lastAttended
                    if records[index].attendance == .attended {
                        attended += 1
                        values[index] = attended
                        lastAttended = Int32(index)
                    } else {
                        values[index] = 0
                    }
                }
            }
            for (position, baseline) in baselines.enumerated() {
                values[2 * count + 2 * position] = baseline.measure
                values[2 * count + 2 * position + 1] = baseline.index
            }
            initialized = 2 * count + 2 * baselines.count
        }
    }

    public var count: Int { records.count }
    public var therapist: String { records.last?.therapist ?? "" }

    public subscript(index: Int) -> SessionRecord { records[index] }

    /// The index of the first attended record, nil when none was attended.
    public var firstAttendedIndex: Int? {
        firstAttended < 0 ? nil : Int(firstAttended)
    }

    /// `attended_n`: nil when the appointment was not attended.
    public func attendedNumber(at index: Int) -> Int? {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "record index out of range")
        let number = derived[index]
        return number == 0 ? nil : Int(number)
    }

    /// `prev`: the previous attended record's index.
    public func previousAttendedIndex(at index: Int) -> Int? {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "record index out of range")
        let previous = derived[count + index]
        return previous < 0 ? nil : Int(previous)
    }

    /// The index of the first attended record carrying the measure, if any.
    private func baseline(of measure: Int) -> Int? {
        var position = 2 * count
        while position < derived.count {
            if Int(derived[position]) == measure { return Int(derived[position + 1]) }
            position += 2
        }
        return nil
    }

    /// `baseline`: the first attended record carrying the measure, when it is not after `index`
    /// (a rule never compares with a value recorded later).
    public func baselineIndex(measure: Int, at index: Int) -> Int? {
        guard let baseline = baseline(of: measure), baseline <= index else { return nil }
        return baseline
    }

    /// Whether any attended record of the episode carries the measure: a client never given a
    /// questionnaire is outside a rule that follows it, not a gap in the data.
    public func recordsMeasure(_ measure: Int) -> Bool {
        baseline(of: measure) != nil
    }

    /// `days_since_prev`: days since the previous appointment of any kind.
    public func daysSincePrevious(at index: Int) -> Int? {
        index == 0 ? nil : records[index - 1].date.days(to: records[index].date)
    }
}
