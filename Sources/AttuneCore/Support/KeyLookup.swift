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
    private let byLength: [[(name: String, position: Int)]]

    init(_ names: [String]) {
        var byLength = [[(name: String, position: Int)]](
            repeating: [], count: (names.map { $0.utf8.count }.max() ?? 0) + 1)
        for (position, name) in names.enumerated() { byLength[name.utf8.count].append((name, position)) }
        self.byLength = byLength
    }

    /// The position of `name` in the list; nil if it is none of them.
    subscript(_ name: String) -> Int? {
        let length = name.utf8.count
        guard length < byLength.count else { return nil }
        for entry in byLength[length] where entry.name == name { return entry.position }
        return nil
    }
}
