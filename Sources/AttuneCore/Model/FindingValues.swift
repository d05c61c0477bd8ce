/// The values a finding's kind reported (the ones its message placeholders use), by name, read
/// like a dictionary and walked in name order.
///
/// A large review holds tens of thousands of findings at once, with two to seven values each:
/// kept as one small array sorted by name (40 bytes a value), they take about a third of the
/// memory of a hash table per finding, and reports, which write them in name order, need not
/// sort them again.
///
/// ```swift
/// let values: FindingValues = ["since": .date(day), "count": .number(3)]
/// values["count"]                                  // .number(3)
/// for (name, value) in values { print(name) }      // count, since
/// ```
public struct FindingValues: RandomAccessCollection, ExpressibleByDictionaryLiteral, Sendable, Hashable {
    public typealias Element = (key: String, value: Value)

    private struct Entry: Sendable, Hashable {
        var key: String
        var value: Value
    }

    /// Sorted by key; each key once.
    private var entries: [Entry]

    public init() {
        entries = []
    }

    public init(_ dictionary: [String: Value]) {
        entries = dictionary.map { Entry(key: $0.key, value: $0.value) }
        entries.sort { $0.key < $1.key }
    }

    /// A key given twice keeps its last value.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> Element {
        let entry = entries[position]
        return (entry.key, entry.value)
    }

    /// The value named `key`; setting nil removes it.
    public subscript(key: String) -> Value? {
        get {
            // A handful of values: a scan is cheaper than a search.
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            let place = entries.firstIndex { $0.key >= key } ?? entries.count
            let present = place < entries.count && entries[place].key == key
            switch (newValue, present) {
            case (let value?, true): entries[place].value = value
            case (let value?, false): entries.insert(Entry(key: key, value: value), at: place)
            case (nil, true): entries.remove(at: place)
            case (nil, false): break
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }

    /// The same keys with each value transformed.
    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> FindingValues {
        var mapped = self
        for index in mapped.entries.indices { mapped.entries[index].value = try transform(entries[index].value) }
        return mapped
    }

    /// As a dictionary (what a `ReadFinding` carries).
    public var dictionary: [String: Value] {
        Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0.value) })
    }
}
