/// An interned id as a key that, like `String`, treats canonically equal spellings as one
/// (`IdentifierSpelling` is the opposite), at about the cost of a number: hashed by its text's
/// hash, worked out once per id (`InternedIdentifier.canonicalHash`), and compared by number
/// first, by text only when the numbers differ.
///
/// ```swift
/// let kelvin = CanonicalIdentifier(InternedIdentifier("\u{212A}-1"))  // KELVIN SIGN
/// kelvin == CanonicalIdentifier(InternedIdentifier("K-1"))           // true, as for String
/// ```
struct CanonicalIdentifier: Hashable {
    let id: InternedIdentifier

    init(_ id: InternedIdentifier) {
        self.id = id
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id || lhs.id.text == rhs.id.text
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(id.canonicalHash)
    }
}
