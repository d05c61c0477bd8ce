import Testing

@testable import AttuneCore

/// The compact evidence record (interned ids, inline session and source, the note and values too
/// wide for inline storage out of line) gives back exactly what it was given, whichever way it
/// was made, and equal values stay equal records.
struct EvidenceRecordTests {
    private static let day = Day(iso: "2026-11-24")!
    private static let location = SourceLocation(file: "week48.yaml", line: 12, column: 3)
    private static let sessions: [Int?] = [
        nil, 0, 1, -1, Int(Int32.max), Int(Int32.max) + 1, Int(Int32.min), Int(Int32.min) + 1, Int.max, Int.min,
    ]
    private static let locations = [
        location,
        SourceLocation(file: "<memory>", line: 0, column: 0),
        // The edges of the two inline layouts (32-bit line and 16-bit column, and the reverse).
        SourceLocation(file: "records/week48.yaml", line: 4_294_967_294, column: 65_535),
        SourceLocation(file: "minified.json", line: 65_535, column: 4_294_967_294),
        SourceLocation(file: "minified.json", line: 1, column: 65_536),
        // Beyond both layouts, and negative: kept whole, out of line.
        SourceLocation(file: "records/week48.yaml", line: 4_294_967_294, column: 4_294_967_295),
        SourceLocation(file: "records/week48.yaml", line: 65_536, column: 65_536),
        SourceLocation(file: "huge.json", line: 4_294_967_295, column: 7),
        SourceLocation(file: "huge.json", line: 3, column: 1 << 40),
        SourceLocation(file: "odd", line: -2, column: -1),
        SourceLocation(file: "odd", line: Int.max, column: Int.min),
    ]
    private static let notes: [String?] = [
        nil, "", "talked about the week", String(repeating: "long note é🙂 ", count: 2_000),
    ]

    private static func evidence(
        session: Int? = nil, client: String = "C-1", episode: String = "1",
        source: AttuneCore.SourceLocation = location,
        note: String? = nil
    ) -> Finding.EvidenceRecord {
        Finding.EvidenceRecord(
            date: day, session: session, client: client, episode: episode, source: source, note: note)
    }

    /// Setting `field` to `other` reads back as `other` and changes the record; setting it back
    /// gives an equal record with the same hash (one representation a value).
    private static func expectRestores<Value: Equatable>(
        _ evidence: Finding.EvidenceRecord, _ field: WritableKeyPath<Finding.EvidenceRecord, Value>, via other: Value,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        var changed = evidence
        changed[keyPath: field] = other
        #expect(changed[keyPath: field] == other, sourceLocation: sourceLocation)
        #expect(changed != evidence, sourceLocation: sourceLocation)
        changed[keyPath: field] = evidence[keyPath: field]
        #expect(changed == evidence, sourceLocation: sourceLocation)
        #expect(changed.hashValue == evidence.hashValue, sourceLocation: sourceLocation)
    }

    @Test func sessionsAtTheEdgesOfInlineStorage() {
        for session in Self.sessions {
            let evidence = Self.evidence(session: session)
            #expect(evidence.session == session)
            #expect(evidence.label == (session.map { "2026-11-24 (#\($0))" } ?? "2026-11-24"))
            Self.expectRestores(evidence, \.session, via: 5)
        }
    }

    @Test func sourcesAtTheEdgesOfInlineStorage() {
        for location in Self.locations {
            let evidence = Self.evidence(source: location)
            #expect(evidence.source == location)
            Self.expectRestores(evidence, \.source, via: SourceLocation(file: "other.yaml", line: 9, column: 3))
        }
    }

    @Test func notesComeBackAndAreDroppedWhole() {
        for note in Self.notes {
            // With a session too wide to hold inline, so both share the out-of-line box.
            let evidence = Self.evidence(session: Int.max, note: note)
            #expect(evidence.note == note)
            #expect(evidence.session == Int.max)
            Self.expectRestores(evidence, \.note, via: note == nil ? "a note" : nil)
            var cleared = evidence
            cleared.note = nil
            #expect(cleared == Self.evidence(session: Int.max))
            #expect(cleared.hashValue == Self.evidence(session: Int.max).hashValue)
        }
        // An empty note is a note, not none.
        #expect(Self.evidence(note: "") != Self.evidence())
    }

    @Test func idsComeBackByteForByte() {
        // Canonically equal (`==` on String) but spelled with different bytes.
        let decomposed = "e\u{301}"
        let precomposed = "\u{E9}"
        for (client, episode) in [(decomposed, precomposed), (precomposed, decomposed), ("", "C-1042 🙂")] {
            let evidence = Self.evidence(client: client, episode: episode)
            #expect(Array(evidence.client.utf8) == Array(client.utf8))
            #expect(Array(evidence.episode.utf8) == Array(episode.utf8))
            Self.expectRestores(evidence, \.client, via: "C-2")
            Self.expectRestores(evidence, \.episode, via: "2")
        }
        // Ids are compared by spelling, as records compare them (`InternedIdentifier`).
        #expect(Self.evidence(client: decomposed) != Self.evidence(client: precomposed))
    }

    @Test func evidenceFromARecordIsTheEvidenceOfItsValues() {
        for session in Self.sessions {
            for location in Self.locations {
                for note in Self.notes {
                    let record = SessionRecord(
                        client: "e\u{301}", therapist: "T-1", episode: "\u{E9}", date: Self.day, session: session,
                        attendance: .attended, notes: note, source: location)
                    let made = Finding.EvidenceRecord(record, includeNote: true)
                    let expected = Finding.EvidenceRecord(
                        date: record.date, session: record.session, client: record.client, episode: record.episode,
                        source: record.source, note: record.notes)
                    #expect(made == expected)
                    #expect(made.hashValue == expected.hashValue)
                    #expect(made.session == session)
                    #expect(made.source == location)
                    #expect(made.note == note)
                    #expect(Array(made.client.utf8) == Array("e\u{301}".utf8))
                    #expect(Array(made.episode.utf8) == Array("\u{E9}".utf8))
                    let withoutNote = Finding.EvidenceRecord(record, includeNote: false)
                    #expect(withoutNote.note == nil)
                    var expectedWithoutNote = expected
                    expectedWithoutNote.note = nil
                    #expect(withoutNote == expectedWithoutNote)
                    #expect(withoutNote.hashValue == expectedWithoutNote.hashValue)
                }
            }
        }
    }

    @Test func heldIn32Bytes() {
        #expect(MemoryLayout<Finding.EvidenceRecord>.stride <= 32)
    }
}
