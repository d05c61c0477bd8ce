import Foundation
import Testing

@testable import AttuneYAML

private typealias S = YAMLTestSupport

@Suite("JSONReader")
struct JSONReaderTests {
    // MARK: Marks and scalars

    @Test func marksAreOneBasedStartPositions() throws {
        let text = """
            {
              "name": "demo",
              "n": [1, true, null],
              "é": {"k": -0.5e+3}
            }
            """
        let root = try JSONReader.document(in: .bytes(Array(text.utf8)), limits: .records)
        #expect(root.mark == Mark(line: 1, column: 1))
        let pairs = try #require(root.mappingPairs)
        #expect(pairs[0].key.mark == Mark(line: 2, column: 3))
        #expect(pairs[0].value.mark == Mark(line: 2, column: 11))
        #expect(pairs[1].value.mark == Mark(line: 3, column: 8))
        #expect(
            pairs[1].value.sequenceItems?.map(\.mark) == [
                Mark(line: 3, column: 9), Mark(line: 3, column: 12), Mark(line: 3, column: 18),
            ])
        #expect(pairs[2].key.mark == Mark(line: 4, column: 3))
        // "é" is one character: the value starts at column 8.
        #expect(pairs[2].value.mark == Mark(line: 4, column: 8))
        #expect(pairs[2].value.yt("k")?.mark == Mark(line: 4, column: 14))
    }

    @Test func scalarsKeepTheirText() throws {
        let root = try JSONReader.document(
            in: .bytes(Array(#"["0012", 12, -0, 1.50, 2E-3, true, false, null, "NO"]"#.utf8)), limits: .records)
        let items = try #require(root.sequenceItems)
        #expect(
            items.map { $0.scalarText ?? "?" } == ["0012", "12", "-0", "1.50", "2E-3", "true", "false", "null", "NO"])
        #expect(items.map { $0.ytStyle } == [.quoted, .plain, .plain, .plain, .plain, .plain, .plain, .plain, .quoted])
        #expect(items[7].isNull)
    }

    @Test func stringEscapes() throws {
        let text = #"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "\u0000x", "plain é 😀"]"#
        let items = try #require(try JSONReader.document(in: .bytes(Array(text.utf8)), limits: .records).sequenceItems)
        #expect(items[0].scalarText == "a\"b\\c/d\u{8}\u{C}\n\r\t")
        #expect(items[1].scalarText == "é€")
        #expect(items[2].scalarText == "😀")
        #expect(items[3].scalarText == "\u{0}x")
        #expect(items[4].scalarText == "plain é 😀")
        // Columns after escapes and multi-byte characters still count characters.
        #expect(items[4].mark == Mark(line: 1, column: 69))
        let wide = try #require(
            try JSONReader.document(in: .bytes(Array(#"["é😀", "x"]"#.utf8)), limits: .records).sequenceItems)
        #expect(wide[1].mark == Mark(line: 1, column: 8))
    }

    @Test func badEscapesAndSurrogates() throws {
        for (text, column) in [
            (#"["\x"]"#, 3), (#"["\u12G4"]"#, 3), (#"["\ud83d"]"#, 3), (#"["\ude00"]"#, 3), (#"["\ud83d\u0041"]"#, 3),
            (#"["ok", "\q"]"#, 9),
        ] {
            let error = S.documentError { _ = try S.jsonItems(text) }
            #expect(error?.mark == Mark(line: 1, column: column), "\(text)")
        }
    }

    @Test func duplicateKeysAreKept() throws {
        let root = try JSONReader.document(in: .bytes(Array(#"{"a": 1, "a": 2}"#.utf8)), limits: .records)
        #expect(root.ytSketch == "{'a':1,'a':2}")
    }

    // MARK: Strictness

    @Test func strictSyntaxErrorsAreLocatedAtTheBadCharacter() throws {
        let cases: [(String, Mark, String)] = [
            ("[1 2]", Mark(line: 1, column: 4), "expected ',' or ']' in array"),
            ("[1, 2,]", Mark(line: 1, column: 7), "expected a JSON value"),
            ("{\"a\": 1,}", Mark(line: 1, column: 9), "expected a string key in object"),
            ("{\"a\" 1}", Mark(line: 1, column: 6), "expected ':' after object key"),
            ("{\"a\": 1\n \"b\": 2}", Mark(line: 2, column: 2), "expected ',' or '}' in object"),
            ("[1] // comment", Mark(line: 1, column: 5), "unexpected content after the JSON value"),
            ("/* c */ [1]", Mark(line: 1, column: 1), "expected a JSON value"),
            ("{a: 1}", Mark(line: 1, column: 2), "expected a string key in object"),
            ("[01]", Mark(line: 1, column: 3), "leading zeros"),
            ("[1.]", Mark(line: 1, column: 4), "expected a digit after '.'"),
            ("[-]", Mark(line: 1, column: 3), "expected a digit"),
            ("[1e]", Mark(line: 1, column: 4), "exponent"),
            ("[tru]", Mark(line: 1, column: 2), "invalid literal"),
            ("[nulls]", Mark(line: 1, column: 2), "invalid literal"),
            ("['x']", Mark(line: 1, column: 2), "expected a JSON value"),
            ("[\"a\tb\"]", Mark(line: 1, column: 4), "control character"),
            ("[\"a\nb\"]", Mark(line: 1, column: 4), "unterminated string"),
            ("[1, 2", Mark(line: 1, column: 6), "end of input"),
            ("[\"abc", Mark(line: 1, column: 2), "unterminated string"),
            ("", Mark(line: 1, column: 1), "expected a JSON value"),
            ("  \n ", Mark(line: 2, column: 2), "expected a JSON value"),
        ]
        for (text, mark, message) in cases {
            let error = S.documentError { _ = try S.jsonItems(text) }
            #expect(error?.mark == mark, "\(text)")
            #expect(error?.message.contains(message) == true, "\(text): \(error?.message ?? "no error")")
        }
    }

    @Test func invalidUTF8IsRejected() throws {
        let cases: [[UInt8]] = [
            Array("[\"a".utf8) + [0xFF] + Array("\"]".utf8),
            Array("[\"a".utf8) + [0xC0, 0xAF] + Array("\"]".utf8),  // overlong
            Array("[\"a".utf8) + [0xED, 0xA0, 0x80] + Array("\"]".utf8),  // surrogate
            Array("[\"a".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"]".utf8),  // above U+10FFFF
            Array("[\"a".utf8) + [0xE2, 0x82] + Array("\"]".utf8),  // truncated
            Array("[\"a".utf8) + [0xE2, 0x82],  // truncated at end
        ]
        for bytes in cases {
            let error = S.documentError { try JSONReader.forEachItem(in: .bytes(bytes), limits: .records) { _ in } }
            #expect(error?.mark == Mark(line: 1, column: 4), "\(bytes)")
        }
        let outside = S.documentError {
            try JSONReader.forEachItem(in: .bytes([0x5B, 0xC3, 0xA9, 0x5D]), limits: .records) { _ in }
        }
        #expect(outside?.mark == Mark(line: 1, column: 2))
    }

    @Test func binaryGarbageNeverCrashes() throws {
        var generator = YAMLTestRandom(seed: 42)
        for length in [1, 5, 64, 1000] {
            for _ in 0..<25 {
                var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                bytes[0] = UInt8(ascii: "[")
                do {
                    try JSONReader.forEachItem(in: .bytes(bytes), limits: .records) { _ in }
                    try JSONReader.forEachLine(in: .bytes(bytes), limits: .records) { _ in }
                } catch let error as DocumentError {
                    #expect(error.mark.line >= 1 && error.mark.column >= 1)
                }
            }
        }
    }

    // MARK: Limits

    @Test func depthLimitIsInclusive() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try JSONReader.document(in: .bytes(Array(ok.utf8)), limits: .records)
        let objects = String(repeating: "{\"k\":", count: 64) + "1" + String(repeating: "}", count: 64)
        _ = try JSONReader.document(in: .bytes(Array(objects.utf8)), limits: .records)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = S.documentError { _ = try JSONReader.document(in: .bytes(Array(tooDeep.utf8)), limits: .records) }
        #expect(error?.mark == Mark(line: 1, column: 65))
        #expect(error?.message.contains("deeper than 64") == true)
    }

    @Test func hundredThousandOpenBracketsFailAtTheLimit() throws {
        let bytes = Array(repeating: UInt8(ascii: "["), count: 100_000)
        let error = S.documentError { try JSONReader.forEachItem(in: .bytes(bytes), limits: .records) { _ in } }
        #expect(error?.mark == Mark(line: 1, column: 65))
    }

    @Test func scalarLengthLimit() throws {
        var limits = DocumentLimits.records
        limits.maxScalarBytes = 8
        #expect(try S.jsonItems(#"["12345678", 12345678, "\u00e9\u00e9\u00e9\u00e9"]"#, limits: limits).count == 3)
        for text in [#"["ok", "123456789"]"#, #"["ok", 123456789]"#, #"["ok", "\u00e9\u00e9\u00e9\u00e9\u00e9"]"#] {
            let error = S.documentError { _ = try S.jsonItems(text, limits: limits) }
            #expect(error?.mark == Mark(line: 1, column: 8), "\(text)")
            #expect(error?.message.contains("longer than 8 bytes") == true)
        }
    }

    // MARK: Items, BOM, CRLF

    @Test func rootArrayElementsAreItemsAndRootObjectIsOne() throws {
        #expect(try S.jsonItems(#"[{"a": 1}, {"b": 2}, 3]"#).map(\.ytSketch) == ["{'a':1}", "{'b':2}", "3"])
        #expect(try S.jsonItems(#"{"a": [1, 2]}"#).map(\.ytSketch) == ["{'a':[1,2]}"])
        #expect(try S.jsonItems("[]").isEmpty)
        #expect(try S.jsonItems("\"x\"").map(\.ytSketch) == ["'x'"])
    }

    @Test func bomAndCRLFJustWork() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("[\r\n  {\"a\": 1},\r\n  {\"b\": 2}\r\n]\r\n".utf8)
        var items: [Node] = []
        try JSONReader.forEachItem(in: .bytes(bytes), limits: .records) { items.append($0) }
        #expect(items.map(\.mark) == [Mark(line: 2, column: 3), Mark(line: 3, column: 3)])
        #expect(items[1].yt("b")?.mark == Mark(line: 3, column: 9))
        let root = try JSONReader.document(in: .bytes([0xEF, 0xBB, 0xBF] + Array("{\"a\": 1}".utf8)), limits: .records)
        #expect(root.mark == Mark(line: 1, column: 1))
    }

    // MARK: Streaming

    @Test func itemsAreDeliveredBeforeALaterError() throws {
        var order: [String] = []
        do {
            try JSONReader.forEachItem(
                in: .bytes(Array("[{\"id\": 1},\n {\"id\": 2},\n {\"id\": 3,}]".utf8)), limits: .records
            ) { item in
                order.append(item.yt("id")?.scalarText ?? "?")
            }
        } catch let error as DocumentError {
            order.append("error at \(error.mark)")
        }
        #expect(order == ["1", "2", "error at 3:11"])
    }

    @Test func bodyErrorsPropagateUnchanged() throws {
        struct Stop: Error {}
        var count = 0
        #expect(throws: Stop.self) {
            try JSONReader.forEachItem(in: .bytes(Array("[1, 2, 3]".utf8)), limits: .records) { _ in
                count += 1
                throw Stop()
            }
        }
        #expect(count == 1)
    }

    // MARK: JSON Lines

    @Test func jsonLinesYieldOneItemPerLine() throws {
        let text = "{\"id\": 1}\n\n  \n{\"id\": 2}\r\n[{\"id\": 3}, {\"id\": 4}]\n\"five\"\n"
        let items = try S.jsonLines(text)
        #expect(items.map(\.ytSketch) == ["{'id':1}", "{'id':2}", "{'id':3}", "{'id':4}", "'five'"])
        #expect(items.map(\.mark.line) == [1, 4, 5, 5, 6])
        #expect(items[3].mark == Mark(line: 5, column: 13))
        #expect(try S.jsonLines("").isEmpty)
        #expect(try S.jsonLines("{\"a\": 1}").count == 1)
    }

    @Test func jsonLinesErrorOnLineNIsReportedOnLineN() throws {
        let cases: [(String, Mark)] = [
            ("{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3\n{\"a\": 4}\n", Mark(line: 3, column: 8)),
            ("{\"a\": 1}\n{\"a\": 2} {\"a\": 3}\n", Mark(line: 2, column: 10)),
            ("{\"a\": 1}\r\n\r\n{\"a\": [1,\r\n2]}\r\n", Mark(line: 3, column: 10)),
            ("{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3,}\n", Mark(line: 3, column: 9)),
        ]
        for (text, mark) in cases {
            var delivered = 0
            let error = S.documentError {
                try JSONReader.forEachLine(in: .bytes(Array(text.utf8)), limits: .records) { _ in delivered += 1 }
            }
            #expect(error?.mark == mark, "\(text)")
            #expect(delivered >= 1)
        }
    }

    // MARK: Files

    @Test func filesAreReadInChunksAcrossBoundaries() throws {
        // Well over one 64 KiB chunk, with multi-byte characters, escapes and numbers
        // landing on chunk boundaries somewhere.
        var text = "[\n"
        for i in 0..<4000 {
            text +=
                "  {\"id\": \"s-\(i)\", \"note\": \"é€😀 \\u00e9 \\ud83d\\ude00 \(String(repeating: "x", count: i % 37))\", \"n\": \(i).25}"
            text += i == 3999 ? "\n" : ",\n"
        }
        text += "]\n"
        let bytes = Array(text.utf8)
        #expect(bytes.count > 3 * 65536)
        let path = try S.temporaryFile(bytes, suffix: ".json")
        defer { S.removeFile(path) }

        var fromFile: [Node] = []
        try JSONReader.forEachItem(in: .file(path: path), limits: .records) { fromFile.append($0) }
        var fromBytes: [Node] = []
        try JSONReader.forEachItem(in: .bytes(bytes), limits: .records) { fromBytes.append($0) }
        #expect(fromFile.count == 4000)
        #expect(fromFile.map(\.ytSketch) == fromBytes.map(\.ytSketch))
        #expect(fromFile.map(\.mark) == fromBytes.map(\.mark))
        #expect(fromFile[3999].mark == Mark(line: 4001, column: 3))
        #expect(fromFile[17].yt("note")?.scalarText == "é€😀 é 😀 " + String(repeating: "x", count: 17))
        #expect(fromFile[17].yt("n")?.scalarText == "17.25")

        let whole = try JSONReader.document(in: .file(path: path), limits: .records)
        #expect(whole.sequenceItems?.count == 4000)
    }

    @Test func jsonLinesFromFile() throws {
        var text = ""
        for i in 1...20_000 { text += "{\"id\": \(i), \"tag\": \"ü\(i)\"}\r\n" }
        text += "{\"id\": oops}\r\n"
        let path = try S.temporaryFile(Array(text.utf8), suffix: ".jsonl")
        defer { S.removeFile(path) }
        var count = 0
        let error = S.documentError {
            try JSONReader.forEachLine(in: .file(path: path), limits: .records) { _ in count += 1 }
        }
        #expect(count == 20_000)
        #expect(error?.mark == Mark(line: 20_001, column: 8))
    }

    @Test func missingFileIsAnError() throws {
        let error = S.documentError {
            _ = try JSONReader.document(in: .file(path: "/nonexistent/x.json"), limits: .records)
        }
        #expect(error?.message.contains("cannot open") == true)
    }
}
