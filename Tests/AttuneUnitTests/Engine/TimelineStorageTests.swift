import Testing

@testable import AttuneCore

/// A timeline keeps its derived values in 16 bits each when every value fits, in 32 bits when one
/// does not (a long episode, or a measure numbered past 16 bits): both must read as the values
/// worked out record by record.
struct TimelineStorageTests {
    /// `count` records a day apart, about one in three missed, each attended one carrying some of
    /// `measures` (chosen by a fixed seed).
    static func records(count: Int, measures: [Int], seed: UInt64) -> [SessionRecord] {
        var generator = YAMLTestRandom(seed: seed)
        let start = Day(iso: "2020-01-06")!
        return (0..<count).map { position in
            let attended = Int.random(in: 0..<3, using: &generator) != 0
            var values = MeasureValues()
            for measure in measures where attended && Int.random(in: 0..<4, using: &generator) == 0 {
                values[measure] = Double(Int.random(in: 0...40, using: &generator))
            }
            return SessionRecord(
                client: "C-1", therapist: "T-1", date: start.adding(days: position), session: position + 1,
                attendance: attended ? .attended : .noShow, measures: values)
        }
    }

    /// What differs between the timeline's values and those worked out in one pass over its
    /// records, at most a few (empty when they agree).
    static func disagreements(_ timeline: Timeline, measures: [Int]) -> [String] {
        var found: [String] = []
        var attended = 0
        var previous: Int?
        var first: Int?
        var baselines: [Int: Int] = [:]
        for index in timeline.records.indices {
            let record = timeline.records[index]
            if record.attendance == .attended {
                attended += 1
                for measure in measures where record.measures[measure] != nil && baselines[measure] == nil {
                    baselines[measure] = index
                }
            }
            let number = record.attendance == .attended ? attended : nil
            if timeline.attendedNumber(at: index) != number { found.append("attended_n at \(index)") }
            if timeline.previousAttendedIndex(at: index) != previous { found.append("prev at \(index)") }
            for measure in measures {
                let expected = baselines[measure].flatMap { $0 <= index ? $0 : nil }
                if timeline.baselineIndex(measure: measure, at: index) != expected {
                    found.append("baseline of \(measure) at \(index)")
                }
            }
            if record.attendance == .attended {
                previous = index
                if first == nil { first = index }
            }
            if found.count > 5 { break }
        }
        if timeline.firstAttendedIndex != first { found.append("first") }
        for measure in measures where timeline.recordsMeasure(measure) != (baselines[measure] != nil) {
            found.append("records measure \(measure)")
        }
        return found
    }

    @Test(arguments: [0, 1, 2, 5, 13, 300])
    func shortTimelinesStoreSixteenBitValuesThatAgree(count: Int) {
        let measures = [0, 1, 2, 3]
        let timeline = Timeline(
            client: "C-1", episode: "1", records: Self.records(count: count, measures: measures, seed: 7))
        #expect(!timeline.storesWideValues)
        #expect(Self.disagreements(timeline, measures: measures).isEmpty)
    }

    /// 65,535 records is the longest timeline whose values fit 16 bits (`prev` is stored as
    /// index + 1); one more record, or 100,000, take 32 bits.
    @Test(arguments: [(Timeline.narrowLimit, false), (Timeline.narrowLimit + 1, true), (100_000, true)])
    func longTimelinesSwitchToThirtyTwoBitValuesAtTheLimit(count: Int, wide: Bool) {
        let measures = [0, 2]
        let timeline = Timeline(
            client: "C-1", episode: "1", records: Self.records(count: count, measures: measures, seed: 11))
        #expect(timeline.storesWideValues == wide)
        #expect(timeline.count == count)
        #expect(Self.disagreements(timeline, measures: measures).isEmpty)
    }

    /// A measure numbered past 16 bits (a vocabulary that large is hostile, not clinical) cannot
    /// be stored in a baseline's 16 bits: the timeline takes 32.
    @Test func aMeasureNumberedPastSixteenBitsTakesThirtyTwo() {
        let measures = [1, Timeline.narrowLimit + 5]
        var records = Self.records(count: 40, measures: [1], seed: 3)
        for index in records.indices where records[index].attendance == .attended && index > 10 {
            records[index].measures[Timeline.narrowLimit + 5] = 12
            break
        }
        let timeline = Timeline(client: "C-1", episode: "1", records: records)
        #expect(timeline.storesWideValues)
        #expect(timeline.recordsMeasure(Timeline.narrowLimit + 5))
        #expect(Self.disagreements(timeline, measures: measures).isEmpty)
    }

    /// The ids are held as numbers; the strings read back are the spellings given, byte for byte.
    @Test func clientAndEpisodeReadBackTheirExactSpelling() {
        let composed = "Chlo\u{E9}"
        let decomposed = "Chloe\u{301}"
        let timeline = Timeline(client: decomposed, episode: "2", records: [])
        #expect(Array(timeline.client.utf8) == Array(decomposed.utf8))
        #expect(timeline.client == composed)  // `String`'s == is canonical
        #expect(timeline.clientID != InternedIdentifier(composed))
        #expect(timeline.episode == "2")
        #expect(timeline.key == EpisodeKey(client: decomposed, episode: "2"))
    }
}
