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
    /// With `records` false, only the rest: the caller moves the records itself.
    mutating func absorb(_ other: RecordBatch, files includeFiles: Bool = true, records includeRecords: Bool = true) {
        if includeRecords {
            if records.capacity == 0 { records = other.records } else { records += other.records }
        }
        for error in other.errors { report(error) }
        errorsNotShown += other.errorsNotShown
        if includeFiles { files += other.files }
        itemsRead += other.itemsRead
        leftOut += other.leftOut
        unreadableFiles += other.unreadableFiles
    }

    /// Renumbers the errors' lines of a part read on its own, once the lines before it are known.
    mutating func shiftErrorLines(by offset: Int) {
        guard offset != 0 else { return }
        for index in errors.indices { errors[index].location.line += offset }
    }

    /// Two records for the same client, episode, date and session number: the later in input order is an error.
    ///
    /// Each record's key is hashed once (by `jobs` threads, in contiguous chunks), then the keys
    /// are split by hash into parts, each checked on its own table: records with equal keys have
    /// equal hashes, so they meet in one part, in input order, whatever the number of jobs. A
    /// table slot holds the record's position and 32 more bits of its hash, so only records whose
    /// hashes agree are looked at: no random reads into the records on a busy table.
    public mutating func markDuplicates(jobs: Int = 1) {
        let count = records.count
        guard count > 1 else { return }
        // Positions are 32-bit in the tables: 2^31 records would take hundreds of gigabytes first.
        precondition(count < Int(UInt32.max), "too many records to check for duplicates")
        let jobs = max(1, min(jobs, count / Self.recordsPerDuplicateJob))
        var hashes = [UInt64](repeating: 0, count: count)
        // Several parts per job, so that a thread slowed by another process does not hold up the rest.
        let partBits = jobs == 1 ? 0 : (Int.bitWidth - (jobs * 4 - 1).leadingZeroBitCount)
        var found = [[(duplicate: UInt32, first: UInt32)]](repeating: [], count: 1 << partBits)
        records.withUnsafeBufferPointer { records in
            let records = UnsafeSendableBuffer(UnsafeMutableBufferPointer(mutating: records))
            hashes.withUnsafeMutableBufferPointer { hashes in
                let keys = UnsafeSendableBuffer(hashes)
                Parallel.ranges(jobs, count) { _, range in
                    for index in range { keys.buffer[index] = Self.duplicateHash(records.buffer, index) }
                }
            }
            hashes.withUnsafeMutableBufferPointer { hashes in
                let hashes = UnsafeSendableBuffer(hashes)
                found.withUnsafeMutableBufferPointer { found in
                    let slots = UnsafeSendableBuffer(found)
                    let check = { @Sendable (part: Int) in
                        slots.buffer[part] = Self.duplicates(
                            in: UnsafeBufferPointer(records.buffer), hashes: UnsafeBufferPointer(hashes.buffer),
                            part: UInt64(part), partBits: partBits)
                    }
                    Parallel.forEach(Array(found.indices), jobs: jobs, check)
                }
            }
        }
        var pairs = found.joined().map { $0 }
        guard !pairs.isEmpty else { return }
        pairs.sort { $0.duplicate < $1.duplicate }
        for (duplicate, first) in pairs {
            let record = records[Int(duplicate)]
            let earlier = records[Int(first)]
            report(
                .error(
                    .invalidValue,
                    "duplicate record for client \(record.client), episode \(record.episode), \(record.date)"
                        + (record.session.map { " session \($0)" } ?? "")
                        + "; first given at \(earlier.source)", at: record.source))
            leftOut += 1
        }
        var kept: [SessionRecord] = []
        kept.reserveCapacity(records.count - pairs.count)
        var next = 0  // into `pairs`, which is in input order
        for (index, record) in records.enumerated() {
            if next < pairs.count, pairs[next].duplicate == index { next += 1 } else { kept.append(record) }
        }
        records = kept
    }

    /// Below this many records a thread more costs more than it saves.
    static let recordsPerDuplicateJob = 20_000

    /// The hash of a record's duplicate key. Its ids by String's own hash (`canonicalHash`, worked
    /// out once per id), so that canonically equal ids, which `==` finds equal, hash alike.
    /// The record is read in place, field by field: passed as a value it would be copied whole.
    static func duplicateHash(_ records: UnsafeMutableBufferPointer<SessionRecord>, _ index: Int) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(records[index].clientID.canonicalHash)
        hasher.combine(records[index].episodeID.canonicalHash)
        hasher.combine(records[index].date.number)
        // The inline session is the session itself when it fits (one representation per value).
        let session = records[index].sessionStorage
        if session != SessionRecord.notInline {
            hasher.combine(session)
        } else {
            hasher.combine(records[index].session)
        }
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// Whether two records have the same duplicate key.
    static func sameKey(_ a: SessionRecord, _ b: SessionRecord) -> Bool {
        a.date == b.date && a.session == b.session && a.client == b.client && a.episode == b.episode
    }

    /// The records of one part (those whose hash's top `partBits` bits are `part`) whose key an
    /// earlier record had, in input order, each with that earlier record (the first of its key).
    private static func duplicates(
        in records: UnsafeBufferPointer<SessionRecord>, hashes: UnsafeBufferPointer<UInt64>, part: UInt64,
        partBits: Int
    ) -> [(duplicate: UInt32, first: UInt32)] {
        // The part's hashes have these top bits; the slot is taken from the bits below them, and
        // the tag kept beside the position from the low 32 bits.
        let shift = UInt64(UInt64.bitWidth - partBits)
        func inPart(_ hash: UInt64) -> Bool { partBits == 0 || hash >> shift == part }
        var members = 0
        for hash in hashes where inPart(hash) { members += 1 }
        // An open-addressing table at most half full: an entry is the position + 1 (0 is empty)
        // in the low 32 bits and the hash's low 32 bits above them.
        let capacity = max(16, 1 << (Int.bitWidth - (members * 2).leadingZeroBitCount))
        let mask = UInt64(capacity - 1)
        var table = [UInt64](repeating: 0, count: capacity)
        var found: [(duplicate: UInt32, first: UInt32)] = []
        table.withUnsafeMutableBufferPointer { table in
            for index in hashes.indices {
                let hash = hashes[index]
                guard inPart(hash) else { continue }
                let tag = hash << 32
                var slot = Int((hash >> 32) & mask)
                while true {
                    let entry = table[slot]
                    if entry == 0 {
                        table[slot] = tag | UInt64(index + 1)
                        break
                    }
                    let earlier = Int(entry & 0xFFFF_FFFF) - 1
                    if entry & ~0xFFFF_FFFF == tag, hashes[earlier] == hash, sameKey(records[earlier], records[index]) {
                        found.append((UInt32(index), UInt32(earlier)))
                        break
                    }
                    slot = (slot + 1) & Int(mask)
                }
            }
        }
        return found
    }

}
