import Testing

@testable import AttuneCore

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

    /// Reading a score finds its inline slot among all six at once; whatever was set and
    /// removed, in any order, every index reads as a plain dictionary of the same writes would.
    @Test func everyIndexReadsAsADictionaryWould() {
        var generator = SystemRandomNumberGenerator()
        let indices = [0, 1, 2, 3, 7, 8, 127, 128, 129, 200, 253, 254, 255, 256, 300]
        for _ in 0..<300 {
            var measures = MeasureValues()
            var model: [Int: Double] = [:]
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                let index = indices.randomElement(using: &generator)!
                let value: Double? =
                    Bool.random(using: &generator) && !model.isEmpty ? nil : Double(Int.random(in: -500...500)) / 4
                measures[index] = value
                model[index] = value
            }
            for index in -1...301 { #expect(measures[index] == model[index], "\(index) in \(model)") }
        }
    }
}

/// Inline scores are held in hundredths; a value they cannot give back bit for bit keeps its exact
/// value elsewhere, so nothing is ever rounded.
struct MeasureValuesExactnessTests {
    /// Values of every kind, in every slot position, alone and mixed with inline ones.
    static let awkward: [Double] = [
        1.0 / 3, -0.0, 0.001, 38.55, 12.345, 1e12, -1e12, 327.68, -327.68, 400, 21_474_836.47, -21_474_836.48,
        .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity, 0.1 + 0.2,
    ]

    @Test func everyValueComesBackBitForBit() {
        var random = YAMLTestRandom(seed: 19)
        let ordinary: [Double] = [0, 1, 38.5, 23.8, 27, -4.25, 0.01, 99.99, 180, 252, 327.67, -327.67]
        for round in 0..<2_000 {
            var measures = MeasureValues()
            var expected: [Int: Double] = [:]
            let count = 1 + Int.random(in: 0..<9, using: &random)
            for _ in 0..<count {
                let index =
                    Int.random(in: 0..<3, using: &random) == 0
                    ? 250 + Int.random(in: 0..<10, using: &random) : Int.random(in: 0..<12, using: &random)
                let pool = Int.random(in: 0..<3, using: &random) == 0 ? Self.awkward : ordinary
                let value = pool[Int.random(in: 0..<pool.count, using: &random)]
                measures[index] = value
                expected[index] = value
            }
            if round % 3 == 0, let removed = expected.keys.min() {
                measures[removed] = nil
                expected[removed] = nil
            }
            let indices = expected.keys.sorted()
            #expect(measures.indices == indices)
            #expect(measures.count == indices.count)
            #expect(measures.values.map(\.bitPattern) == indices.map { expected[$0]!.bitPattern })
            for index in indices { #expect(measures[index]?.bitPattern == expected[index]!.bitPattern) }
            var visited: [Int] = []
            measures.forEachIndex { visited.append($0) }
            #expect(visited == indices)
        }
    }

    @Test func nanIsKeptAndStillAMeasure() {
        var measures = MeasureValues()
        measures[0] = 31
        measures[1] = .nan
        measures[2] = 18.5
        #expect(measures[1]?.isNaN == true)
        #expect(measures.indices == [0, 1, 2])
        #expect(measures[2] == 18.5)
    }

    @Test func hundredthsHoldOnlyWhatTheyGiveBack() {
        #expect(MeasureValues.hundredths(38.5) == 3_850)
        #expect(MeasureValues.hundredths(23.8) == 2_380)
        #expect(MeasureValues.hundredths(-4.25) == -425)
        #expect(MeasureValues.hundredths(-0.0) == nil)
        #expect(MeasureValues.hundredths(1.0 / 3) == nil)
        #expect(MeasureValues.hundredths(.nan) == nil)
        #expect(MeasureValues.hundredths(327.67) == 32_767)
        #expect(MeasureValues.hundredths(-327.67) == -32_767)
        #expect(MeasureValues.hundredths(-327.68) == nil)  // Int16.min is the mark, never a value.
        #expect(MeasureValues.hundredths(327.68) == nil)
        #expect(MeasureValues.hundredths(21_474_836.47) == nil)
    }

    /// What the hundredths are for: a record's six inline scores in 12 bytes, a record in 72.
    @Test func aRecordStaysSmall() {
        #expect(MemoryLayout<MeasureValues>.size == 28)
        #expect(MemoryLayout<SessionRecord>.stride <= 72)
    }

    @Test func equalValuesAreEqualHowEverTheyAreHeld() {
        var a = MeasureValues()
        var b = MeasureValues()
        for index in 0..<8 { a[index] = Double(index) / 3 }
        for index in (0..<8).reversed() { b[index] = Double(index) / 3 }
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
    }
}
