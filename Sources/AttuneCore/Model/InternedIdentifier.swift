import Synchronization

/// A client, therapist or episode id interned for the life of the process, held as a 4-byte number.
///
/// A review holds every record at once, and each names a client, a therapist and an episode:
/// as `String`s they cost 48 bytes a record, as numbers 12. Ids are interned by their exact
/// spelling (byte for byte), so `text` gives back the bytes that were read; two spellings that
/// `String`'s `==` finds canonically equal are two numbers, and code that must treat them as one
/// (the duplicate check, grouping into timelines) compares `text`.
///
/// Reading `text` takes no lock: the table only grows, and an entry is written before its number
/// is handed out, so whoever holds the number sees the entry. Interning takes a lock; a reader of
/// many records interns through an `IdentifierInterner`, which asks the table once per distinct id.
///
/// ```swift
/// let id = InternedIdentifier("C-1042")
/// id.text                                   // "C-1042"
/// id == InternedIdentifier("C-1042")        // true: the same spelling is the same number
/// ```
struct InternedIdentifier: Sendable, Hashable {
    let index: UInt32

    init(_ text: String) {
        index = Self.table.intern(text)
    }

    var text: String { Self.table.entry(at: index).text }

    /// `text.hashValue`, worked out once when the id was interned: the same for two spellings
    /// that `String`'s `==` finds equal, so the duplicate check hashes a number per id rather
    /// than the id's text per record.
    var canonicalHash: Int { Self.table.entry(at: index).canonicalHash }

    private static let table = Table()

    /// Entries in chunks that never move, found through a directory of fixed size: a reader
    /// needs no lock while another thread appends. A chunk is reserved whole (24 MB of address
    /// space for a million ids) but only the entries written are ever touched, so resident memory
    /// follows the ids held. The table only grows: it holds each distinct id once, like the
    /// records of a review do.
    private final class Table: @unchecked Sendable {
        static let chunkBits = 20
        static let chunkSize = 1 << chunkBits
        static let chunkCount = 1 << (32 - chunkBits)

        struct Entry {
            let text: String
            let canonicalHash: Int
        }

        /// Written under `state`'s lock, each entry once; read without it (see the type's comment).
        private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>
        private let state = Mutex(State())

        private struct State {
            var count = 0
            var indices: [IdentifierSpelling: UInt32] = [:]
        }

        init() {
            chunks = .allocate(capacity: Self.chunkCount)
            chunks.initialize(repeating: nil, count: Self.chunkCount)
        }

        func intern(_ text: String) -> UInt32 {
            state.withLock { state in
                if let known = state.indices[IdentifierSpelling(text)] { return known }
                // Four billion distinct ids would take hundreds of gigabytes of input and memory first.
                precondition(state.count < UInt32.max, "more than 4 billion distinct ids")
                let index = state.count
                let chunk = index >> Self.chunkBits
                if chunks[chunk] == nil { chunks[chunk] = .allocate(capacity: Self.chunkSize) }
                (chunks[chunk]! + (index & (Self.chunkSize - 1))).initialize(
                    to: Entry(text: text, canonicalHash: text.hashValue))
                state.count += 1
                state.indices[IdentifierSpelling(text)] = UInt32(index)
                return UInt32(index)
            }
        }

        func entry(at index: UInt32) -> Entry {
            chunks[Int(index) >> Self.chunkBits]![Int(index) & (Self.chunkSize - 1)]
        }
    }
}
