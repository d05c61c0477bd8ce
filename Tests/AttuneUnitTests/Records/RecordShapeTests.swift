import AttuneCore
import Testing

/// Records of the usual shape take a shorter path through decoding and duplicate marking;
/// these hold that every other shape reads exactly as the general path reads it.
struct RecordShapeTests {
    @Test func measuresOfAnUnusualShapeKeepTheGeneralPathsErrorsInOrder() {
        // The usual-shape pass meets `srs: 41` before `mood`, then gives up: its error must not stay.
        let (records, diagnostics) = Fixtures.records(
            "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 41, mood: 3, srs: 30}}"
        )
        #expect(records.isEmpty)
        #expect(
            diagnostics.map(\.description) == [
                "records.yaml:1:102: error: duplicate key 'srs'",
                "records.yaml:1:89: error: srs 41 is out of range 0–40",
                "records.yaml:1:93: error: unknown measure 'mood' (measures are declared in the pack's pack.yaml)",
            ])
    }

    @Test func duplicatesAmongManyRecordsAreFoundWhereverTheyHash() {
        var yaml = ""
        for client in 0..<300 {
            yaml += "- {client: C-\(client), therapist: T-1, date: 2026-11-24, attendance: attended}\n"
        }
        // Every 50th client again, later in the file; and one id equal to 'K-1' only canonically.
        for client in stride(from: 0, to: 300, by: 50) {
            yaml += "- {client: C-\(client), therapist: T-2, date: 2026-11-24, attendance: no-show}\n"
        }
        yaml += "- {client: K-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n"
        yaml += "- {client: \"\\u212A-1\", therapist: T-1, date: 2026-11-24, attendance: attended}\n"
        var batch = RecordBatch()
        let (records, diagnostics) = Fixtures.records(yaml)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        batch.records = records
        batch.markDuplicates()
        #expect(batch.records.count == 301)
        #expect(batch.leftOut == 7)
        #expect(batch.records.allSatisfy { $0.therapist == "T-1" })
        var expected = stride(from: 0, to: 300, by: 50).enumerated().map { offset, client in
            "records.yaml:\(301 + offset):3: error: duplicate record for client C-\(client), episode 1, 2026-11-24; first given at records.yaml:\(client + 1):3"
        }
        expected.append(
            "records.yaml:308:3: error: duplicate record for client \u{212A}-1, episode 1, 2026-11-24; first given at records.yaml:307:3"
        )
        #expect(batch.errors.map(\.description) == expected)
    }
}
