import AttuneYAML

/// A `String` that is equal to another only when spelt with the same bytes: `String`'s own `==`
/// would merge canonically equal spellings.
struct IdentifierSpelling: Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        var (lhs, rhs) = (lhs.text, rhs.text)
        return lhs.withUTF8 { lhs in rhs.withUTF8 { sameBytes(lhs, $0) } }
    }

    /// Whether `lhs` and `rhs` hold the same bytes: by words (`ShortBytes.equal`), where
    /// `elementsEqual` costs several times more through its iterators (ids are compared once a
    /// record or more).
    @inline(__always)
    static func sameBytes(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        return ShortBytes.equal(left, right, count: lhs.count)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
