import Testing

@testable import AttuneCore
@testable import AttuneReporters

/// A review assembled on several threads (`ReviewRequest.jobs`: the census in chunks of
/// timelines, each therapist's clients made and sorted side by side) is the review assembled on
/// one: the same report, byte for byte.
@Suite struct ParallelAssemblyTests {
    static let clinic = ReportFixtures.batch(ParallelJSONRenderTests.records(clients: 900, therapists: 31))

    static func json(_ request: ReviewRequest, jobs: Int) -> [UInt8] {
        var request = request
        request.jobs = jobs
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: clinic, request: request)
        return ParallelJSONRenderTests.json(review, jobs: 1)
    }

    @Test(arguments: [
        ReviewRequest(), ReviewRequest(since: Day(iso: "2026-09-01")),
        ReviewRequest(since: Day(iso: "2026-09-01"), therapists: ["T-3", "T-30"]),
    ])
    func severalJobsAssembleWhatOneAssembles(_ request: ReviewRequest) {
        let one = Self.json(request, jobs: 1)
        #expect(one.count > 10_000)
        for jobs in [2, 5] { #expect(Self.json(request, jobs: jobs) == one, "jobs \(jobs)") }
    }

    /// The census against a count made record by record: clients seen by two therapists
    /// (consecutive clients sharing their last therapist), a therapist spelt two ways that
    /// `String` finds equal, and a therapist filter.
    @Test func theCensusCountsWhatTheRecordsSay() {
        var records = Self.clinic.records
        for index in records.indices where index % 4 == 0 { records[index].therapist = "K-\(index % 3)" }
        // Clients next to each other in client order (C-1, C-10 … C-199) with one therapist,
        // spelt either way.
        for index in records.indices where records[index].client.hasPrefix("C-1") {
            records[index].therapist = index % 3 == 0 ? "\u{212A}-0" : "K-0"
        }
        let timelines = Engine.timelines(from: records, asOf: nil)
        let period = Day(iso: "2026-10-01")!...Day(iso: "2026-12-31")!
        for wanted in [Set<String>(), ["T-1", "K-0"]] {
            var clientsOf: [String: Set<String>] = [:]
            for record in records { clientsOf[record.therapist, default: []].insert(record.client) }
            let inPeriod = records.filter {
                $0.date >= period.lowerBound && (wanted.isEmpty || wanted.contains($0.therapist))
            }
            let census = ReviewBuilder.census(of: timelines, period: period, wanted: wanted, jobs: 1)
            #expect(census.clients == Set(records.map(\.client)).count)
            #expect(census.clientsByTherapist == clientsOf.mapValues(\.count))
            #expect(census.recordsInPeriod == inPeriod.count)
            #expect(census.seenInPeriod == Set(inPeriod.map(\.therapist)))
            #expect(clientsOf["K-0"].map { $0.count > 1 } == true)
        }
    }

    /// The census counted in chunks that start at a new client: the same counts as in one pass,
    /// however small the chunks.
    @Test func theCensusInChunksCountsWhatOnePassCounts() {
        var records = Self.clinic.records
        // A second episode for some clients, so that a client's timelines are several.
        for index in records.indices where index % 5 == 0 { records[index].episode = "2" }
        let timelines = Engine.timelines(from: records, asOf: nil)
        let period = Day(iso: "2026-10-01")!...Day(iso: "2026-12-31")!
        for wanted in [Set<String>(), ["T-1", "T-7"]] {
            let one = ReviewBuilder.census(of: timelines, period: period, wanted: wanted, jobs: 1)
            #expect(one.clients == 900)
            #expect(one.clientsByTherapist.count == 31)
            #expect(one.clientsByTherapist.values.reduce(0, +) == 900)
            for jobs in [1, 2, 5] {
                for perChunk in [1, 7, 100] {
                    let chunked = ReviewBuilder.census(
                        of: timelines, period: period, wanted: wanted, jobs: jobs, timelinesPerChunk: perChunk)
                    #expect(chunked.clients == one.clients)
                    #expect(chunked.clientsByTherapist == one.clientsByTherapist)
                    #expect(chunked.recordsInPeriod == one.recordsInPeriod)
                    #expect(chunked.seenInPeriod == one.seenInPeriod)
                }
            }
        }
    }
}
