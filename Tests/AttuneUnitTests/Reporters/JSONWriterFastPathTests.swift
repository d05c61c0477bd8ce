import AttuneCore
import Testing

/// The writer puts common keys, whole numbers and short plain strings together on the stack
/// (issue 19); each must write the bytes the general way does, and hand over to it at the edges:
/// keys needing escaping, depth 31 and deeper, long keys, numbers that are not whole or too large,
/// text needing escaping.
@Suite struct JSONWriterFastPathTests {
    /// Keys of every kind at every depth around the writer's limit of 31, first in their object
    /// and after another key, against the layout written out here by hand.
    @Test func keysAreLaidOutAsTheGeneralRuleAtEveryDepth() {
        let keys = [
            "a", "", "schema", "records_in_period", String(repeating: "k", count: 64),
            String(repeating: "k", count: 65), String(repeating: "long", count: 40), "quote\"d", "back\\slash",
            "line\nbreak", "tab\t", "é", "bidi\u{202E}", "\u{1}",
        ]
        for depth in 1...40 {
            var writer = JSONWriter()
            writer.beginObject()
            for _ in 1..<depth {
                writer.key("n")
                writer.beginObject()
            }
            for key in keys {
                writer.key(key)
                writer.integer(1)
            }
            for _ in 0..<depth { writer.endObject() }
            #expect(
                String(decoding: writer.bytes, as: UTF8.self) == Self.expected(depth: depth, keys: keys), "\(depth)")
        }
    }

    /// `key(literal:)` writes what `key(_:)` does, including keys it hands over to the general way.
    @Test func literalKeysWriteWhatStringKeysDo() {
        for depth in [1, 2, 30, 31, 32] {
            for pretty in [true, false] {
                var literal = JSONWriter(pretty: pretty)
                var string = JSONWriter(pretty: pretty)
                literal.beginObject()
                string.beginObject()
                for _ in 1..<depth {
                    literal.key(literal: "n")
                    literal.beginArray()
                    literal.beginObject()
                    string.key("n")
                    string.beginArray()
                    string.beginObject()
                }
                literal.key(literal: "session")
                literal.key(literal: "after a key")
                literal.null()
                literal.key(literal: "quote \" and é")
                literal.null()
                literal.key(literal: "")
                literal.null()
                literal.key(literal: "a key longer than sixty-four bytes, which is put together the general way")
                literal.null()
                string.key("session")
                string.key("after a key")
                string.null()
                string.key("quote \" and é")
                string.null()
                string.key("")
                string.null()
                string.key("a key longer than sixty-four bytes, which is put together the general way")
                string.null()
                #expect(literal.bytes == string.bytes, "depth \(depth), pretty \(pretty)")
                #expect(
                    String(decoding: literal.bytes, as: UTF8.self).contains(#""session": "after a key": null"#)
                        == pretty)
            }
        }
    }

    /// A `JSONKey`, looked at once, writes what its name does, including keys it hands over.
    @Test func madeKeysWriteWhatStringKeysDo() {
        let names = [
            "srs", "", "phq9_i9", String(repeating: "k", count: 64), String(repeating: "k", count: 65), "é", "a\"b",
        ]
        for depth in [1, 2, 30, 31, 32] {
            for pretty in [true, false] {
                var made = JSONWriter(pretty: pretty)
                var string = JSONWriter(pretty: pretty)
                for _ in 0..<depth {
                    made.beginObject()
                    string.beginObject()
                    made.key(JSONKey("n"))
                    string.key("n")
                }
                made.null()
                string.null()
                for name in names {
                    made.key(JSONKey(name))
                    made.key(JSONKey(name))  // right after a key: the general way
                    made.integer(1)
                    string.key(name)
                    string.key(name)
                    string.integer(1)
                }
                #expect(made.bytes == string.bytes, "depth \(depth), pretty \(pretty)")
            }
        }
    }

    /// Short text is looked at as one word (its halves, or its first, middle and last byte): a
    /// byte needing care is seen at every place of text of every length up to two words, in keys
    /// and in values.
    @Test func aByteNeedingCareIsSeenAtEveryPlaceOfShortText() {
        let special: [Unicode.Scalar] = ["\"", "\\", "\u{0}", "\u{1F}", "\n", "\u{7F}", "é", "\u{202E}"]
        for scalar in special {
            for length in 1...17 {
                for place in 0..<length {
                    var text = String(repeating: "a", count: place)
                    text.unicodeScalars.append(scalar)
                    text += String(repeating: "~", count: length - place - 1)
                    var writer = JSONWriter()
                    writer.beginObject()
                    writer.key(text)
                    writer.string(text)
                    writer.endObject()
                    let escaped = JSONStreamingTests.escapedScalarByScalar(text)
                    #expect(
                        String(decoding: writer.bytes, as: UTF8.self) == "{\n  \(escaped): \(escaped)\n}",
                        "\(scalar.value) at \(place) of \(length)")
                }
            }
        }
    }

    /// The writer's bytes are written in place: a copy keeps what it had when a later write
    /// goes to the other, whichever writes first, and growing keeps every byte.
    @Test func copiesOfAWriterKeepTheirOwnBytes() {
        var first = JSONWriter(pretty: false, capacity: 4)
        first.beginArray()
        var second = first
        second.integer(1)
        first.integer(2)
        var third = first
        first.flush(over: 0) { _ in }
        third.integer(3)
        #expect(String(decoding: second.bytes, as: UTF8.self) == "[1")
        #expect(String(decoding: third.bytes, as: UTF8.self) == "[2,3")
        #expect(first.bytes.isEmpty)
        first.integer(4)
        #expect(String(decoding: first.bytes, as: UTF8.self) == ",4")
        var long = JSONWriter(pretty: false)
        long.beginArray()
        for index in 0..<5_000 { long.string("value \(index)") }
        long.endArray()
        let expected = "[" + (0..<5_000).map { "\"value \($0)\"" }.joined(separator: ",") + "]"
        #expect(String(decoding: long.bytes, as: UTF8.self) == expected)
    }

    /// A key right at the top (depth 0) is not laid out as one inside an object.
    @Test func aKeyOutsideAnyObjectIsWrittenTheGeneralWay() {
        var writer = JSONWriter()
        writer.key("top")
        writer.integer(1)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""top": 1"#)
    }

    /// Whole numbers below 10^15 are written digit by digit; everything else through `Value.format`.
    @Test func numbersAreWrittenAsValueFormat() {
        let twoTo53 = 9_007_199_254_740_992.0
        var numbers: [Double] = [
            0, -0.0, 1, -1, 9, 10, -10, 31, 100, 18.5, -0.25, 0.1, 1e-7, .leastNonzeroMagnitude, 999_999_999_999_999,
            -999_999_999_999_999, 1e15, -1e15, 1e15 + 1, twoTo53, -twoTo53, twoTo53 + 2, 1e16, 1e21, 1e300,
            -1e300, .greatestFiniteMagnitude, 123_456_789.5, 0.5, -0.5, 999_999_999_999_999.5,
        ]
        numbers += (0..<64).map { Double(1 << $0 as UInt64) } + (0..<64).map { -Double(1 << $0 as UInt64) - 1 }
        for number in numbers {
            var writer = JSONWriter(pretty: false)
            writer.number(number)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == Value.format(number), "\(number)")
        }
        for number in [Double.infinity, -.infinity, .nan] {
            var writer = JSONWriter(pretty: false)
            writer.number(number)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == "null", "\(number)")
        }
    }

    @Test func integersAreWrittenAsTheirDescription() {
        let integers = [
            0, 1, 9, 10, 99, 100, -1, -9, -10, 12_345, 999_999_999_999_999_999, 1_000_000_000_000_000_000, Int.max,
            Int.min, Int.min + 1, -1_000_000_000_000_000_000,
        ]
        for integer in integers {
            var writer = JSONWriter(pretty: false)
            writer.integer(integer)
            #expect(String(decoding: writer.bytes, as: UTF8.self) == String(integer))
        }
    }

    /// Plain text up to 254 bytes is added with its quotes in one copy, longer text the general
    /// way; text needing escaping is copied in runs between the bytes that need care.
    @Test func stringsAreWrittenAsTheScalarByScalarRule() {
        var texts = [0, 1, 7, 8, 9, 253, 254, 255, 256, 1_000].map { String(repeating: "p", count: $0) }
        texts += [
            String(repeating: "a", count: 300) + "é", "é" + String(repeating: "a", count: 300),
            "guidance – with a dash, \u{202E}bidi\u{202C}, a \"quote\" and\na line, all apart from each other ·",
            String(repeating: "é–", count: 40) + "\u{200B}" + String(repeating: "abcdefgh", count: 5) + "\t",
            "visible 🙂 then invisible \u{E0041}", "\u{7F}" + String(repeating: "z", count: 17) + "\\",
        ]
        for text in texts {
            for afterKey in [true, false] {
                var writer = JSONWriter(pretty: false)
                writer.beginObject()
                if afterKey {
                    writer.key("k")
                } else {
                    writer.endObject()
                    writer = JSONWriter(pretty: false)
                }
                writer.string(text)
                let expected = (afterKey ? #"{"k":"# : "") + JSONStreamingTests.escapedScalarByScalar(text)
                #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(text.prefix(20))")
            }
        }
    }

    /// Values in arrays at every depth around the limit: separators and indentation.
    @Test func arrayElementsAreSeparatedAndIndentedAtEveryDepth() {
        for depth in 1...35 {
            var writer = JSONWriter()
            for _ in 0..<depth { writer.beginArray() }
            writer.string("x")
            writer.number(2)
            writer.date(Day(iso: "2026-11-29")!)
            for _ in 0..<depth { writer.endArray() }
            var expected = ""
            for level in 0..<depth { expected += (level == 0 ? "" : "\n" + Self.spaces(level)) + "[" }
            let inner = "\n" + Self.spaces(depth)
            expected += inner + "\"x\"," + inner + "2," + inner + "\"2026-11-29\""
            for level in (0..<depth).reversed() { expected += "\n" + Self.spaces(level) + "]" }
            #expect(String(decoding: writer.bytes, as: UTF8.self) == expected, "\(depth)")
        }
    }

    private static func spaces(_ level: Int) -> String { String(repeating: " ", count: 2 * level) }

    /// Objects nested `depth` deep through keys "n", the innermost holding `keys`, each with 1.
    private static func expected(depth: Int, keys: [String]) -> String {
        var out = "{"
        for level in 1..<depth { out += "\n" + spaces(level) + "\"n\": {" }
        for (index, key) in keys.enumerated() {
            out += (index > 0 ? "," : "") + "\n" + spaces(depth) + JSONStreamingTests.escapedScalarByScalar(key) + ": 1"
        }
        for level in (0..<depth).reversed() { out += "\n" + spaces(level) + "}" }
        return out
    }
}
