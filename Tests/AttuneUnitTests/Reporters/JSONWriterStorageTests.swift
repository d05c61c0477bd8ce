import AttuneCore
import Testing

/// A piece of a report written on another thread takes the storage an earlier piece grew
/// (`JSONWriter.takeStorage(of:)`, issue 19): what it writes must not change, and the earlier
/// piece's bytes must not come back.
@Suite struct JSONWriterStorageTests {
    /// The same values, written into a writer that took another's storage half-way and into one
    /// that did not, give the same bytes; the writer given up is left empty.
    @Test func aWriterThatTakesStorageWritesWhatItWouldHave() {
        for pretty in [true, false] {
            var report = JSONWriter(pretty: pretty)
            report.beginObject()
            report.key("findings")
            report.beginArray()
            var plain = report.branch(afterValues: false)
            var reusing = report.branch(afterValues: false)
            // A spare with more bytes than the piece will write, at another depth and layout.
            var spare = JSONWriter(pretty: !pretty)
            spare.beginArray()
            for index in 0..<500 { spare.string("earlier piece \(index)") }
            spare.endArray()

            Self.firstHalf(&plain)
            Self.firstHalf(&reusing)
            reusing.takeStorage(of: &spare)
            Self.secondHalf(&plain)
            Self.secondHalf(&reusing)

            #expect(reusing.bytes == plain.bytes, "pretty: \(pretty)")
            #expect(spare.bytes.isEmpty, "pretty: \(pretty)")
            var joined = report
            joined.append(reusing)
            var expected = report
            expected.append(plain)
            joined.endArray()
            expected.endArray()
            #expect(joined.bytes == expected.bytes)
        }
    }

    static func firstHalf(_ json: inout JSONWriter) {
        json.beginObject()
        json.key("rule")
        json.string("alliance-drop")
    }

    static func secondHalf(_ json: inout JSONWriter) {
        json.key("score")
        json.number(18.5)
        json.endObject()
        json.beginObject()
        json.key("rule")
        json.string("missed-sessions")
        json.endObject()
    }

    /// A spare taken once and written again: its old bytes never reappear, however the two sizes compare.
    @Test func takenStorageStartsEmptyWhateverItHeld() {
        for (held, written) in [(0, 3), (3, 0), (2_000, 5), (5, 2_000)] {
            var spare = JSONWriter()
            spare.beginArray()
            for index in 0..<held { spare.integer(index) }
            var writer = JSONWriter().branch(afterValues: false)
            writer.takeStorage(of: &spare)
            writer.beginArray()
            for index in 0..<written { writer.integer(-index) }
            writer.endArray()

            var fresh = JSONWriter().branch(afterValues: false)
            fresh.beginArray()
            for index in 0..<written { fresh.integer(-index) }
            fresh.endArray()
            #expect(writer.bytes == fresh.bytes, "held \(held), written \(written)")
            #expect(spare.bytes.isEmpty)
        }
    }
}
