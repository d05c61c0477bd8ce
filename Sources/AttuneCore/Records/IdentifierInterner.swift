/// Interns the ids of one kind (clients, say) that one reader meets, asking the shared table,
/// and taking its lock, once per distinct id.
///
/// Records of one client usually follow one another, so the last id read answers most lookups
/// without hashing, or making a `String`.
///
/// ```swift
/// var clients = IdentifierInterner()
/// let id = clients.intern("C-1042")   // the table's number for "C-1042"
/// ```
struct IdentifierInterner {
    private var known: [IdentifierSpelling: InternedIdentifier] = [:]
    /// The last id read from bytes, and its bytes.
    private var lastRead: InternedIdentifier?
    private var lastBytes: [UInt8] = []

    /// The id spelt `bytes` (UTF-8).
    mutating func intern(utf8 bytes: UnsafeBufferPointer<UInt8>) -> InternedIdentifier {
        if let lastRead, lastBytes.withUnsafeBufferPointer({ IdentifierSpelling.sameBytes($0, bytes) }) {
            return lastRead
        }
        let id = intern(String(decoding: bytes, as: UTF8.self))
        lastRead = id
        lastBytes.removeAll(keepingCapacity: true)
        lastBytes.append(contentsOf: bytes)
        return id
    }

    mutating func intern(_ text: String) -> InternedIdentifier {
        let spelling = IdentifierSpelling(text)
        if let seen = known[spelling] { return seen }
        let id = InternedIdentifier(text)
        known[spelling] = id
        return id
    }
}
