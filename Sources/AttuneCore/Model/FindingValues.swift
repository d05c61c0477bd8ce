import Synchronization

/// The values a finding's kind reported (the ones its message placeholders use), by name, read
/// like a dictionary and walked in name order.
///
/// A large review holds tens of thousands of findings at once, with two to seven values each:
/// kept as one small array sorted by name, made at its size, each name held as its number in the
/// process's table of ids (`InternedIdentifier`: names come from a small set), they take 24 bytes
/// a value, against 40 with the name a `String`, and reports, which write them in name order, need
/// not sort them again. Names read back as given, byte for byte; like a dictionary's keys they are
/// compared as `String`s (canonically), so two spellings of one name are one name.
///
/// ```swift
/// let values: FindingValues = ["since": .date(day), "count": .number(3)]
/// values["count"]                                  // .number(3)
/// for (name, value) in values { print(name) }      // count, since
/// ```
public struct FindingValues: RandomAccessCollection, ExpressibleByDictionaryLiteral, Sendable, Hashable {
    public typealias Element = (key: String, value: Value)

    private struct Entry: Sendable {
        // The value first: the 4-byte name then fills its padding (24 bytes an entry, not 32).
        var value: Value
        var key: InternedIdentifier

        init(key: String, value: Value) {
            self.value = value
            self.key = FindingValues.names.id(of: key)
        }

        /// Whether the names are one name: the same number, or canonically equal spellings.
        func hasKey(_ other: InternedIdentifier) -> Bool {
            key == other || key.text == other.text
        }
    }

    /// Sorted by key (`String` order); each key once.
    private var entries: [Entry]

    public init() {
        entries = []
    }

    public init(_ dictionary: [String: Value]) {
        // Sorted on the stack, then made at its size: no growth, no second array.
        entries = withUnsafeTemporaryAllocation(of: (key: String, value: Value).self, capacity: dictionary.count) {
            var sorted = $0
            _ = sorted.initialize(fromContentsOf: dictionary.lazy.map { (key: $0.key, value: $0.value) })
            defer { sorted.deinitialize() }
            sorted.sort { $0.key < $1.key }
            return sorted.map { Entry(key: $0.key, value: $0.value) }
        }
    }

    /// A key given twice keeps its last value.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> Element {
        let entry = entries[position]
        return (entry.key.text, entry.value)
    }

    /// The value named `key`; setting nil removes it.
    public subscript(key: String) -> Value? {
        get {
            // A handful of values: a scan is cheaper than a search.
            for entry in entries where entry.key.text == key { return entry.value }
            return nil
        }
        set {
            let place = entries.firstIndex { $0.key.text >= key } ?? entries.count
            let present = place < entries.count && entries[place].key.text == key
            switch (newValue, present) {
            case (let value?, true): entries[place].value = value
            case (let value?, false): entries.insert(Entry(key: key, value: value), at: place)
            case (nil, true): entries.remove(at: place)
            case (nil, false): break
            }
        }
    }

    public var keys: [String] { entries.map(\.key.text) }

    /// The same keys with each value transformed.
    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> FindingValues {
        var mapped = self
        for index in mapped.entries.indices { mapped.entries[index].value = try transform(entries[index].value) }
        return mapped
    }

    /// As a dictionary (what a `ReadFinding` carries).
    public var dictionary: [String: Value] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.key.text, $0.value) })
    }

    /// Equal when the names (as `String`s, canonically) and values are, in order.
    public static func == (a: FindingValues, b: FindingValues) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.hasKey($1.key) && $0.value == $1.value }
    }

    /// The names values have had, each spelling interned once: a `FindingValues` is made per
    /// finding, and the process's table of ids, sized for every client, would hash each name
    /// with SipHash and compare it along a longer probe than this small table does.
    private static let names = Names()

    private final class Names: Sendable {
        private let state = Mutex(State())

        private struct State {
            /// Open addressing, at most half full: each slot the position of a name in `ids`, or -1.
            var slots = [Int32](repeating: -1, count: 64)
            var spellings: [[UInt8]] = []
            var hashes: [UInt64] = []
            var ids: [InternedIdentifier] = []

            /// The slot holding the name, or the empty slot where it goes.
            func slot(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
                let mask = slots.count - 1
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] >= 0 {
                    let known = Int(slots[slot])
                    if hashes[known] == hash,
                        spellings[known].withUnsafeBufferPointer({ IdentifierSpelling.sameBytes($0, bytes) })
                    {
                        return slot
                    }
                    slot = (slot + 1) & mask
                }
                return slot
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
        }

        func id(of name: String) -> InternedIdentifier {
            var name = name
            return name.withUTF8 { bytes in
                // FNV-1a: names are a few bytes, fewer than SipHash's rounds would cost.
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                return state.withLock { state in
                    let slot = state.slot(of: bytes, hash: hash)
                    if state.slots[slot] >= 0 { return state.ids[Int(state.slots[slot])] }
                    let id = InternedIdentifier(String(decoding: bytes, as: UTF8.self))
                    state.slots[slot] = Int32(state.ids.count)
                    state.spellings.append(Array(bytes))
                    state.hashes.append(hash)
                    state.ids.append(id)
                    if 2 * state.ids.count > state.slots.count { state.rehash() }
                    return id
                }
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key.text)
            hasher.combine(entry.value)
        }
    }
}
