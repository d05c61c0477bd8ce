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

    /// Whether `lhs` and `rhs` hold the same bytes: a plain loop, where `elementsEqual` costs
    /// several times more through its iterators (ids are compared once a record or more).
    @inline(__always)
    static func sameBytes(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for offset in 0..<lhs.count where lhs[offset] != rhs[offset] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
