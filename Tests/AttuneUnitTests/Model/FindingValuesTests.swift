import Testing

@testable import AttuneCore

/// A finding's values read like the dictionary its kind reported, walked in name order.
@Suite struct FindingValuesTests {
    static let reported: [String: Value] = [
        "since": .date(Day(iso: "2026-03-02")!), "count": .number(3), "measure": .string("ors"),
        "clients": .list([.string("C-1"), .string("C-2")]), "baseline_date": .null, "by": .bool(true),
        "within_days": .number(28),
    ]

    @Test func readLikeTheDictionaryInNameOrder() {
        let values = FindingValues(Self.reported)
        #expect(values.count == Self.reported.count)
        for (key, value) in Self.reported { #expect(values[key] == value, "\(key)") }
        #expect(values["absent"] == nil)
        #expect(values.map(\.key) == Self.reported.keys.sorted())
        #expect(values.keys == Self.reported.keys.sorted())
        #expect(values.map(\.value) == Self.reported.sorted { $0.key < $1.key }.map(\.value))
        #expect(values.dictionary == Self.reported)
        #expect(FindingValues().isEmpty)
        #expect(FindingValues([:]).dictionary.isEmpty)
    }

    @Test func equalWhateverTheOrderTheyWereGivenIn() {
        let literal: FindingValues = ["count": .number(3), "since": .date(Day(iso: "2026-03-02")!)]
        let reversed: FindingValues = ["since": .date(Day(iso: "2026-03-02")!), "count": .number(3)]
        #expect(literal == reversed)
        #expect(literal.hashValue == reversed.hashValue)
        #expect(literal != ["count": .number(4), "since": .date(Day(iso: "2026-03-02")!)])
        // A key given twice keeps its last value, as a dictionary merged that way would.
        let twice: FindingValues = ["count": .number(1), "count": .number(2)]
        #expect(twice.count == 1)
        #expect(twice["count"] == .number(2))
    }

    /// A literal is put in order as it is, not through a dictionary: the same values as the
    /// dictionary would give, with names repeated, spelt two ways, or not at all.
    @Test func aLiteralIsTheDictionaryItWouldHaveBeen() {
        let names = ["a", "count", "z", "caf\u{E9}", "cafe\u{301}", "K", "\u{212A}", "since"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let pairs = (0..<Int.random(in: 0...7, using: &generator)).map { _ in
                (
                    names.randomElement(using: &generator)!,
                    Value.number(Double(Int.random(in: 0...9, using: &generator)))
                )
            }
            let literal = FindingValues(pairs: pairs)
            let dictionary = FindingValues(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
            #expect(literal == dictionary, "\(pairs)")
            #expect(literal.map { Array($0.key.utf8) } == dictionary.map { Array($0.key.utf8) }, "\(pairs)")
        }
    }

    @Test func setReplacesInsertsInOrderAndRemoves() {
        var values: FindingValues = ["b": .number(2), "d": .number(4)]
        values["c"] = .number(3)
        values["a"] = .number(1)
        values["e"] = .number(5)
        values["b"] = .number(20)
        #expect(values.map(\.key) == ["a", "b", "c", "d", "e"])
        #expect(values["b"] == .number(20))
        values["c"] = nil
        values["z"] = nil
        #expect(values.map(\.key) == ["a", "b", "d", "e"])
        #expect(values.mapValues { .string($0.displayText) }.map(\.value) == ["1", "20", "4", "5"].map(Value.string))
    }
}

/// Names are held as numbers of their exact spelling, yet compared as `String`s are: what a
/// dictionary of the values would do, which is what they were before they were numbers.
@Suite struct FindingValuesSpellingTests {
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    @Test func namesReadBackAsSpeltAndCanonicalSpellingsAreOneName() {
        let values = FindingValues([Self.decomposed: .number(1), "count": .number(2)])
        #expect(values.map { Array($0.key.utf8) } == [Array(Self.decomposed.utf8), Array("count".utf8)])
        #expect(values[Self.composed] == .number(1))
        #expect(values[Self.decomposed] == .number(1))
        let other = FindingValues([Self.composed: .number(1), "count": .number(2)])
        #expect(values == other)
        #expect(values.hashValue == other.hashValue)
        #expect(values != FindingValues([Self.composed: .number(3), "count": .number(2)]))
        #expect(values != FindingValues(["caf": .number(1), "count": .number(2)]))
    }

    /// Setting a value under another spelling of a name replaces the value and keeps the first
    /// spelling, as a dictionary does.
    @Test func settingUnderAnotherSpellingReplacesTheValue() {
        var values = FindingValues([Self.decomposed: .number(1)])
        values[Self.composed] = .number(5)
        #expect(values.count == 1)
        #expect(values.keys.map { Array($0.utf8) } == [Array(Self.decomposed.utf8)])
        #expect(values[Self.decomposed] == .number(5))
        values[Self.composed] = nil
        #expect(values.isEmpty)
    }

    /// Names are interned in a table of their own that grows as new names come (plugins may
    /// report any): hundreds of names, each spelling kept apart, all read back.
    @Test func manyNamesEachReadBack() {
        let names = (0..<300).flatMap { ["n\($0)", "n\($0)\u{E9}", "n\($0)e\u{301}x"] }
        let values = FindingValues(
            Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Value.number(Double($0))) }))
        #expect(values.keys == names.sorted())
        for (position, name) in names.enumerated() { #expect(values[name] == .number(Double(position)), "\(name)") }
        let again = FindingValues(
            Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Value.number(Double($0))) }))
        #expect(again == values)
    }

    /// Ordered as `String`s order: by their canonical form, whatever the bytes.
    @Test func orderedAsStringsOrderThem() {
        let names = ["z", Self.decomposed, "cafa", "Caf", "ca", "\u{E9}t\u{E9}", "e\u{301}te\u{301}z"]
        let values = FindingValues(Dictionary(uniqueKeysWithValues: names.map { ($0, Value.bool(true)) }))
        #expect(values.keys == names.sorted())
        #expect(values.keys.map { Array($0.utf8) } == names.sorted().map { Array($0.utf8) })
    }
}
