import Foundation
import Testing

@testable import AttuneYAML

private typealias S = YAMLTestSupport

@Suite("YAMLReader")
struct YAMLReaderTests {
    // MARK: Marks

    @Test func marksAreOneBasedStartPositions() throws {
        let text = """
            name: demo
            items:
              - id: 1
                tags: [a, "b"]
              - id: 2
            """
        let items = try S.yamlItems(text)
        #expect(items.count == 1)
        let root = try #require(items.first)
        #expect(root.mark == Mark(line: 1, column: 1))
        let pairs = try #require(root.mappingPairs)
        #expect(pairs[0].key.mark == Mark(line: 1, column: 1))
        #expect(pairs[0].value.mark == Mark(line: 1, column: 7))
        #expect(pairs[1].key.mark == Mark(line: 2, column: 1))
        let list = try #require(pairs[1].value.sequenceItems)
        #expect(pairs[1].value.mark == Mark(line: 3, column: 3))
        #expect(list[0].mark == Mark(line: 3, column: 5))
        #expect(list[0].mappingPairs?[0].key.mark == Mark(line: 3, column: 5))
        #expect(list[0].yt("id")?.mark == Mark(line: 3, column: 9))
        let tags = try #require(list[0].yt("tags"))
        #expect(tags.mark == Mark(line: 4, column: 11))
        #expect(tags.sequenceItems?.map(\.mark) == [Mark(line: 4, column: 12), Mark(line: 4, column: 15)])
        #expect(list[1].yt("id")?.mark == Mark(line: 5, column: 9))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try #require(try S.yamlItems("é€😀: [x, y]").first)
        #expect(root.mappingPairs?[0].value.mark == Mark(line: 1, column: 6))
        #expect(root.mappingPairs?[0].value.sequenceItems?[1].mark == Mark(line: 1, column: 10))
    }

    @Test func rootSequenceElementsAreItems() throws {
        let items = try S.yamlItems("- a: 1\n- b: 2\n- plain\n")
        #expect(items.map(\.ytSketch) == ["{a:1}", "{b:2}", "plain"])
        #expect(items.map(\.mark.line) == [1, 2, 3])
    }

    @Test func documentStreamYieldsItemsDocumentByDocument() throws {
        let text = "--- [1, 2]\n---\n---\n{k: v}\n--- scalar\n"
        #expect(try S.yamlItems(text).map(\.ytSketch) == ["1", "2", "{k:v}", "scalar"])
        #expect(try S.yamlItems("").isEmpty)
        #expect(try S.yamlItems("# only a comment\n").isEmpty)
    }

    @Test func documentsReturnsEachNonEmptyRoot() throws {
        let roots = try YAMLReader.documents(in: .bytes(Array("--- [1, 2]\n---\n--- {a: b}\n".utf8)), limits: .rules)
        #expect(roots.map(\.ytSketch) == ["[1,2]", "{a:b}"])
        #expect(roots[1].mark == Mark(line: 3, column: 5))
    }

    // MARK: Scalars

