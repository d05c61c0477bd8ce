import Synchronization

/// The names of findings' values (`FindingValues`), each spelling interned once, and their order.
///
/// A finding's values are made once per finding, and come from a small set of names: each name is
/// found by an FNV-1a hash of its bytes in a small table (the process's table of ids, sized for
/// every client, would hash it with SipHash and probe further), and the names of one finding are
/// looked up under one lock. The table also knows each name's place in `String` order, so a
/// finding's names are sorted by comparing two numbers, not two strings; past `rankedLimit` names
/// (only a plugin reporting ever new names gets there) it stops keeping places, and callers sort
/// by the names themselves.
///
/// ```swift
/// let id = FindingValueNames.shared.id(of: "count")   // the same number each time
/// ```
final class FindingValueNames: Sendable {
    static let shared = FindingValueNames()
    /// Names beyond which places in `String` order are no longer kept (each new name reorders them).
    static let rankedLimit = 256

    private let state = Mutex(State())

    /// A name's id and, while places are kept, its place in `String` order: consistent among the
    /// names of one `identify` call, not across calls, as a new name renumbers the places.
    struct Identified {
        var place: Int32
        var id: InternedIdentifier
    }

    private struct State {
        /// Open addressing, at most half full: each slot a name's position in `ids`, or -1.
        var slots = [Int32](repeating: -1, count: 64)
        /// Each name's bytes, compared with a name looked up, and its `String`, sorted by.
        var bytes: [[UInt8]] = []
        var spellings: [String] = []
        var hashes: [UInt64] = []
        var ids: [InternedIdentifier] = []
        /// Each name's place in `String` order; stale after a new name until `order()`.
        var places: [Int32] = []
        var placesCurrent = true

        mutating func position(of name: String) -> Int {
            var name = name
            return name.withUTF8 { bytes in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] >= 0 {
                    let known = Int(slots[slot])
                    if hashes[known] == hash,
                        self.bytes[known].withUnsafeBufferPointer({ IdentifierSpelling.sameBytes($0, bytes) })
                    {
                        return known
                    }
                    slot = (slot + 1) & mask
                }
                let position = ids.count
                let spelling = String(decoding: bytes, as: UTF8.self)
                slots[slot] = Int32(position)
                self.bytes.append(Array(bytes))
                spellings.append(spelling)
                hashes.append(hash)
                ids.append(InternedIdentifier(spelling))
                places.append(0)
                placesCurrent = false
                if 2 * ids.count > slots.count { rehash() }
                return position
            }
        }

        mutating func rehash() {
            slots = [Int32](repeating: -1, count: 2 * slots.count)
            let mask = slots.count - 1
            for (position, hash) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(position)
            }
        }

        /// Whether places are kept (at most `rankedLimit` names), bringing them up to date.
        mutating func order() -> Bool {
            guard ids.count <= FindingValueNames.rankedLimit else { return false }
            if !placesCurrent {
                for (place, position) in spellings.indices.sorted(by: { spellings[$0] < spellings[$1] }).enumerated() {
                    places[position] = Int32(place)
                }
                placesCurrent = true
            }
            return true
        }
    }

    func id(of name: String) -> InternedIdentifier {
        state.withLock { $0.ids[$0.position(of: name)] }
    }

    /// Each of `names` (in order) into `identified`; whether their places were given (otherwise
    /// each place is 0).
    func identify(_ names: some Sequence<String>, into identified: UnsafeMutableBufferPointer<Identified>) -> Bool {
        state.withLock { state in
            var positions = 0
            for name in names {
                let position = state.position(of: name)
                identified[positions] = Identified(place: Int32(position), id: state.ids[position])
                positions += 1
            }
            guard state.order() else {
                for index in 0..<positions { identified[index].place = 0 }
                return false
            }
            for index in 0..<positions { identified[index].place = state.places[Int(identified[index].place)] }
            return true
        }
    }
}
