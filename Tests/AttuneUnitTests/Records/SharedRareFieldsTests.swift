import Foundation
import Testing

@testable import AttuneCore

/// Records of one file that repeat a rupture and tags word for word hold one copy of them
/// (`SharedRareFields`), and are still plain values: equal to what the general path reads, and
/// changed one at a time.
struct SharedRareFieldsTests {
    typealias Paths = RecordReadingPathsTests

    /// Four records, as JSON objects (which YAML reads too): the first and third repeat a rupture
    /// and tags, the second has other ones, the fourth repeats the first's with notes, which are
    /// never shared.
    static let objects = [
        #"{"client": "C-1", "therapist": "T-1", "date": "2026-11-02", "attendance": "attended", "tags": ["withdrawn", "late"], "rupture": {"type": "withdrawal", "markers": ["minimal-response", "avoidant-storytelling"], "intensity": 2}}"#,
        #"{"client": "C-1", "therapist": "T-1", "date": "2026-11-09", "attendance": "attended", "tags": ["withdrawn"], "rupture": {"type": "withdrawal", "markers": ["minimal-response", "avoidant-storytelling"], "intensity": 3}}"#,
        #"{"client": "C-2", "therapist": "T-1", "date": "2026-11-09", "attendance": "attended", "tags": ["withdrawn", "late"], "rupture": {"type": "withdrawal", "markers": ["minimal-response", "avoidant-storytelling"], "intensity": 2}}"#,
        #"{"client": "C-3", "therapist": "T-1", "date": "2026-11-09", "attendance": "attended", "tags": ["withdrawn", "late"], "rupture": {"type": "withdrawal", "markers": ["minimal-response", "avoidant-storytelling"], "intensity": 2}, "notes": "seen late"}"#,
    ]

    static func records(_ format: RecordFormat) -> [SessionRecord] {
        let text =
            switch format {
            case .yaml: objects.map { "- " + $0 + "\n" }.joined()
            case .jsonl: objects.map { $0 + "\n" }.joined()
            default: "[" + objects.joined(separator: ",\n") + "]\n"
            }
        let fast = Paths.read(Array(text.utf8), "week." + format.rawValue, format, fromEvents: true)
        let general = Paths.read(Array(text.utf8), "week." + format.rawValue, format, fromEvents: false)
        #expect(fast.errors.isEmpty, "\(format): \(fast.errors)")
        #expect(fast.records == general.records, "\(format)")
        #expect(fast.records.count == 4, "\(format)")
        return fast.records
    }

    @Test(arguments: [RecordFormat.yaml, .json, .jsonl])
    func recordsRepeatingARuptureAndTagsHoldOneCopy(format: RecordFormat) throws {
        let records = Self.records(format)
        try #require(records.count == 4)
        #expect(records[0].holdsSameFields(as: records[2]))
        #expect(!records[0].holdsSameFields(as: records[1]))
        #expect(!records[0].holdsSameFields(as: records[3]))
        #expect(records[3].notes == "seen late")
        // Another rupture still shares its markers' list, one copy of the strings.
        let first = records[0].rupture?.markers ?? []
        let second = records[1].rupture?.markers ?? []
        #expect(first == ["minimal-response", "avoidant-storytelling"])
        #expect(first.withUnsafeBufferPointer { $0.baseAddress } == second.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func aRecordThatHoldsASharedCopyChangesAlone() throws {
        var records = Self.records(.yaml)
        try #require(records.count == 4 && records[0].holdsSameFields(as: records[2]))
        let before = records[2]
        records[0].rupture?.intensity = 5
        records[0].tags.append("new")
        #expect(records[0].rupture?.intensity == 5)
        #expect(records[0].tags == ["withdrawn", "late", "new"])
        #expect(records[2] == before)
        #expect(records[2].rupture?.intensity == 2)
        #expect(records[2].tags == ["withdrawn", "late"])
    }

    /// A record whose session number is too wide for its inline storage holds it out of line, so
    /// it keeps its own copy of a rupture and tags read before, with every value intact.
    @Test func aRecordWithWideValuesKeepsItsOwnCopy() throws {
        let wide = Self.objects[0].replacingOccurrences(
            of: #""client": "C-1""#, with: #""client": "C-9", "session": 3000000000"#)
        let text = (Self.objects + [wide, Self.objects[0]]).map { "- " + $0 + "\n" }.joined()
        let fast = Paths.read(Array(text.utf8), "wide.yaml", .yaml, fromEvents: true)
        let general = Paths.read(Array(text.utf8), "wide.yaml", .yaml, fromEvents: false)
        #expect(fast.errors.isEmpty)
        #expect(fast.records == general.records)
        try #require(fast.records.count == 6)
        #expect(fast.records[4].session == 3_000_000_000)
        #expect(fast.records[4].rupture == fast.records[0].rupture)
        #expect(fast.records[4].tags == ["withdrawn", "late"])
        #expect(!fast.records[4].holdsSameFields(as: fast.records[0]))
        #expect(fast.records[5].holdsSameFields(as: fast.records[0]))
    }

    /// A list whose hash another list took is kept apart: hashes that collide never mix lists.
    @Test func listsWithOneHashAreNeverMixed() {
        var shared = SharedRareFields()
        let id = shared.keep(["a", "b"], hash: 7)
        #expect(id == 0)
        #expect(shared.list(hash: 7)?.id == 0)
        #expect(shared.list(hash: 7)?.list == ["a", "b"])
        #expect(shared.list(hash: 8) == nil)
        #expect(shared.keep(["c"], hash: 7) == nil)
        #expect(shared.list(hash: 7)?.list == ["a", "b"])
        #expect(shared.lists == [["a", "b"]])
        #expect(shared.keep([], hash: 8) == nil)
    }

    /// Past the limit, lists are no longer kept, and records keep their own copies.
    @Test func thePoolStopsAtItsLimit() {
        var shared = SharedRareFields()
        for number in 0..<SharedRareFields.limit {
            #expect(shared.keep(["m\(number)"], hash: number) == number)
        }
        #expect(shared.keep(["one more"], hash: -5) == nil)
        #expect(shared.lists.count == SharedRareFields.limit)
    }

    /// A file with more distinct ruptures than the pool keeps is read exactly as the general path reads it.
    @Test func moreDistinctRupturesThanThePoolKeepsReadAlike() {
        let count = SharedRareFields.limit + 300
        let markers = RecordsTestSupport.vocabulary.markers.sorted()
        var yaml = ""
        for number in 0..<count {
            yaml +=
                "- {client: C-\(number % 50), therapist: T-1, date: 2026-11-02, attendance: attended, "
                + "tags: [t\(number)], rupture: {type: mixed, markers: [\(markers[number % 3])], intensity: \(number % 5 + 1)}}\n"
        }
        let fast = Paths.read(Array(yaml.utf8), "many.yaml", .yaml, fromEvents: true)
        let general = Paths.read(Array(yaml.utf8), "many.yaml", .yaml, fromEvents: false)
        #expect(fast.errors.isEmpty)
        #expect(fast.records.count == count)
        // Compared as a whole, not printed: thousands of records.
        let same = fast.records == general.records
        #expect(same)
        let tagsRight = fast.records.map(\.tags) == (0..<count).map { ["t\($0)"] }
        #expect(tagsRight)
    }
}
