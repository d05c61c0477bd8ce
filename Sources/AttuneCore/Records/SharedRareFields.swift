/// The rupture markers, tags and whole ruptures that the records of one file repeat word for
/// word, each kept once and shared by every record that repeats it.
///
/// A review holds every record at once, and a quarter of them carry a rupture or tags: at a
/// million records their own copies took about 45 MB, for a couple of hundred distinct lists
/// (markers come from the 3RS vocabulary). Sharing changes no value: a shared list or rupture is
/// equal to the one the record would have read, and a record's out-of-line fields are never
/// changed in place (`SessionRecord` replaces them whole). At most `limit` lists and `limit`
/// rupture-and-tags combinations are kept; past that, records keep their own copies.
///
/// ```swift
/// var shared = SharedRareFields()
/// if let (id, list) = shared.list(hash: hash), list == read { … }   // nil the first time
/// ```
struct SharedRareFields {
    /// At most this many lists, and this many combinations, per file.
    static let limit = 4_096

    /// Lists by the hash of their items' bytes. A hash already taken by another list is not
    /// shared (records with that list keep their own copies), so equal hashes never mix lists.
    private var listsByHash: [Int: Int] = [:]
    private(set) var lists: [[String]] = []
    private var fieldsByContent: [Content: SessionRecord.SharedFields] = [:]

    /// What a record's shared fields hold: list ids stand for their lists (`emptyList` for none).
    struct Content: Hashable {
        var rupture: Rupture.Kind?
        var markers: Int
        var intensity: Int?
        var resolution: Rupture.Resolution
        var reportedBy: Rupture.Reporter?
        var tags: Int
    }

    /// The id of an empty list, which is never stored.
    static let emptyList = -1

    /// The kept list whose items hash to `hash`, and its id; the caller checks that it is the
    /// one it read (another list may hash alike).
    func list(hash: Int) -> (id: Int, list: [String])? {
        guard let id = listsByHash[hash] else { return nil }
        return (id, lists[id])
    }

    /// Keeps `list` under `hash`, unless the hash is taken or the pool is full; its id if kept.
    mutating func keep(_ list: [String], hash: Int) -> Int? {
        guard !list.isEmpty, lists.count < Self.limit, listsByHash[hash] == nil else { return nil }
        listsByHash[hash] = lists.count
        lists.append(list)
        return lists.count - 1
    }

    /// The kept out-of-line fields that `content` describes.
    func fields(for content: Content) -> SessionRecord.SharedFields? {
        fieldsByContent[content]
    }

    /// Keeps the out-of-line fields of `record`, which `content` describes, for later records.
    mutating func keep(_ record: SessionRecord, as content: Content) {
        guard fieldsByContent.count < Self.limit, fieldsByContent[content] == nil,
            let fields = record.sharableFields
        else { return }
        fieldsByContent[content] = fields
    }
}
