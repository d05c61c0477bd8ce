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
            self.init(value: value, key: FindingValueNames.shared.id(of: key))
        }

        init(value: Value, key: InternedIdentifier) {
            self.value = value
            self.key = key
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
        // The keys of a dictionary are distinct.
        entries = Self.sorted(dictionary.keys, count: dictionary.count, mayRepeat: false) { slots in
            for (slot, value) in dictionary.values.enumerated() { slots(slot, value) }
        }!
    }

    private init(sorted entries: [Entry]) {
        self.entries = entries
    }

    /// A key given twice keeps its last value.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(pairs: elements)
    }

    /// The values of a literal: a key given twice keeps its last value.
    init(pairs elements: [(String, Value)]) {
        // A kind's values name each key once: put in order as they are, not made a dictionary
        // first (hashing every name and allocating its table cost more than the rest).
        if let entries = Self.sorted(
            elements.lazy.map(\.0), count: elements.count, mayRepeat: true,
            { slots in
                for (slot, element) in elements.enumerated() { slots(slot, element.1) }
            })
        {
            self.init(sorted: entries)
        } else {
            self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
        }
    }

    /// The entries of `count` names and their values, sorted. `values` hands each value to the
    /// function it is given with its slot, the place of its name in `names`. With `mayRepeat`,
    /// nil when two of the names are one name (the same spelling, or canonically equal ones):
    /// which value stays is then a dictionary's to say.
    ///
    /// Named and sorted on the stack (by the names' places in `String` order), then made at its
    /// size: no growth, no second array, no string compared.
    private static func sorted(
        _ names: some Sequence<String>, count: Int, mayRepeat: Bool,
        _ values: ((Int, Value) -> Void) -> Void
    ) -> [Entry]? {
        withUnsafeTemporaryAllocation(of: FindingValueNames.Identified.self, capacity: count) { identified in
            let placed = FindingValueNames.shared.identify(names, into: identified)
            // `slot`: where the name comes in `names`; kept apart so the sort moves 8 bytes.
            return withUnsafeTemporaryAllocation(of: (place: Int32, slot: Int32).self, capacity: count) {
                var order = $0
                for slot in 0..<count { order[slot] = (identified[slot].place, Int32(slot)) }
                if placed {
                    order.sort { $0.place < $1.place }
                } else {
                    order.sort { identified[Int($0.slot)].id.text < identified[Int($1.slot)].id.text }
                }
                // One name twice comes out side by side: equal names have one place, and
                // `String` order puts canonically equal spellings next to each other.
                if mayRepeat {
                    for position in order.indices.dropFirst() {
                        let a = identified[Int(order[position - 1].slot)].id
                        let b = identified[Int(order[position].slot)].id
                        if a == b || a.text == b.text { return nil }
                    }
                }
                // Where each slot's entry goes.
                for (position, item) in order.enumerated() { identified[Int(item.slot)].place = Int32(position) }
                return [Entry](unsafeUninitializedCapacity: count) { buffer, initialized in
                    values { slot, value in
                        (buffer.baseAddress! + Int(identified[slot].place))
                            .initialize(to: Entry(value: value, key: identified[slot].id))
                    }
                    initialized = count
                }
            }
        }
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

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key.text)
            hasher.combine(entry.value)
        }
    }
}
