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
    /// Every name's UTF-8 bytes, one after another: names longer than a signature holds are
    /// compared by these.
    private let bytes: [UInt8]
    /// One per name, ordered by length: flat plain values, so that a lookup retains nothing.
    private let entries: [Entry]
    /// For each length, where its entries start in `entries` (one more element than lengths).
    private let firstEntry: [Int]

    private struct Entry: Sendable {
        /// Where its bytes start in `bytes`.
        var offset: Int
        /// Its position in `names`.
        var position: Int
        /// Its bytes, when there are at most 16 of them (`signature(_:count:)`).
        var signature: Signature?
    }

    /// Up to 16 bytes in two words, from loads that together cover every byte: equal signatures
    /// of equal lengths are equal bytes. So a key of a record is matched by comparing two
    /// numbers per name of its length, not byte by byte.
    struct Signature: Equatable, Sendable {
        var head: UInt64
        var tail: UInt64
    }

    init(_ names: [String]) {
        self.names = names
        let longest = names.map { $0.utf8.count }.max() ?? 0
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        var firstEntry: [Int] = []
        for length in 0...longest {
            firstEntry.append(entries.count)
            for (position, name) in names.enumerated() where name.utf8.count == length {
                let signature = Array(name.utf8).withUnsafeBytes { Self.signature($0.baseAddress!, count: length) }
                entries.append(Entry(offset: bytes.count, position: position, signature: signature))
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
        let (first, end) = firstEntry.withUnsafeBufferPointer { ($0[length], $0[length + 1]) }
        guard first < end else { return nil }
        return entries.withUnsafeBufferPointer { entries in
            if let signature = Self.signature(UnsafeRawPointer(start), count: length) {
                for index in first..<end where entries[index].signature == signature {
                    return entries[index].position
                }
                return nil
            }
            return bytes.withUnsafeBufferPointer { names in
                for index in first..<end
                where ShortBytes.equal(names.baseAddress! + entries[index].offset, start, count: length) {
                    return entries[index].position
                }
                return nil
            }
        }
    }

    /// The signature of `count` bytes at `start`, nil for none or more than 16: the first and
    /// last 8 bytes (9 to 16), the first and last 4 (4 to 7), or the first, middle and last (1 to 3).
    @inline(__always)
    static func signature(_ start: UnsafeRawPointer, count: Int) -> Signature? {
        if count >= 8 {
            guard count <= 16 else { return nil }
            return Signature(
                head: start.loadUnaligned(as: UInt64.self),
                tail: start.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        } else if count >= 4 {
            return Signature(
                head: UInt64(start.loadUnaligned(as: UInt32.self)),
                tail: UInt64(start.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
        } else if count > 0 {
            let bytes = start.assumingMemoryBound(to: UInt8.self)
            return Signature(
                head: UInt64(bytes[0]) | UInt64(bytes[count / 2]) << 8 | UInt64(bytes[count - 1]) << 16, tail: 0)
        }
        return nil
    }
}
