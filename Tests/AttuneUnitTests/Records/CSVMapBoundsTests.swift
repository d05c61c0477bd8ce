import AttuneCore
import Testing

/// A CSV map is bounded, and its overrides are matched by lookup, in map order, whatever their
/// number: the same records as checking every override on every row, without its cost.
struct CSVMapBoundsTests {
    typealias Support = RecordsTestSupport

    static let columns =
        "columns: {client: client, therapist: therapist, date: date, attendance: attendance, code: ignore, site: ignore}\n"

    @Test func manyOverridesOnSeveralColumnsApplyInMapOrderLaterWinning() throws {
        var overrides = "overrides:\n"
        for code in 0..<CSVMap.maxOverrides - 3 {
            overrides += "  - {when: {code: \"\(code)\"}, set: {attendance: cancelled}}\n"
        }
        // Three more, over other columns: the later of two that both hold wins.
        overrides += "  - {when: {site: B, code: \"7\"}, set: {attendance: no-show}}\n"
        overrides += "  - {when: {site: B}, set: {attendance: late-cancel}}\n"
        overrides += "  - {when: {code: \"8\", site: B}, set: {attendance: no-show}}\n"
        let map = try Support.map(Self.columns + overrides)
        let batch = Support.load(
            """
            client,therapist,date,attendance,code,site
            C-1,T-1,2026-11-24,attended,7,A
            C-2,T-1,2026-11-24,attended,7,B
            C-3,T-1,2026-11-24,attended,8,B
            C-4,T-1,2026-11-24,attended,x,A
            C-5,T-1,2026-11-24,attended, 996 ,A
            C-6,T-1,2026-11-24,attended,997,A
            """, as: .csv, name: "export.csv", map: map)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(
            batch.records.map(\.attendance) == [.cancelled, .lateCancel, .noShow, .attended, .cancelled, .attended])
    }

    @Test func valueMapsMatchIgnoringCaseByLookup() throws {
        var values = ""
        for index in 0..<CSVMap.maxValues - 1 { values += "S\(index): cancelled, " }
        let map = try Support.map(
            "columns: {client: client, therapist: therapist, date: date, status: {field: attendance, values: {\(values)Seen: attended}}}\n"
        )
        let batch = Support.load(
            "client,therapist,date,status\nC-1,T-1,2026-11-24,SEEN\nC-2,T-1,2026-11-24,s42\n", as: .csv, map: map)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.map(\.attendance) == [.attended, .cancelled])
    }

    @Test func aMapPastItsBoundsIsAnErrorAtTheList() {
        let overrides =
            "overrides:\n"
            + String(
                repeating: "  - {when: {code: \"1\"}, set: {attendance: cancelled}}\n", count: CSVMap.maxOverrides + 1)
        #expect(throws: CSVMap.LoadError.self) { try Support.map(Self.columns + overrides) }
        do {
            _ = try Support.map(Self.columns + overrides)
        } catch {
            #expect(error.description == "map.yaml:3:3: error: overrides has 1001 entries; a CSV map has at most 1000")
        }
        let values = (0...CSVMap.maxValues).map { "v\($0): attended" }.joined(separator: ", ")
        do {
            _ = try Support.map("columns: {status: {field: attendance, values: {\(values)}}}\n")
            Issue.record("a value map of 10,001 entries was accepted")
        } catch {
            #expect(
                error.description
                    == "map.yaml:1:47: error: values of column 'status' has 10001 entries; a column has at most 10000")
        }
    }
}
