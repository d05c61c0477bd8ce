import Testing

@testable import AttuneYAML

@Suite("DocumentFormat")
struct DocumentFormatTests {
    private func sniff(_ text: String, bom: Bool = false) -> DocumentFormat {
        DocumentFormat.sniff((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
    }

    @Test func sniffsJSON() {
        #expect(sniff("[1, 2]") == .json)
        #expect(sniff("  \n{\n  \"a\": 1\n}\n") == .json)
        #expect(sniff("{\"a\": 1}", bom: true) == .json)
        #expect(sniff("{\"a\": 1}\n") == .json)
        #expect(sniff("[{\"a\": 1}]\n[{\"a\": 2}]\n") == .json)
        // The first line holds an object but continues after it: not JSON Lines.
        #expect(sniff("{\"a\": 1}, {\"b\": 2}\n{\"c\": 3}") == .json)
    }

    @Test func sniffsJSONLines() {
        #expect(sniff("{\"a\": 1}\n{\"a\": 2}\n") == .jsonl)
        #expect(sniff("{\"a\": \"}{\\\"\"}\r\n\r\n  {\"a\": 2", bom: true) == .jsonl)
        #expect(sniff("{\"a\": {\"b\": [1]}}  \n{") == .jsonl)
    }

    @Test func sniffsYAML() {
        #expect(sniff("") == .yaml)
        #expect(sniff("   \n") == .yaml)
        #expect(sniff("- a\n- b\n") == .yaml)
        #expect(sniff("---\n{a: 1}\n") == .yaml)
        #expect(sniff("# {\"a\": 1}\n") == .yaml)
        #expect(sniff("key: [1]", bom: true) == .yaml)
    }

    @Test func formatForPath() {
        #expect(DocumentFormat.forPath("a/b/sessions.yaml") == .yaml)
        #expect(DocumentFormat.forPath("sessions.YML") == .yaml)
        #expect(DocumentFormat.forPath("x.json") == .json)
        #expect(DocumentFormat.forPath("/tmp/x.jsonl") == .jsonl)
        #expect(DocumentFormat.forPath("x.ndjson") == .jsonl)
        #expect(DocumentFormat.forPath("x.txt") == nil)
        #expect(DocumentFormat.forPath("yaml") == nil)
        #expect(DocumentFormat.forPath(".yaml") == nil)
        #expect(DocumentFormat.forPath("dir.json/file") == nil)
        #expect(DocumentFormat.allCases.map(\.rawValue) == ["yaml", "json", "jsonl"])
    }
}
