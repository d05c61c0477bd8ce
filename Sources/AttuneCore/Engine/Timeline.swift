/// The records of one (client, episode), in order, with the derived values rules see (records.md):
/// `n`, `attended_n`, `days_since_prev`, `prev` (previous attended record) and `first`.
///
/// A class, so that handing a timeline to every expression evaluation costs one reference count,
/// not one per array it holds.
///
/// ```swift
/// let timeline = Timeline(client: "C-1", episode: "1", records: records)   // sorts them
/// timeline.attendedNumber(at: 2)   // 2 when the first and third appointments were attended
/// ```
public final class Timeline: Sendable {
    public let client: String
    public let episode: String
    public let records: [SessionRecord]
    /// 1-based position among attended appointments, 0 when not attended.
    private let attendedNumbers: [Int32]
    /// Index of the previous attended record, -1 when none.
    private let previousAttended: [Int32]
    public let firstAttendedIndex: Int?

    /// Orders records by date, then session number (records without one after those with one on the same day), then input order.
    public init(client: String, episode: String, records: [SessionRecord]) {
        self.client = client
        self.episode = episode
        let ordered = records.enumerated().sorted { a, b in
            if a.element.date != b.element.date { return a.element.date < b.element.date }
            switch (a.element.session, b.element.session) {
            case let (x?, y?) where x != y: return x < y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
        self.records = ordered
        var numbers = [Int32](repeating: 0, count: ordered.count)
        var previous = [Int32](repeating: -1, count: ordered.count)
        var count: Int32 = 0
        var lastAttended: Int32 = -1
        var first: Int?
        for (index, record) in ordered.enumerated() {
            previous[index] = lastAttended
            if record.attendance == .attended {
                count += 1
                numbers[index] = count
                lastAttended = Int32(index)
                if first == nil { first = index }
            }
        }
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

    /// `days_since_prev`: days since the previous appointment of any kind.
    public func daysSincePrevious(at index: Int) -> Int? {
        index == 0 ? nil : records[index - 1].date.days(to: records[index].date)
    }
}
