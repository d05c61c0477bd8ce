/// The records of one (client, episode), in order, with the derived values rules see (records.md):
/// `n`, `attended_n`, `days_since_prev`, `prev` (previous attended record), `first` (first attended
/// record) and `baseline` (per measure, the first attended record that carries it).
///
/// One reference to one allocation (`Storage`), so that handing a timeline to every expression
/// evaluation costs one reference count, and a review's tens of thousands of timelines cost one
/// small block each. The records of a review's timelines are runs of one shared array
/// (`TimelineRecords`), so the input is held once.
///
/// ```swift
/// let timeline = Timeline(client: "C-1", episode: "1", records: records)   // sorts them
/// timeline.attendedNumber(at: 2)   // 2 when the first and third appointments were attended
/// ```
public struct Timeline: @unchecked Sendable {
    // `@unchecked`: `ManagedBuffer` is never `Sendable`, as it may change; a timeline's storage
    // is written once, while it is made and before anyone else holds it, and only read after.
    @usableFromInline let storage: Storage

    /// The ids and the run of records, then the derived values in the same block (tail-allocated).
    ///
    /// The values, in this order: for each record its 1-based position among attended
    /// appointments (0 when not attended); for each record 1 + the index of the previous attended
    /// record (0 when none); then, per measure recorded, the measure and the index of the first
    /// attended record carrying it (its baseline): a handful of pairs, which a scan finds faster
    /// than a dictionary per timeline would. Each value takes 16 bits when every value of the
    /// timeline fits (`narrowLimit`), as nearly all do; 32 bits otherwise (a hostile input can put
    /// 100,000 records in one episode).
    @usableFromInline final class Storage: ManagedBuffer<Header, UInt32> {}

    @usableFromInline struct Header {
        @usableFromInline let records: TimelineRecords.Storage
        /// Where the run starts in the shared records, and its length: 32-bit, as positions are
        /// (`Engine.timelines`).
        @usableFromInline let base: Int32
        @usableFromInline let count: Int32
        let clientID: InternedIdentifier
        let episodeID: InternedIdentifier
        /// The first attended record's index, -1 when none.
        let firstAttended: Int32
        let baselineCount: Int32
        /// Whether the values take 32 bits each (16 when false).
        let isWide: Bool
        let bookingsRecorded: Bool
    }

    /// The largest value 16-bit storage holds: a timeline with more records than this, or a
    /// measure numbered above it, takes 32 bits a value.
    static let narrowLimit = Int(UInt16.max)

