/// The records of one timeline, in order: a run of one array that every timeline of a review
/// shares (`Engine.timelines` orders the input array in place and cuts it into runs), so the
/// records are held once, with no copy per timeline. Indexed from 0 like an array.
///
/// ```swift
/// let records = timeline.records
/// records[0].date            // the timeline's first record
/// records.last?.therapist
/// ```
public struct TimelineRecords: RandomAccessCollection, Sendable {
    /// The shared array; a class so that a timeline holds it by one reference.
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let records: [SessionRecord]

        init(_ records: [SessionRecord]) {
            self.records = records
        }
    }

    @usableFromInline let storage: Storage
    /// Where this timeline's run starts in the shared array.
    @usableFromInline let base: Int
    public let count: Int

    /// A run of `count` records of `storage` from `base`.
    @usableFromInline
    init(_ storage: Storage, base: Int, count: Int) {
        self.storage = storage
        self.base = base
        self.count = count
    }

    /// Records of their own (a timeline made from a list, not cut from a review's input).
    init(_ records: [SessionRecord]) {
        self.init(Storage(records), base: 0, count: records.count)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Inlinable so that `records[index].date` in a kind reads one field in place.
    @inlinable
    public subscript(index: Int) -> SessionRecord {
        // One comparison: an index past this run must not read a neighbour's record.
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "record index out of range")
        return storage.records[base + index]
    }

    /// The run as a buffer, indexed from 0 (for writers that walk it field by field).
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<SessionRecord>) throws -> Result)
        rethrows -> Result
    {
        try storage.records.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[base..<(base + count)]))
        }
    }
}