    @Test func scalarsAreNotTyped() throws {
        let root = try #require(
            try S.yamlItems(
                """
                a: 0012
                b: NO
                c: yes
                d: 2026-11-24
                e: '0012'
                f: "NO"
                g: ~
                h:
                i: !!int 7
                """
            ).first)
        for (key, text) in [
            ("a", "0012"), ("b", "NO"), ("c", "yes"), ("d", "2026-11-24"), ("g", "~"), ("h", ""), ("i", "7"),
        ] {
            #expect(root.yt(key)?.scalarText == text)
            #expect(root.yt(key)?.ytStyle == .plain)
        }
        #expect(root.yt("e")?.scalarText == "0012")
        #expect(root.yt("e")?.ytStyle == .quoted)
        #expect(root.yt("f")?.ytStyle == .quoted)
        #expect(root.yt("g")?.isNull == true)
        #expect(root.yt("h")?.isNull == true)
    }

    @Test func blockScalarsAreQuoted() throws {
        let root = try #require(try S.yamlItems("literal: |\n  one\n  two\nfolded: >\n  one\n  two\n").first)
        #expect(root.yt("literal")?.scalarText == "one\ntwo\n")
        #expect(root.yt("literal")?.ytStyle == .quoted)
        #expect(root.yt("literal")?.mark == Mark(line: 1, column: 10))
        #expect(root.yt("folded")?.scalarText == "one two\n")
        #expect(root.yt("folded")?.ytStyle == .quoted)
    }

    // MARK: Limits

    @Test func depthLimitIsInclusive() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try YAMLReader.documents(in: .bytes(Array(ok.utf8)), limits: .records).count == 1)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = S.documentError { _ = try YAMLReader.documents(in: .bytes(Array(tooDeep.utf8)), limits: .records) }
        #expect(error?.mark == Mark(line: 1, column: 65))
        #expect(error?.message.contains("deeper than 64") == true)
    }

    @Test func blockNestingCountsToo() throws {
        var limits = DocumentLimits.records
        limits.maxDepth = 3
        #expect(try S.yamlItems("a:\n  b:\n    c: 1\n", limits: limits).count == 1)
        let error = S.documentError { _ = try S.yamlItems("a:\n  b:\n    c:\n      d: 1\n", limits: limits) }
        #expect(error?.mark == Mark(line: 4, column: 7))
    }

    @Test func hundredThousandOpenBracketsFailAtTheLimit() throws {
        let bytes = Array(repeating: UInt8(ascii: "["), count: 100_000)
        let error = S.documentError { try YAMLReader.forEachItem(in: .bytes(bytes), limits: .records) { _ in } }
        #expect(error?.mark == Mark(line: 1, column: 65))
    }

    /// The work done stops at the limit: from a stream of open brackets, the reader takes what
    /// reaches depth 65 and leaves the rest unread, however fast the machine. (The time hostile
    /// nesting takes is measured by scripts/hostile-input.sh, not asserted here.)
    @Test func deepNestingStopsReadingAtTheLimit() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        // Written without a reader: as much as the pipe holds, several of libyaml's 16 KiB reads.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        let chunk = Array(repeating: UInt8(ascii: "["), count: 4096)
        var written = 0
        while true {
            let count = chunk.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
            if count <= 0 { break }
            written += count
        }
        close(ends[1])
        try #require(written >= 4 * 16_384, "the pipe held only \(written) bytes")

        let input = try InputFile.open("/dev/fd/\(ends[0])")
        let error = S.documentError { try YAMLReader.forEachItem(in: .opened(input), limits: .records) { _ in } }
        #expect(error?.mark == Mark(line: 1, column: 65))
        var unread = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count <= 0 { break }
            unread += count
        }
        #expect(written - unread <= written / 2, "read \(written - unread) of \(written) bytes to fail at depth 65")
    }

    @Test func scalarLengthLimit() throws {
        var limits = DocumentLimits.records
        limits.maxScalarBytes = 8
        #expect(try S.yamlItems("a: 12345678", limits: limits).count == 1)
        let error = S.documentError { _ = try S.yamlItems("a: ok\nb: \"123456789\"\n", limits: limits) }
        #expect(error?.mark == Mark(line: 2, column: 4))
        #expect(error?.message.contains("longer than 8 bytes") == true)
    }

    @Test func aliasesRejectedInRecords() throws {
        let error = S.documentError { _ = try S.yamlItems("a: &x 1\nb: *x\n") }
        #expect(error?.message == "aliases are not allowed in record files")
        #expect(error?.mark == Mark(line: 2, column: 4))
    }

    @Test func aliasesResolvedByCopyWhenAllowed() throws {
        let text = "base: &b {k: v, n: [1, 2]}\nuse: *b\n"
        let root = try #require(try S.yamlItems(text, limits: .rules).first)
        #expect(root.yt("use")?.ytSketch == "{k:v,n:[1,2]}")
        #expect(root.yt("use")?.mark == Mark(line: 2, column: 6))
        // Inner nodes keep the marks of the anchored original.
        #expect(root.yt("use")?.mappingPairs?[0].key.mark == Mark(line: 1, column: 11))
        #expect(root.yt("use")?.yt("k")?.mark == Mark(line: 1, column: 14))
    }

    @Test func anchorsDoNotCrossDocuments() throws {
        let error = S.documentError { _ = try S.yamlItems("--- &a 1\n--- *a\n", limits: .rules) }
        #expect(error?.message.contains("unknown alias") == true)
        let unknown = S.documentError { _ = try S.yamlItems("a: *nope\n", limits: .rules) }
        #expect(unknown?.message == "unknown alias '*nope'")
        #expect(unknown?.mark == Mark(line: 1, column: 4))
    }

    @Test func aliasExpansionBudget() throws {
        var limits = DocumentLimits.rules
        limits.aliasExpansionBudget = 8
        // Each *x adds 4 nodes (the sequence and its three scalars).
        #expect(try S.yamlItems("x: &x [1, 2, 3]\ny: [*x, *x]\n", limits: limits).count == 1)
        let error = S.documentError { _ = try S.yamlItems("x: &x [1, 2, 3]\ny: [*x, *x, *x]\n", limits: limits) }
        #expect(error?.mark == Mark(line: 2, column: 13))
        #expect(error?.message.contains("more than 8 nodes") == true)
    }

    @Test func billionLaughsFailsFast() throws {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...12 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        let error = S.documentError { _ = try YAMLReader.documents(in: .bytes(Array(text.utf8)), limits: .rules) }
        #expect(error?.message.contains("more than 10000 nodes") == true)
        // The work is bounded by where it stops: line 4's aliases would add 11,110 nodes, so no
        // more than that was copied, never the 10^13 of the last line. (The time a billion laughs
        // takes is measured by scripts/hostile-input.sh, not asserted here.)
        #expect(error?.mark.line == 4)
    }

    @Test func aliasCannotExceedDepth() throws {
        var limits = DocumentLimits.rules
        limits.maxDepth = 3
        let error = S.documentError { _ = try S.yamlItems("x: &x [[1]]\ny: [*x]\n", limits: limits) }
        #expect(error?.mark == Mark(line: 2, column: 5))
    }

    // MARK: Bad input

    @Test func invalidUTF8IsLocated() throws {
        var bytes = Array("a: b\nc: d".utf8)
        bytes.append(0xFF)
        bytes += Array("\n".utf8)
        let error = S.documentError { try YAMLReader.forEachItem(in: .bytes(bytes), limits: .records) { _ in } }
        #expect(error?.mark == Mark(line: 2, column: 5))
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test func controlCharactersAreLocated() throws {
        let error = S.documentError { _ = try S.yamlItems("a: 1\nb: x\u{01}y\n") }
        #expect(error?.mark == Mark(line: 2, column: 5))
        #expect(error?.message.contains("control characters") == true)
    }

    @Test func syntaxErrorsAreLocated() throws {
        let truncated = S.documentError { _ = try S.yamlItems("a: [1, 2\n") }
        #expect(truncated?.mark.line == 2)
        let unterminated = S.documentError { _ = try S.yamlItems("a: 1\nb: \"open\n") }
        #expect(unterminated?.mark.line == 3)
        let badIndent = S.documentError { _ = try S.yamlItems("a:\n  b: 1\n c: 2\n") }
        #expect(badIndent?.mark == Mark(line: 3, column: 2))
        #expect(badIndent?.message.contains("did not find expected key") == true)
    }

    @Test func binaryGarbageNeverCrashes() throws {
        var generator = YAMLTestRandom(seed: 0x5EED)
        for length in [1, 7, 64, 1000, 10_000] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                // Either a located DocumentError or (rarely) valid YAML: never a crash or hang.
                do {
                    try YAMLReader.forEachItem(in: .bytes(bytes), limits: .records) { _ in }
                } catch let error as DocumentError {
                    #expect(error.mark.line >= 1 && error.mark.column >= 1)
                }
            }
        }
    }

    @Test func bomAndCRLFJustWork() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb:\r\n  - x\r\n  - y\r\n".utf8)
        var items: [Node] = []
        try YAMLReader.forEachItem(in: .bytes(bytes), limits: .records) { items.append($0) }
        let root = try #require(items.first)
        #expect(root.ytSketch == "{a:1,b:[x,y]}")
        #expect(root.mappingPairs?[0].key.mark == Mark(line: 1, column: 1))
        #expect(root.mappingPairs?[1].key.mark == Mark(line: 2, column: 1))
        #expect(root.yt("b")?.sequenceItems?[1].mark == Mark(line: 4, column: 5))
        // A reader error after a BOM and CRLF is still located correctly.
        let bad: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb: x".utf8) + [0xC3, 0x28]
        let error = S.documentError { try YAMLReader.forEachItem(in: .bytes(bad), limits: .records) { _ in } }
        #expect(error?.mark == Mark(line: 2, column: 5))
    }

    // MARK: Streaming

    @Test func itemsAreDeliveredBeforeALaterError() throws {
        var text = ""
        for i in 1...500 { text += "- id: \(i)\n" }
        text += "- [unclosed\n"
        var seen: [String] = []
        let error = S.documentError {
            try YAMLReader.forEachItem(in: .bytes(Array(text.utf8)), limits: .records) { item in
                seen.append(item.yt("id")?.scalarText ?? "?")
            }
        }
        #expect(seen.count == 500)
        #expect(seen.first == "1")
        #expect(error != nil)
        #expect(error?.mark.line == 502)
    }

    @Test func firstItemArrivesBeforeTheErrorIsThrown() throws {
        var order: [String] = []
        do {
            try YAMLReader.forEachItem(in: .bytes(Array("- first\n- second\n- ]\n".utf8)), limits: .records) { item in
                order.append(item.scalarText ?? "?")
            }
        } catch let error as DocumentError {
            order.append("error at \(error.mark.line)")
        }
        #expect(order == ["first", "second", "error at 3"])
    }

    @Test func bodyErrorsPropagateUnchanged() throws {
        struct Stop: Error, Equatable {}
        var count = 0
        #expect(throws: Stop.self) {
            try YAMLReader.forEachItem(in: .bytes(Array("- 1\n- 2\n- 3\n".utf8)), limits: .records) { _ in
                count += 1
                if count == 2 { throw Stop() }
            }
        }
        #expect(count == 2)
    }

    // MARK: Files

    @Test func readsFilesByStreaming() throws {
        var text = "# records\n"
        for i in 1...3000 { text += "- id: \"s-\(i)\"\n  note: café \(i)\n" }
        let path = try S.temporaryFile(Array(text.utf8), suffix: ".yaml")
        defer { S.removeFile(path) }
        var count = 0
        var last: Node?
        try YAMLReader.forEachItem(in: .file(path: path), limits: .records) { item in
            count += 1
            last = item
        }
        #expect(count == 3000)
        #expect(last?.yt("note")?.scalarText == "café 3000")
        #expect(last?.mark == Mark(line: 2 + 2 * 2999, column: 3))
    }

    @Test func fileReaderErrorsAreLocated() throws {
        var bytes = Array(String(repeating: "- ok\n", count: 5000).utf8)
        bytes += Array("- bad".utf8) + [0xFE] + Array("\n".utf8)
        let path = try S.temporaryFile(bytes, suffix: ".yaml")
        defer { S.removeFile(path) }
        var count = 0
        let error = S.documentError {
            try YAMLReader.forEachItem(in: .file(path: path), limits: .records) { _ in count += 1 }
        }
        #expect(error?.mark == Mark(line: 5001, column: 6))
        #expect(count <= 5000)
    }

    @Test func missingFileIsAnError() throws {
        let error = S.documentError {
            _ = try YAMLReader.documents(in: .file(path: "/nonexistent/attune.yaml"), limits: .rules)
        }
        #expect(error?.message.contains("cannot open") == true)
    }
}

/// A deterministic generator (SplitMix64) so garbage tests are reproducible.
struct YAMLTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
