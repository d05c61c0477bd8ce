import AttuneCore
import AttuneReporters
import Testing

/// The JSON report is written without a `JSON` tree; this holds the writer to the tree's layout
/// (`ReportStreamingTests` holds every streamed report to its golden bytes).
@Suite struct JSONStreamingTests {
    /// The writer copies runs of plain bytes whole; it must escape exactly as looking at every
    /// scalar in turn would.
    @Test func escapingMatchesTheScalarByScalarRule() {
        let texts = [
            "plain", "quote \" back \\ end", "line\nfeed\r\ttab\r\n", "\u{0}\u{1}\u{1F}\u{7F}",
            "dash – and · dot", "bidi \u{202E}x\u{202C}", "bom \u{FEFF}", "C1 \u{85}\u{9F}", "emoji 🙂 and 𝄞",
            "zero\u{200B}width\u{2060}", "separators \u{2028}\u{2029}", "é" + String(repeating: "a", count: 100) + "\"",
            "ends with ü", "ü", "", "tag \u{E0041} soft\u{AD}hyphen",
        ]
        for text in texts {
            var writer = JSONWriter(pretty: false)
            writer.string(text)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == Self.escapedScalarByScalar(text), "\(text)")
        }
    }

    /// Text is first looked at eight bytes at a time: a byte needing care is seen at any place of
    /// a word and in the bytes after the last whole word.
    @Test func everyPlaceOfABytePassingCareIsSeen() {
        let special: [Unicode.Scalar] =
            (0..<0x20).map { Unicode.Scalar(UInt8($0)) } + [
                "\"", "\\", "\u{7F}", "é", "\u{202E}", "🙂", "\u{85}",
            ]
        for scalar in special {
            for length in [1, 7, 8, 9, 16, 19] {
                for place in 0..<length {
                    var text = String(repeating: "a", count: place)
                    text.unicodeScalars.append(scalar)
                    text += String(repeating: "~", count: length - place - 1)
                    var writer = JSONWriter(pretty: false)
                    writer.string(text)
                    #expect(
                        String(decoding: writer.bytes, as: UTF8.self) == Self.escapedScalarByScalar(text),
                        "\(scalar.value) at \(place) of \(length)")
                }
            }
        }
    }

    /// Dates are written digit by digit; they must read as `Day.description` does, in any year.
    @Test func datesAreWrittenAsTheirDescription() {
        let days =
            [Day(iso: "2026-11-29")!, Day(iso: "0001-01-01")!, Day(iso: "9999-12-31")!]
            + ([-800_000, -1, 0, 1, 2_932_896, 2_932_897, 5_000_000] as [Int32]).map { Day(number: $0) }
        for day in days {
            var writer = JSONWriter(pretty: false)
            writer.beginArray()
            writer.date(day)
            writer.date(nil)
            writer.endArray()
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "[\"\(day.description)\",null]", "\(day)")
        }
    }

    /// The rule, one scalar at a time.
    static func escapedScalarByScalar(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                guard VisibleText.isInvisible(scalar) else {
                    out.unicodeScalars.append(scalar)
                    continue
                }
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out + "\""
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
