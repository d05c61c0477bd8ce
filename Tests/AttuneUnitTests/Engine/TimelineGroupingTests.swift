import Testing

@testable import AttuneCore

/// `Engine.timelines` orders the input in place and cuts it into runs of one shared array: the
/// timelines must be exactly those of grouping into a copy per (client, episode) and sorting each.
struct TimelineGroupingTests {
    /// The grouping as it was before the records were held once: a dictionary of copies, each
    /// sorted by `Timeline.init`.
    private func copiedGrouping(_ records: [SessionRecord], asOf: Day?) -> [Timeline] {
        let bookings = records.contains { $0.nextAppointment != nil }
        var groups: [EpisodeKey: [SessionRecord]] = [:]
        for record in records where asOf.map({ record.date <= $0 }) ?? true {
            groups[EpisodeKey(client: record.client, episode: record.episode), default: []].append(record)
        }
        return groups.keys.sorted { ($0.client, $0.episode) < ($1.client, $1.episode) }.map { key in
            Timeline(client: key.client, episode: key.episode, records: groups[key] ?? [], bookingsRecorded: bookings)
        }
    }

    private func expectSame(_ a: [Timeline], _ b: [Timeline], _ label: String) {
        #expect(a.map(\.key) == b.map(\.key), "\(label): keys")
        for (x, y) in zip(a, b) {
            #expect(Array(x.records) == Array(y.records), "\(label): records of \(x.client)/\(x.episode)")
            #expect(x.bookingsRecorded == y.bookingsRecorded)
            #expect(x.firstAttendedIndex == y.firstAttendedIndex)
            for index in 0..<x.count {
                #expect(x.attendedNumber(at: index) == y.attendedNumber(at: index))
                #expect(x.previousAttendedIndex(at: index) == y.previousAttendedIndex(at: index))
                #expect(x.daysSincePrevious(at: index) == y.daysSincePrevious(at: index))
            }
        }
    }

    @Test func equalsGroupingIntoCopiesOnShuffledInputs() throws {
        let clinic = try RecordLoader(vocabulary: Fixtures.vocabulary).load(paths: [
            Fixtures.repositoryRoot + "/Examples/clinic"
        ]).records
        // Ties the order must break: same day with and without session numbers, in input order.
        var records = clinic
        for (position, record) in clinic.prefix(40).enumerated() {
            var tie = record
            tie.session = position % 3 == 0 ? nil : record.session.map { $0 + 1000 }
            tie.source.line += 100_000
            records.append(tie)
        }
        var generator = YAMLTestRandom(seed: 19)
        let asOf = clinic.map(\.date).max().map { $0.adding(days: -30) }
        for round in 0..<6 {
            records.shuffle(using: &generator)
            for cutoff in [nil, asOf] {
                expectSame(
                    Engine.timelines(from: records, asOf: cutoff), copiedGrouping(records, asOf: cutoff),
                    "round \(round), as of \(cutoff?.description ?? "none")")
            }
        }
        #expect(Engine.timelines(from: [], asOf: nil).isEmpty)
    }

    @Test func takingTheRecordsLeavesTheArrayEmptyAndTheCallersCopyAlone() {
        let (records, _) = Fixtures.records(
            """
            - {client: C-2, therapist: T-1, date: 2026-01-05, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-01-12, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-01-05, attendance: attended}
            """)
        var taken = records
        let timelines = Engine.timelines(taking: &taken, asOf: nil)
        #expect(taken.isEmpty)
        #expect(records.map(\.client) == ["C-2", "C-1", "C-1"])
        #expect(
            timelines.map { $0.records.map(\.date.description) } == [["2026-01-05", "2026-01-12"], ["2026-01-05"]])
        // A run is indexed from 0 and ends where its timeline does.
        #expect(timelines[1].records.startIndex == 0 && timelines[1].records.count == 1)
        #expect(timelines[1].records.withUnsafeBufferPointer { $0.map(\.client) } == ["C-2"])
    }

    @Test func permutingInPlaceMatchesGathering() {
        var generator = YAMLTestRandom(seed: 7)
        for count in [0, 1, 2, 3, 10, 257] {
            let elements = (0..<count).map { "e\($0)" }
            var source = (0..<count).map { Int32($0) }
            source.shuffle(using: &generator)
            let gathered = source.map { elements[Int($0)] }
            var permuted = elements
            Engine.permute(&permuted, bySource: &source)
            #expect(permuted == gathered)
            #expect(source == (0..<count).map { Int32($0) })
        }
    }
}