    /// Orders records by date, then session number (records without one after those with one on the same day), then input order.
    /// `bookingsRecorded` is a fact of the whole input (`Engine.timelines` passes it); left out,
    /// it is read from these records alone.
    public init(client: String, episode: String, records: [SessionRecord], bookingsRecorded: Bool? = nil) {
        let ordered = records.enumerated().sorted { a, b in
            Self.precedes(a.element, b.element, inputOrder: a.offset < b.offset)
        }.map(\.element)
        self.init(
            clientID: InternedIdentifier(client), episodeID: InternedIdentifier(episode),
            ordered: TimelineRecords(ordered),
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
    init(
        clientID: InternedIdentifier, episodeID: InternedIdentifier, ordered: TimelineRecords, bookingsRecorded: Bool
    ) {
        let count = ordered.count
        // The baselines are found first (their number is not known before), then every value is
        // written once into the block made at its size.
        var baselines: [(measure: Int, index: Int)] = []
        // Room for a few measures at once: grown from empty, the list was allocated again for
        // its first, second, third and fifth measure, in every timeline.
        baselines.reserveCapacity(8)
        var first = -1
        // Fields read in place: iterating the records would copy each one whole.
        ordered.withUnsafeBufferPointer { records in
            for index in records.indices where records[index].attendance == .attended {
                if first < 0 { first = index }
                records[index].measures.forEachIndex { measure in
                    if !baselines.contains(where: { $0.measure == measure }) {
                        baselines.append((measure, index))
                    }
                }
            }
        }
        let isWide = count > Self.narrowLimit || baselines.contains { $0.measure > Self.narrowLimit }
        let valueCount = 2 * count + 2 * baselines.count
        let words = isWide ? valueCount : (valueCount + 1) / 2
        let made = Storage.create(minimumCapacity: words) { _ in
            Header(
                records: ordered.storage, base: Int32(truncatingIfNeeded: ordered.base),
                count: Int32(truncatingIfNeeded: count), clientID: clientID, episodeID: episodeID,
                firstAttended: Int32(truncatingIfNeeded: first),
                baselineCount: Int32(truncatingIfNeeded: baselines.count),
                isWide: isWide, bookingsRecorded: bookingsRecorded)
        }
        made.withUnsafeMutablePointerToElements { words in
            let values = UnsafeMutableRawPointer(words)
            func store(_ value: Int, at position: Int) {
                if isWide {
                    values.storeBytes(
                        of: UInt32(truncatingIfNeeded: value), toByteOffset: 4 * position, as: UInt32.self)
                } else {
                    values.storeBytes(
                        of: UInt16(truncatingIfNeeded: value), toByteOffset: 2 * position, as: UInt16.self)
                }
            }
            if valueCount % 2 == 1 { store(0, at: valueCount) }  // The padding of the last word, never read.
            ordered.withUnsafeBufferPointer { records in
                var attended = 0
                var lastAttended = -1
                for index in records.indices {
                    store(lastAttended + 1, at: count + index)
                    if records[index].attendance == .attended {
                        attended += 1
                        store(attended, at: index)
                        lastAttended = index
                    } else {
                        store(0, at: index)
                    }
                }
            }
            for (position, baseline) in baselines.enumerated() {
                store(baseline.measure, at: 2 * count + 2 * position)
                store(baseline.index, at: 2 * count + 2 * position + 1)
            }
        }
        storage = unsafeDowncast(made, to: Storage.self)
    }

    /// A field of the header, read through its address: `ManagedBuffer.header` is a class's
    /// `var`, and each access to it would pay a run-time exclusivity check (it is never written
    /// after `init`).
    @inlinable @inline(__always)
    func header<Field>(_ field: (UnsafeMutablePointer<Header>) -> Field) -> Field {
        storage.withUnsafeMutablePointerToHeader(field)
    }

    /// The value at `position` of the derived values (see `Storage`).
    @inline(__always)
    private func value(at position: Int) -> Int {
        storage.withUnsafeMutablePointers { header, words in
            let values = UnsafeRawPointer(words)
            return header.pointee.isWide
                ? Int(values.load(fromByteOffset: 4 * position, as: UInt32.self))
                : Int(values.load(fromByteOffset: 2 * position, as: UInt16.self))
        }
    }

    public var client: String { header { $0.pointee.clientID }.text }
    public var episode: String { header { $0.pointee.episodeID }.text }
    /// The ids as the table's numbers, exact spellings: two timelines whose ids differ may still
    /// be canonically equal (see `InternedIdentifier`), so equal numbers prove equality, unequal
    /// ones do not disprove it.
    var clientID: InternedIdentifier { header { $0.pointee.clientID } }
    var episodeID: InternedIdentifier { header { $0.pointee.episodeID } }

    /// Inlinable, as the stored property it was: kinds read it per record.
    @inlinable
    public var records: TimelineRecords {
        header { TimelineRecords($0.pointee.records, base: Int($0.pointee.base), count: Int($0.pointee.count)) }
    }

    /// Whether the input this timeline came from records bookings (`next_appointment`) at all.
    /// When it does not, "nothing booked" is unknown, never evidence (see docs/design-notes.md).
    public var bookingsRecorded: Bool { header { $0.pointee.bookingsRecorded } }

    /// Whether the derived values take 32 bits each (for tests of both layouts).
    var storesWideValues: Bool { header { $0.pointee.isWide } }

    @inlinable
    public var count: Int { Int(header { $0.pointee.count }) }
    public var therapist: String { records.last?.therapist ?? "" }

    /// A record's therapist as the table's number, read in place (no copy of the record).
    func therapistID(ofRecord index: Int) -> InternedIdentifier {
        records.withUnsafeBufferPointer { $0[index].therapistID }
    }

    @inlinable
    public subscript(index: Int) -> SessionRecord { records[index] }

    /// The index of the first attended record, nil when none was attended.
    public var firstAttendedIndex: Int? {
        let first = header { $0.pointee.firstAttended }
        return first < 0 ? nil : Int(first)
    }

    /// `attended_n`: nil when the appointment was not attended.
    public func attendedNumber(at index: Int) -> Int? {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "record index out of range")
        let number = value(at: index)
        return number == 0 ? nil : number
    }

    /// `prev`: the previous attended record's index.
    public func previousAttendedIndex(at index: Int) -> Int? {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "record index out of range")
        let previous = value(at: count + index)
        return previous == 0 ? nil : previous - 1
    }

    /// The index of the first attended record carrying the measure, if any.
    private func baseline(of measure: Int) -> Int? {
        let start = 2 * count
        let end = start + 2 * Int(header { $0.pointee.baselineCount })
        var position = start
        while position < end {
            if value(at: position) == measure { return value(at: position + 1) }
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
