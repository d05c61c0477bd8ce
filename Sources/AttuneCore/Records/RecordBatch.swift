/// What reading records gave: the valid records, and every error with its location.
public struct RecordBatch: Sendable {
    public var records: [SessionRecord] = []
    /// Errors to show, in input order: at most `errorLimit` of them.
    public var errors: [Diagnostic] = []
    /// Errors past `errorLimit`: counted, not kept.
    public var errorsNotShown = 0
    /// How many errors `report` keeps.
    public var errorLimit = Int.max
    public var files: [String] = []
    /// Top-level items seen (valid or not).
    public var itemsRead = 0
    /// Items that failed validation (duplicates included).
    public var leftOut = 0
    /// Files that ended in a syntax or encoding error.
    public var unreadableFiles = 0

    public init() {}

    /// Every error, shown or not.
    public var errorCount: Int { errors.count + errorsNotShown }

    /// What to say after the errors shown, when some were not.
    public var notShownNote: String? { Self.notShownNote(shown: errors.count, notShown: errorsNotShown) }

    /// `1234 more record errors not shown (only the first 1000 are kept)`, or nil when all are shown.
    public static func notShownNote(shown: Int, notShown: Int) -> String? {
        guard notShown > 0 else { return nil }
        return "\(notShown) more record error\(notShown == 1 ? "" : "s") not shown (only the first \(shown) are kept)"
    }

    /// Keeps the error while fewer than `errorLimit` are kept; counts it otherwise.
    public mutating func report(_ error: Diagnostic) {
        if errors.count < errorLimit { errors.append(error) } else { errorsNotShown += 1 }
    }

    /// Appends another batch read after this one. Into an empty batch with no room reserved its
    /// records come whole: the array is shared, not copied, and once `other` is gone this batch
    /// holds it alone.
    mutating func absorb(_ other: RecordBatch, files includeFiles: Bool = true) {
        if records.capacity == 0 { records = other.records } else { records += other.records }
        for error in other.errors { report(error) }
        errorsNotShown += other.errorsNotShown
        if includeFiles { files += other.files }
        itemsRead += other.itemsRead
        leftOut += other.leftOut
        unreadableFiles += other.unreadableFiles
    }

    /// The batch, leaving an empty one in its place: whoever takes it holds its records alone.
    static func taking(_ batch: inout RecordBatch) -> RecordBatch {
        var taken = RecordBatch()
        swap(&taken, &batch)
        return taken
    }

    /// Renumbers lines of a part read on its own, once the lines before it are known.
    mutating func shiftLines(by offset: Int) {
        for index in records.indices { records[index].shiftSourceLine(by: offset) }
        for index in errors.indices { errors[index].location.line += offset }
    }

    /// Two records for the same client, episode, date and session number: the later in input order is an error.
    public mutating func markDuplicates() {
        // An open-addressing table of first occurrences, hashed once per record: a Dictionary
        // would hash each key twice (lookup, then insert) and again on every resize. Equality is
        // String's own, and so is the hash (Hasher), so canonically equal ids still meet.
        let capacity = max(16, 1 << (Int.bitWidth - (records.count * 2).leadingZeroBitCount))
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        var duplicates: [Int] = []
        for index in records.indices {
            let record = records[index]
            var hasher = Hasher()
            hasher.combine(record.client)
            hasher.combine(record.episode)
            hasher.combine(record.date.number)
            hasher.combine(record.session)
            var slot = hasher.finalize() & mask
            while slots[slot] >= 0 {
                let earlier = records[Int(slots[slot])]
                if earlier.date == record.date, earlier.session == record.session,
                    earlier.client == record.client, earlier.episode == record.episode
                {
                    report(
                        .error(
                            .invalidValue,
                            "duplicate record for client \(record.client), episode \(record.episode), \(record.date)"
                                + (record.session.map { " session \($0)" } ?? "")
                                + "; first given at \(earlier.source)", at: record.source))
                    leftOut += 1
                    duplicates.append(index)
                    break
                }
                slot = (slot + 1) & mask
            }
            if slots[slot] < 0 { slots[slot] = Int32(index) }
        }
        guard !duplicates.isEmpty else { return }
        var kept: [SessionRecord] = []
        kept.reserveCapacity(records.count - duplicates.count)
        var next = 0  // into `duplicates`, which is in index order
        for (index, record) in records.enumerated() {
            if next < duplicates.count, duplicates[next] == index { next += 1 } else { kept.append(record) }
        }
        records = kept
    }
}
