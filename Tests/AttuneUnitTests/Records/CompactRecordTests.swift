import AttuneCore
import Testing

/// The compact record (interned source files, inline numbers, rare fields out of line) gives back
/// exactly what it was given, at the edges of its inline storage too.
struct CompactRecordTests {
    private static let day = Day(iso: "2026-11-24")!

    @Test func sourceFilesGiveBackTheirNames() {
        let names = ["week48.yaml", "/a/long/path/to/an/export/of/records-2026-11-24.yaml", "", "é/🙂.jsonl"]
        let files = names.map(SourceFile.init)
        #expect(files.map { $0.name } == names)
        #expect(names.map(SourceFile.init) == files)
        #expect(Set(files.map(\.index)).count == names.count)
    }

    @Test func sourceLocationsComeBackWithFileLineAndColumn() {
        for location in [
            SourceLocation(file: "records/week48.yaml", line: 4_294_967_294, column: 4_294_967_295),
            SourceLocation(file: "a.jsonl", line: 1, column: 1),
            SourceLocation(file: "<memory>", line: 0, column: 0),
            // Beyond the inline 32 bits, and negative: kept whole, out of line.
            SourceLocation(file: "huge.json", line: 4_294_967_295, column: 7),
            SourceLocation(file: "huge.json", line: 3, column: 1 << 40),
            SourceLocation(file: "odd", line: -2, column: -1),
        ] {
            let record = SessionRecord(
                client: "C-1", therapist: "T-1", date: Self.day, attendance: .attended, source: location)
            #expect(record.source == location)
            var moved = record
            moved.source = SourceLocation(file: "other.yaml", line: 9, column: 3)
            #expect(moved.source == SourceLocation(file: "other.yaml", line: 9, column: 3))
            moved.source = location
            #expect(moved == record)
            #expect(moved.hashValue == record.hashValue)
        }
    }

    @Test func numbersAtTheEdgesOfInlineStorage() {
        for session in [nil, 1, Int(Int32.max), Int(Int32.max) + 1, Int(Int32.min), Int.max, Int.min] {
            let record = SessionRecord(
                client: "C-1", therapist: "T-1", date: Self.day, session: session, attendance: .attended)
            #expect(record.session == session)
            var changed = record
            changed.session = 5
            #expect(changed.session == 5)
            changed.session = session
            #expect(changed == record)
        }
        for next in [nil, Self.day, Day(number: Int32.min), Day(number: Int32.max)] {
            let record = SessionRecord(
                client: "C-1", therapist: "T-1", date: Self.day, attendance: .attended, nextAppointment: next)
            #expect(record.nextAppointment == next)
            var changed = record
            changed.nextAppointment = Self.day.adding(days: 7)
            #expect(changed.nextAppointment == Self.day.adding(days: 7))
            changed.nextAppointment = next
            #expect(changed == record)
        }
    }

    @Test func rareFieldsSetAndClearedLeaveEqualRecords() {
        let plain = SessionRecord(client: "C-1", therapist: "T-1", date: Self.day, attendance: .attended)
        let rupture = Rupture(type: .withdrawal, markers: ["silence"], intensity: 3, resolution: .partial)
        var full = plain
        full.rupture = rupture
        full.tags = ["homework"]
        full.notes = "talked about the week"
        #expect(full.rupture == rupture)
        #expect(full.tags == ["homework"])
        #expect(full.notes == "talked about the week")
        #expect(full != plain)
        let made = SessionRecord(
            client: "C-1", therapist: "T-1", date: Self.day, attendance: .attended, rupture: rupture,
            tags: ["homework"], notes: "talked about the week")
        #expect(made == full)
        #expect(made.hashValue == full.hashValue)
        var copy = full
        copy.notes = nil
        #expect(full.notes == "talked about the week")  // Copies do not share changes.
        copy.rupture = nil
        copy.tags = []
        #expect(copy == plain)
        #expect(copy.hashValue == plain.hashValue)
    }
}
