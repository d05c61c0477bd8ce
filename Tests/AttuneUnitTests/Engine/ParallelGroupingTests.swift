import Testing

@testable import AttuneCore

/// Records grouped into timelines on several threads are grouped as on one: the same groups,
/// numbered in order of first appearance, the same timelines with the same records in order.
struct ParallelGroupingTests {
    /// Clients' records interleaved (as an export sorted by date lists them), some in runs (as one
    /// sorted by client), second episodes, a record after as-of, and one client id written two
    /// ways that Swift finds equal (K and the Kelvin sign).
    static func records(_ count: Int) -> [SessionRecord] {
        (0..<count).map { index in
            let client = index % 3 == 0 ? "C-\(index / 30)" : "C-\((index * 7_919) % 997)"
            return SessionRecord(
                client: index % 1_000 == 1 ? "\u{212A}-1" : index % 1_000 == 2 ? "K-1" : client,
                therapist: "T-\(index % 13)", episode: index % 11 == 0 ? "2" : "1",
                date: Day(number: Int32(20_000 + (index * 37) % 400)), session: index % 4 == 0 ? nil : index % 9,
                attendance: index % 6 == 0 ? .noShow : .attended,
                source: SourceLocation(file: "r.yaml", line: index + 1, column: 3))
        }
    }

    @Test func groupsFoundInChunksAreTheGroupsFoundInOnePass() {
        let records = Self.records(20_000)
        let asOf = Day(number: 20_390)
        let one = Engine.groups(of: records, asOf: asOf, jobs: 1)
        #expect(one.keys.count > 1_000)
        #expect(one.groupOf.contains(-1))
        #expect(one.keys.contains(EpisodeKey(client: "\u{212A}-1", episode: "1")))
        #expect(!one.keys.contains { $0.client.utf8.elementsEqual("K-1".utf8) }, "the first spelling stands for both")
        // The ids are those of the record that named the group first, spelt as its key is.
        #expect(zip(one.keys, one.ids).allSatisfy { $0.client.utf8.elementsEqual($1.client.text.utf8) })
        #expect(zip(one.keys, one.ids).allSatisfy { $0.episode.utf8.elementsEqual($1.episode.text.utf8) })
        for jobs in [2, 3, 8] {
            let many = Engine.groups(of: records, asOf: asOf, jobs: jobs, recordsPerJob: 1_000)
            #expect(many.keys == one.keys, "jobs \(jobs)")
            #expect(many.counts == one.counts, "jobs \(jobs)")
            #expect(many.ids.map(\.client) == one.ids.map(\.client), "jobs \(jobs)")
            #expect(many.ids.map(\.episode) == one.ids.map(\.episode), "jobs \(jobs)")
            #expect(many.groupOf == one.groupOf, "jobs \(jobs)")
        }
    }

    @Test func timelinesMadeOnSeveralThreadsAreTheTimelinesMadeOnOne() {
        let records = Self.records(120_000)
        let asOf = Day(number: 20_390)
        let one = Engine.timelines(from: records, asOf: asOf)
        for jobs in [2, 3] {
            var input = records
            let many = Engine.timelines(taking: &input, asOf: asOf, jobs: jobs)
            #expect(many.count == one.count)
            #expect(many.map(\.key) == one.map(\.key), "jobs \(jobs)")
            #expect(zip(many, one).allSatisfy { Array($0.records) == Array($1.records) }, "jobs \(jobs)")
            #expect(
                zip(many, one).allSatisfy { a, b in
                    a.records.indices.allSatisfy {
                        a.attendedNumber(at: $0) == b.attendedNumber(at: $0)
                    }
                })
        }
    }
}
