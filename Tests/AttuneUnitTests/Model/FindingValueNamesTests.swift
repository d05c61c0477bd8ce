import Testing

@testable import AttuneCore

/// The table of value names gives each spelling one id and, up to its limit, places that sort
/// names as `String`s sort; past the limit it says so, and callers sort by the names.
struct FindingValueNamesTests {
    static func identify(_ names: [String], in table: FindingValueNames) -> (
        placed: Bool, [FindingValueNames.Identified]
    ) {
        withUnsafeTemporaryAllocation(of: FindingValueNames.Identified.self, capacity: names.count) { buffer in
            let placed = table.identify(names, into: buffer)
            return (placed, Array(buffer))
        }
    }

    @Test func placesFollowStringOrderAndIdsKeepEachSpelling() {
        let table = FindingValueNames()
        let names = ["since", "count", "cafe\u{301}", "caf", "Z", "count_2"]
        let (placed, identified) = Self.identify(names, in: table)
        #expect(placed)
        #expect(identified.map { Array($0.id.text.utf8) } == names.map { Array($0.utf8) })
        let byPlace = zip(names, identified).sorted { $0.1.place < $1.1.place }.map(\.0)
        #expect(byPlace == names.sorted())
        // Again, with a new name among them: the same ids, places still in order.
        let more = ["b", "since", "caf\u{E9}x", "count"]
        let (again, reidentified) = Self.identify(more, in: table)
        #expect(again)
        #expect(reidentified[1].id == identified[0].id)
        #expect(reidentified[3].id == identified[1].id)
        #expect(zip(more, reidentified).sorted { $0.1.place < $1.1.place }.map(\.0) == more.sorted())
        #expect(table.id(of: "count") == identified[1].id)
    }

    @Test func pastTheLimitNoPlacesAreGiven() {
        let table = FindingValueNames()
        let names = (0...FindingValueNames.rankedLimit).map { "name\($0)" }
        let (placed, identified) = Self.identify(names, in: table)
        #expect(!placed)
        #expect(identified.map(\.id.text) == names)
        #expect(Set(identified.map(\.id)).count == names.count)
    }
}
