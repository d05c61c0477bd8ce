import Testing

@testable import AttuneCore

/// The engine gathers findings in runs, each made at its size, and a review takes them run by run.
struct FindingRunsTests {
    static func finding(_ number: Int) -> Finding {
        Finding(
            rule: "r\(number)", severity: .low, subject: .episode(client: "C-\(number)", episode: "1"),
            therapist: "T-1", opened: Day(number: Int32(number)), closed: nil, records: [], message: "m\(number)",
            evidence: [:])
    }

    @Test func findingsAreKeptInOrderInRunsMadeAtTheirSize() {
        for runLength in [1, 2, 3, 7] {
            for sizes in [[], [0], [5], [2, 0, 3, 1, 4], [7, 7], [1, 1, 1, 1, 1, 1, 1, 1]] {
                let total = sizes.reduce(0, +)
                var runs = FindingRuns(expecting: total, runLength: runLength)
                var next = 0
                for size in sizes {
                    var list = (next..<(next + size)).map(Self.finding)
                    next += size
                    runs.append(movingFrom: &list)
                    #expect(list.isEmpty && list.capacity == 0)
                }
                let expected = (0..<total).map(Self.finding)
                #expect(runs.count == total)
                #expect(Array(runs) == expected, "run length \(runLength), sizes \(sizes)")
                #expect((0..<total).allSatisfy { runs[$0] == expected[$0] })
                let taken = runs.takeRuns()
                #expect(runs.isEmpty && runs.runs.isEmpty)
                // Every run full but the last, and none with room to spare.
                #expect(taken.dropLast().allSatisfy { $0.count == runLength })
                #expect(taken.allSatisfy { !$0.isEmpty && $0.count <= runLength && $0.capacity == $0.count })
                #expect(taken.count == (total + runLength - 1) / runLength)
                #expect(Array(taken.joined()) == expected)
            }
        }
    }

    /// `findings` reads the runs joined; a review takes them, leaving none.
    @Test func anOutputsFindingsAreItsRunsJoined() {
        let all = (0..<5).map(Self.finding)
        var output = Engine.Output(runs: [Array(all[0..<2]), Array(all[2...])], failures: [], unjudged: [:])
        #expect(output.findings == all)
        let taken = output.takeFindingRuns()
        #expect(Array(taken.joined()) == all)
        #expect(output.findings.isEmpty)
        output.findings = all
        #expect(output.findings == all)
        #expect(output.takeFindingRuns().count == 1)
    }
}
