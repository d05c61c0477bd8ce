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
    /// 1-based position among attended appointments, 0 when not attended.
    private let attendedNumbers: [Int32]
    /// Index of the previous attended record, -1 when none.
    private let previousAttended: [Int32]
    public let firstAttendedIndex: Int?
    /// Per measure recorded, the index of the first attended record carrying it (the measure's
    /// baseline). A handful of pairs: a scan is cheaper than a dictionary per timeline.
    private let baselineIndices: [(measure: Int32, index: Int32)]
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
        var numbers = [Int32](repeating: 0, count: ordered.count)
        var previous = [Int32](repeating: -1, count: ordered.count)
        var count: Int32 = 0
        var lastAttended: Int32 = -1
        var first: Int?
        var baselines: [(measure: Int32, index: Int32)] = []
        // Fields read in place: iterating the records would copy each one whole.
        ordered.withUnsafeBufferPointer { records in
            for index in records.indices {
                previous[index] = lastAttended
                if records[index].attendance == .attended {
                    count += 1
                    numbers[index] = count
                    lastAttended = Int32(index)
                    if first == nil { first = index }
                    records[index].measures.forEachIndex { measure in
                        if !baselines.contains(where: { Int($0.measure) == measure }) {
                            baselines.append((Int32(measure), Int32(index)))
                        }
                    }
                }
            }
        }
        baselineIndices = baselines
        self.bookingsRecorded = bookingsRecorded
        attendedNumbers = numbers
        previousAttended = previous
        firstAttendedIndex = first
    }

    public var count: Int { records.count }
    public var therapist: String { records.last?.therapist ?? "" }

    public subscript(index: Int) -> SessionRecord { records[index] }

    /// `attended_n`: nil when the appointment was not attended.
    public func attendedNumber(at index: Int) -> Int? {
        let number = attendedNumbers[index]
        return number == 0 ? nil : Int(number)
    }

    /// `prev`: the previous attended record's index.
    public func previousAttendedIndex(at index: Int) -> Int? {
        let previous = previousAttended[index]
        return previous < 0 ? nil : Int(previous)
    }

    /// `baseline`: the first attended record carrying the measure, when it is not after `index`
    /// (a rule never compares with a value recorded later).
    public func baselineIndex(measure: Int, at index: Int) -> Int? {
        guard let baseline = baselineIndices.first(where: { Int($0.measure) == measure }), Int(baseline.index) <= index
        else { return nil }
        return Int(baseline.index)
    }

    /// Whether any attended record of the episode carries the measure: a client never given a
    /// questionnaire is outside a rule that follows it, not a gap in the data.
    public func recordsMeasure(_ measure: Int) -> Bool {
        baselineIndices.contains { Int($0.measure) == measure }
    }

    /// `days_since_prev`: days since the previous appointment of any kind.
    public func daysSincePrevious(at index: Int) -> Int? {
        index == 0 ? nil : records[index - 1].date.days(to: records[index].date)
    }
}
