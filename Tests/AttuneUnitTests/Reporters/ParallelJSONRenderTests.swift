import AttuneCore
import Testing

@testable import AttuneReporters

/// The JSON report written on several threads (`ReportOptions.jobs`) is byte for byte the report
/// written on one, whatever the review's shape and however finely it is cut into pieces.
@Suite struct ParallelJSONRenderTests {
    /// A deterministic clinic: `clients` clients of 12 weekly appointments over `therapists`
    /// therapists, with no-shows, low and missing scores, and ruptures, so that most rules fire.
    static func records(clients: Int, therapists: Int) -> String {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        var lines: [String] = []
        let start = Day(iso: "2026-09-07")!
        for client in 0..<clients {
            let therapist = client % therapists
            var ors = 12 + next(20)
            for week in 0..<12 {
                let date = start.adding(days: week * 7 + client % 5)
                let roll = next(10)
                var fields = "client: C-\(client), therapist: T-\(therapist), date: \(date), session: \(week + 1)"
                if roll == 0 {
                    fields += ", attendance: no-show"
                } else if roll == 1 {
                    fields += ", attendance: late-cancel"
                } else {
                    ors = max(0, min(40, ors + next(7) - 3))
                    fields += ", attendance: attended, measures: {ors: \(ors)"
                    if next(4) > 0 { fields += ", srs: \(30 + next(11))" }
                    if next(3) == 0 { fields += ", phq9: \(5 + next(20))" }
                    fields += "}"
                    if next(8) == 0 { fields += ", rupture: {type: withdrawal, intensity: \(1 + next(5))}" }
                    if next(2) == 0 { fields += ", next_appointment: \(date.adding(days: 7))" }
                }
                lines.append("- {\(fields)}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let clinic = ReportFixtures.batch(records(clients: 600, therapists: 23))

    static func review(_ request: ReviewRequest, _ batch: RecordBatch = clinic) -> Review {
        ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: batch, request: request)
    }

    static func json(_ review: Review, jobs: Int, chunkSize: Int = ReportChunks.defaultSize, smallPieces: Bool = false)
        -> [UInt8]
    {
        var reporter = JSONReporter()
        reporter.chunkSize = chunkSize
        if smallPieces {
            reporter.findingsPerPiece = 5
            reporter.clientsPerPiece = 3
        }
        var bytes: [UInt8] = []
        reporter.render(review, options: ReportOptions(jobs: jobs)) { bytes.append(contentsOf: $0) }
        return bytes
    }

    static let shapes: [(name: String, review: Review)] = [
        ("the last week", review(ReviewRequest())),
        ("a whole term", review(ReviewRequest(since: Day(iso: "2026-09-01")))),
        ("one therapist", review(ReviewRequest(since: Day(iso: "2026-09-01"), therapists: ["T-3"]))),
        ("high only", review(ReviewRequest(since: Day(iso: "2026-10-01"), minimumSeverity: .high))),
        ("example clinic", ReportFixtures.clinic()),
        ("example clinic with notes", ReportFixtures.clinic(includeNotes: true)),
        (
            "nothing found",
            review(
                ReviewRequest(),
                ReportFixtures.batch("- {client: C-1, therapist: T-1, date: 2026-11-02, attendance: attended}\n")
            )
        ),
    ]

    @Test(arguments: shapes.indices)
    func theReportIsTheSameOnAnyNumberOfThreads(_ index: Int) {
        let (name, review) = Self.shapes[index]
        let serial = Self.json(review, jobs: 1)
        #expect(serial.count > 500, "\(name)")
        for jobs in [2, 3, 8] {
            #expect(Self.json(review, jobs: jobs) == serial, "\(name), \(jobs) threads")
        }
        #expect(Self.json(review, jobs: 2, chunkSize: 1) == serial, "\(name), two threads, one-byte chunks")
        for jobs in [2, 3] {
            #expect(
                Self.json(review, jobs: jobs, smallPieces: true) == serial, "\(name), \(jobs) threads, small pieces")
        }
    }

    @Test func theLargeShapesTakeManyRoundsOfPieces() {
        let term = Self.shapes[1].review
        // With small pieces (5 findings, 3 clients, 4 pieces a thread per round), many rounds.
        #expect(term.allFindings.count > 3 * 5 * 4 * 3, "findings: \(term.allFindings.count)")
        #expect(term.therapists.count == 23)
        #expect(term.therapists.reduce(0) { $0 + $1.clients.count } > 3 * 3 * 4 * 3)
        // With the reporter's own pieces, more than one round on two threads.
        #expect(term.allFindings.count > JSONReporter().findingsPerPiece * 4 * 2)
    }

    /// Elements that open and close levels across pieces (an object around a run of values),
    /// cut into every piece size from one element up.
    @Test func piecesStartWhereTheSerialWriterWouldBe() {
        for count in [0, 1, 2, 5, 17, 64] {
            for size in [1, 2, 3, 7, 100] {
                for jobs in [1, 2, 3] {
                    // Groups of three values: the first opens an object and a list, the last closes them.
                    func element(_ index: Int, _ json: inout JSONWriter) {
                        if index % 3 == 0 {
                            json.beginObject()
                            json.key("group")
                            json.integer(index / 3)
                            json.key("values")
                            json.beginArray()
                        }
                        json.string("value \(index)")
                        if index % 3 == 2 || index == count - 1 {
                            json.endArray()
                            json.endObject()
                        }
                    }
                    var serial = JSONWriter()
                    serial.beginArray()
                    for index in 0..<count { element(index, &serial) }
                    serial.endArray()

                    var json = JSONWriter()
                    json.beginArray()
                    let insideValues = json.branch(insideArrayAt: "values")
                    let arrayStart = json.branch(afterValues: false)
                    var chunks: [[UInt8]] = []
                    var array = ParallelJSONArray(count: count, jobs: jobs)
                    array.elementsPerPiece = size
                    array.write(
                        into: &json, flushOver: 5, to: { chunks.append(Array($0)) },
                        startingAt: { $0 % 3 == 0 ? arrayStart.branch(afterValues: $0 > 0) : insideValues },
                        element: element)
                    json.endArray()
                    #expect(
                        Array(chunks.joined()) + json.bytes == serial.bytes,
                        "\(count) elements, \(size) a piece, \(jobs) threads")
                }
            }
        }
    }
}
