import AttuneCore
import AttuneReporters
import Testing

/// The JSON report is streamed in chunks without a `JSON` tree; these hold it to the same bytes
/// however it is cut, and the writer to the tree's layout.
@Suite struct JSONStreamingTests {
    @Test func chunksJoinToTheWholeReport() {
        let review = ReportFixtures.clinic(includeNotes: true)
        let whole = JSONReporter().render(review, options: ReportOptions())
        var small = JSONReporter()
        small.chunkSize = 1
        var chunks: [[UInt8]] = []
        small.render(review, options: ReportOptions()) { chunks.append(Array($0)) }
        #expect(chunks.count > 10, "a chunk after every finding and client")
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == whole)
    }

    @Test(arguments: [true, false])
    func writerLaysOutAsTheTree(pretty: Bool) {
        let tree: JSON = .object([
            ("empty array", .array([])),
            ("empty object", .object([])),
            ("text", .string("quote \" slash \\ line\nfeed \u{1} \u{2028} é")),
            ("numbers", .array([.number(3), .number(-2.5), .number(1e15), .number(.infinity), .integer(12_345)])),
            ("nested", .array([.object([("a", .null), ("b", .bool(true))]), .array([.bool(false)])])),
        ])
        var writer = JSONWriter(pretty: pretty)
        writer.beginObject()
        writer.key("empty array")
        writer.beginArray()
        writer.endArray()
        writer.key("empty object")
        writer.beginObject()
        writer.endObject()
        writer.key("text")
        writer.string("quote \" slash \\ line\nfeed \u{1} \u{2028} é")
        writer.key("numbers")
        writer.beginArray()
        writer.number(3)
        writer.number(-2.5)
        writer.number(1e15)
        writer.number(.infinity)
        writer.integer(12_345)
        writer.endArray()
        writer.key("nested")
        writer.beginArray()
        writer.beginObject()
        writer.key("a")
        writer.null()
        writer.key("b")
        writer.bool(true)
        writer.endObject()
        writer.beginArray()
        writer.bool(false)
        writer.endArray()
        writer.endArray()
        writer.endObject()
        let streamed = String(decoding: writer.bytes, as: UTF8.self)
        #expect(streamed == tree.rendered(pretty: pretty))
        #expect(streamed.contains(#""quote \" slash \\ line\nfeed \u0001 \u2028 é""#))
        #expect(pretty == streamed.contains("\n  \"empty array\": [],\n  \"empty object\": {},"))
    }
}
