import Testing

@testable import AttuneCore

/// Client, therapist and episode ids held as numbers into one table give back exactly the bytes
/// they were given, from any thread.
struct InternedIdentifierTests {
    private static let day = Day(iso: "2026-11-24")!

    @Test func idsComeBackSpeltAsGiven() {
        // "é" composed and decomposed, and the Kelvin sign beside "K": equal to `String`'s `==`,
        // different bytes. Each record keeps its own.
        let spellings = ["C-\u{E9}", "C-e\u{301}", "K-1", "\u{212A}-1", "", String(repeating: "x", count: 100), "🙂"]
        let records = spellings.map {
            SessionRecord(client: $0, therapist: "T-" + $0, episode: "E" + $0, date: Self.day, attendance: .attended)
        }
        for (record, spelling) in zip(records, spellings) {
            #expect(Array(record.client.utf8) == Array(spelling.utf8))
            #expect(Array(record.therapist.utf8) == Array(("T-" + spelling).utf8))
            #expect(Array(record.episode.utf8) == Array(("E" + spelling).utf8))
        }
        #expect(records[0].client == records[1].client)  // canonically equal …
        #expect(records[0] != records[1])  // … but not the same record: a different spelling
        #expect(InternedIdentifier("C-\u{E9}") != InternedIdentifier("C-e\u{301}"))
        #expect(InternedIdentifier("K-1") == InternedIdentifier("K-1"))
    }

    @Test func changingAnIdChangesThatRecordOnly() {
        let record = SessionRecord(client: "C-1", therapist: "T-1", episode: "2", date: Self.day, attendance: .attended)
        var changed = record
        changed.client = "C-2"
        changed.therapist = "T-9"
        changed.episode = "3"
        #expect((changed.client, changed.therapist, changed.episode) == ("C-2", "T-9", "3"))
        #expect((record.client, record.therapist, record.episode) == ("C-1", "T-1", "2"))
        changed.client = "C-1"
        changed.therapist = "T-1"
        changed.episode = "2"
        #expect(changed == record)
        #expect(changed.hashValue == record.hashValue)
    }

    @Test func aReadersInternerAgreesWithTheTable() {
        var interner = IdentifierInterner()
        // Same length and a shared prefix, one after another: the last-id shortcut must compare bytes.
        // A default interned as a `String` between two reads of one id must not answer for it.
        for text in ["C-000001", "C-000002", "C-000001", "C-000001", "T-016", "C-000002", "é", "e\u{301}", "2", "2"] {
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { interner.intern(utf8: $0) }
            #expect(fromBytes == InternedIdentifier(text))
            #expect(fromBytes.text.utf8.elementsEqual(text.utf8))
            #expect(interner.intern("1") == InternedIdentifier("1"))
            #expect(interner.intern(text) == fromBytes)
        }
    }

    @Test func threadsInterningTheSameIdsGetTheSameNumbers() async {
        let texts = (0..<3_000).map { "thread-test-\($0 % 1_000)-\($0 / 1_000 == 1 ? "x" : "y")" }
        let numbers = await withTaskGroup(of: [(String, UInt32)].self) { group in
            for offset in 0..<4 {
                group.addTask {
                    var interner = IdentifierInterner()
                    // Each task in its own order, so that the table grows under every one of them.
                    return (0..<texts.count).map { position in
                        let text = texts[(position * 7 + offset * 1_013) % texts.count]
                        let id = offset.isMultiple(of: 2) ? InternedIdentifier(text) : interner.intern(text)
                        #expect(id.text == text)
                        return (text, id.index)
                    }
                }
            }
            var all: [[(String, UInt32)]] = []
            for await numbers in group { all.append(numbers) }
            return all
        }
        var numberOf: [String: UInt32] = [:]
        for list in numbers {
            for (text, number) in list {
                if let known = numberOf[text] { #expect(known == number) } else { numberOf[text] = number }
            }
        }
        #expect(numberOf.count == Set(texts).count)
    }
}
