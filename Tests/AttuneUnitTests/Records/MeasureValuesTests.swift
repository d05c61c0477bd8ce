import AttuneCore
import Testing

/// The inline measure storage behaves like a small sorted map, past its inline capacity too.
struct MeasureValuesTests {
    @Test func setGetReplaceAndRemoveInAnyOrder() {
        var measures = MeasureValues()
        #expect(measures.isEmpty)
        for index in [7, 2, 9, 0, 5, 3, 8, 1] { measures[index] = Double(index) * 1.5 }
        #expect(measures.count == 8)
        #expect(measures.indices == [0, 1, 2, 3, 5, 7, 8, 9])
        var visited: [Int] = []
        measures.forEachIndex { visited.append($0) }
        #expect(visited == [0, 1, 2, 3, 5, 7, 8, 9])
        #expect(measures.values == [0, 1.5, 3, 4.5, 7.5, 10.5, 12, 13.5])
        for index in [0, 1, 2, 3, 5, 7, 8, 9] { #expect(measures[index] == Double(index) * 1.5) }
        #expect(measures[4] == nil)
        measures[9] = 99
        measures[2] = nil
        #expect(measures[9] == 99)
        #expect(measures[2] == nil)
        #expect(measures.count == 7)
    }

    @Test func equalityIgnoresInsertionOrder() {
        var a = MeasureValues()
        var b = MeasureValues()
        a[1] = 31
        a[3] = 18.5
        b[3] = 18.5
        b[1] = 31
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        b[3] = 18
        #expect(a != b)
    }

    /// Inline slots keep an index in a byte; a pack of hundreds of measures puts the rest in the overflow.
    @Test func indicesFromTwoHundredFiftyFiveOnWork() {
        var measures = MeasureValues()
        measures[308] = 7
        #expect(!measures.isEmpty)
        #expect(measures[308] == 7)
        for index in [2, 254, 255, 1_000, 40_000] { measures[index] = Double(index) }
        #expect(measures.indices == [2, 254, 255, 308, 1_000, 40_000])
        #expect(measures[40_000] == 40_000)
        #expect(measures[254] == 254)
        measures[308] = nil
        #expect(measures[308] == nil)
        #expect(measures.count == 5)
    }
}
