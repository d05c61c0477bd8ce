#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
    private let byLength: [[(name: String, bytes: [UInt8], position: Int)]]

    init(_ names: [String]) {
        var byLength = [[(name: String, bytes: [UInt8], position: Int)]](
            repeating: [], count: (names.map { $0.utf8.count }.max() ?? 0) + 1)
        for (position, name) in names.enumerated() {
            byLength[name.utf8.count].append((name, Array(name.utf8), position))
        }
        self.byLength = byLength
    }

    /// The position of the name spelt by exactly these UTF-8 bytes (a reader's buffer, no
    /// `String` made). Byte equality implies `String` equality; other spellings of a name
    /// (canonically equivalent, non-ASCII) are nil here, so callers fall back to `String` lookup.
    subscript(bytes bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let length = bytes.count
        guard length > 0, length < byLength.count, let start = bytes.baseAddress else { return nil }
        for entry in byLength[length]
        where entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, start, length) == 0 }) {
            return entry.position
        }
        return nil
    }

    /// The position of `name` in the list; nil if it is none of them.
    subscript(_ name: String) -> Int? {
        let length = name.utf8.count
        guard length < byLength.count else { return nil }
        for entry in byLength[length] where entry.name == name { return entry.position }
        return nil
    }
}
