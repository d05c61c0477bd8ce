import AttuneYAML

/// Finds which of a fixed list of names a scalar is, built once from a declaration table:
/// names are bucketed by their length in bytes, so a lookup is one array index and a
/// comparison with the one or two names of that length, with no hashing of the scalar.
///
/// ```swift
/// let lookup = KeyLookup(["date", "tags", "notes"])
/// lookup["tags"]   // 1, the position of "tags"
/// lookup["tag"]    // nil
/// ```
struct KeyLookup: Sendable {
    private let names: [String]
    /// Every name's UTF-8 bytes, one after another.
    private let bytes: [UInt8]
    /// (where its bytes start, its position in `names`), ordered by length: flat arrays of plain
    /// numbers, so that a lookup retains nothing.
    private let entries: [(offset: Int, position: Int)]
    /// For each length, where its entries start in `entries` (one more element than lengths).
    private let firstEntry: [Int]

    init(_ names: [String]) {
        self.names = names
        let longest = names.map { $0.utf8.count }.max() ?? 0
        var bytes: [UInt8] = []
        var entries: [(offset: Int, position: Int)] = []
        var firstEntry: [Int] = []
        for length in 0...longest {
            firstEntry.append(entries.count)
            for (position, name) in names.enumerated() where name.utf8.count == length {
                entries.append((bytes.count, position))
                bytes += name.utf8
            }
        }
        firstEntry.append(entries.count)
        self.bytes = bytes
        self.entries = entries
        self.firstEntry = firstEntry
    }

    /// The position of `name` in the list; nil if it is none of them.
    subscript(_ name: String) -> Int? {
        let length = name.utf8.count
        guard length + 1 < firstEntry.count else { return nil }
        for entry in entries[firstEntry[length]..<firstEntry[length + 1]] where names[entry.position] == name {
            return entry.position
        }
        return nil
    }

    /// The position of the name spelt by exactly these UTF-8 bytes (a reader's buffer, no
    /// `String` made). Byte equality implies `String` equality; other spellings of a name
    /// (canonically equivalent, non-ASCII) are nil here, so callers fall back to `String` lookup.
    subscript(bytes key: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = key.count
        guard length > 0, length + 1 < firstEntry.count, let start = key.baseAddress else { return nil }
        return bytes.withUnsafeBufferPointer { names in
            var index = firstEntry[length]
            let end = firstEntry[length + 1]
            while index < end {
                if ShortBytes.equal(names.baseAddress! + entries[index].offset, start, count: length) {
                    return entries[index].position
                }
                index += 1
            }
            return nil
        }
    }
}
