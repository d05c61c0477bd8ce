import AttuneCore
import AttuneYAML
import Foundation
import Testing

/// Hostile input ends in a located error, never a crash, a hang or a stack overflow. Sizes here
/// are small but past every limit; scripts/hostile-input.sh measures the full-size files
/// (64 MB scalar, 1,000,000 empty documents) for time and memory.
@Suite("Hostile input")
struct HostileInputTests {
    typealias Support = RecordsTestSupport

    static let record = "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n"

    /// The one error of reading `bytes`, as `file:line:column: error: message`.
    static func errors(_ bytes: [UInt8], _ format: RecordFormat) -> [String] {
        Support.load(bytes, as: format, name: "h").errors.map(\.description)
    }

    static func errors(_ text: String, _ format: RecordFormat) -> [String] {
        errors(Array(text.utf8), format)
    }

    /// A record, then nine levels of ten aliases each (scripts/hostile-input.sh's billion-laughs.yaml).
    static func billionLaughs(after record: String) -> String {
        var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
        for level in 1..<10 {
            let previous = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(level - 1)))
            let name = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(level)))
            lines.append(
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ",") + "]")
        }
        return record + "- " + lines.joined(separator: "\n  ") + "\n"
    }

    @Test func billionLaughs() {
        let bomb = Self.billionLaughs(after: Self.record)
        #expect(
            Self.errors(bomb, .yaml) == [
                "h:3:10: error: aliases are not allowed in record files (the rest of this file was not read)"
            ])
        // Where aliases are allowed (rule packs), the expansion budget stops it at the alias that crosses it.
        #expect(throws: DocumentError.self) { try YAMLReader.documents(in: .bytes(Array(bomb.utf8)), limits: .rules) }
        do {
            _ = try YAMLReader.documents(in: .bytes(Array(bomb.utf8)), limits: .rules)
        } catch let error as DocumentError {
            #expect(error.message == "aliases expand to more than 10000 nodes")
            #expect(error.mark.line >= 4)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: RecordFormat.allCases)
    func hundredThousandNestedBrackets(format: RecordFormat) {
        let brackets = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let errors = Self.errors(brackets, format)
        switch format {
        case .csv:
            // A header of one column called "[[[…": not a field, and longer than any name.
            #expect(errors.count == 1)
            #expect(errors.first?.hasPrefix("h:1:1: error: ") == true)
        default:
            #expect(errors == ["h:1:65: error: nesting deeper than 64 levels (the rest of this file was not read)"])
        }
        let braces = String(repeating: "{\"a\": ", count: 100_000)
        #expect(
            Self.errors(braces, .json) == [
                "h:1:385: error: nesting deeper than 64 levels (the rest of this file was not read)"
            ])
        let block = (0..<200).map { String(repeating: " ", count: $0 * 2) + "- x:\n" }.joined()
        #expect(Self.errors(block, .yaml).first?.contains("nesting deeper than 64 levels") == true)
    }

    @Test func scalarsOverOneMebibyte() throws {
        let twoMiB = String(repeating: "x", count: 2 << 20)
        #expect(
            Self.errors(Self.record + "- client: " + twoMiB + "\n", .yaml) == [
                "h:2:11: error: scalar longer than 1048576 bytes (the rest of this file was not read)"
            ])
        #expect(
            Self.errors(#"[{"client": ""# + twoMiB + #""}]"#, .json) == [
                "h:1:13: error: scalar longer than 1048576 bytes (the rest of this file was not read)"
            ])
        #expect(
            Self.errors("{\"notes\": \"" + twoMiB + "\"}\n", .jsonl) == [
                "h:1:11: error: scalar longer than 1048576 bytes (the rest of this file was not read)"
            ])
        #expect(
            Self.errors("client,notes\nC-1,\"" + twoMiB + "\"\n", .csv) == [
                "h:2:5: error: cell longer than 1048576 bytes (the rest of this file was not read)"
            ])

        // Past libyaml's read budget: stopped before libyaml holds the whole token, from a file and from bytes.
        let nineMiB = String(repeating: "y", count: 9 << 20)
        let plain = Self.record + "- client: \"" + nineMiB + "\"\n"
        let expected =
            "h:2:11: error: a scalar (or comment) longer than 1048576 bytes (the rest of this file was not read)"
        #expect(Self.errors(plain, .yaml) == [expected])
        let folder = try Support.temporaryFolder()
        try Support.write(plain, to: folder + "/big.yaml")
        let batch = try RecordLoader(vocabulary: Support.vocabulary).load(paths: [folder + "/big.yaml"])
        #expect(
            batch.errors.map(\.description) == [expected.replacingOccurrences(of: "h:", with: folder + "/big.yaml:")])
        #expect(batch.records.count == 1)
        #expect(
            Self.errors(Self.record + "# " + nineMiB + "\n", .yaml) == [
                "h:2:1: error: a scalar (or comment) longer than 1048576 bytes (the rest of this file was not read)"
            ])
    }

    /// Deterministic noise: the same bytes every run.
    static func noise(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    @Test(arguments: RecordFormat.allCases)
    func randomBinary(format: RecordFormat) {
        for seed in 1...20 as ClosedRange<UInt64> {
            let batch = Support.load(Self.noise(count: 64 << 10, seed: seed), as: format, name: "h")
            #expect(!batch.errors.isEmpty, "seed \(seed)")
            #expect(
                batch.errors.allSatisfy { $0.location.line >= 1 && $0.location.column >= 1 },
                "seed \(seed): \(batch.errors.prefix(2))")
        }
    }

    @Test func invalidUTF8() {
        #expect(
            Self.errors(Array(Self.record.utf8) + Array("- client: C-".utf8) + [0xFF, 0xFE] + Array("\n".utf8), .yaml)
                == ["h:2:13: error: invalid leading UTF-8 octet (#FF) (the rest of this file was not read)"])
        #expect(
            Self.errors(Array(#"[{"client": "C-"#.utf8) + [0xC3, 0x28] + Array(#""}]"#.utf8), .json)
                == ["h:1:16: error: invalid UTF-8 in string (the rest of this file was not read)"])
        #expect(
            Self.errors(
                Array(
                    "{\"client\": \"C-1\", \"therapist\": \"T-1\", \"date\": \"2026-11-24\", \"attendance\": \"attended\"}\n{\"client\": \""
                        .utf8)
                    + [0xED, 0xA0, 0x80] + Array("\"}\n".utf8), .jsonl)
                == ["h:2:13: error: invalid UTF-8 in string (the rest of this file was not read)"])
        #expect(
            Self.errors(Array("client,notes\nC-1,ab".utf8) + [0xE2, 0x28, 0xA1], .csv)
                == [
                    "h:2:7: error: invalid UTF-8 in a cell (the file must be UTF-8) (the rest of this file was not read)"
                ])
        // Overlong encoding of '/', a classic filter bypass.
        #expect(
            Self.errors(Array("client,notes\nC-1,".utf8) + [0xC0, 0xAF], .csv).first?.hasPrefix(
                "h:2:5: error: invalid UTF-8") == true)
    }

    @Test func truncatedFiles() {
        let three = ["C-1", "C-2", "C-3"].map { Self.record.replacingOccurrences(of: "C-1", with: $0) }.joined()
        let yaml = Support.load(String(three.dropLast(30)), as: .yaml, name: "h")
        #expect(yaml.records.map(\.client) == ["C-1", "C-2"])
        #expect(
            yaml.errors.map(\.description) == [
                "h:4:1: error: while parsing a flow mapping, did not find expected ',' or '}' (the rest of this file was not read)"
            ])
        #expect(
            Self.errors(#"[{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "atte"#, .json)
                == ["h:1:76: error: unterminated string (the rest of this file was not read)"])
        #expect(
            Self.errors(#"[{"client": "C-1", "#, .json) == [
                "h:1:20: error: expected a string key in object, found end of input (the rest of this file was not read)"
            ])
        #expect(
            Self.errors("{\"client\": \"C-1\"", .jsonl) == [
                "h:1:17: error: expected ',' or '}' in object, found end of input (the rest of this file was not read)"
            ])
        #expect(
            Self.errors("client,therapist,date,attendance\nC-1,T-1,2026-11-24,\"atte", .csv)
                == [
                    "h:2:20: error: unterminated quoted cell (the file ends inside it) (the rest of this file was not read)"
                ])
        #expect(
            Self.errors("client,therapist,date,attendance\nC-1,T-1,2026-1", .csv)
                == ["h:2:1: error: this row has 3 cells, the header has 4 (row 2)"])
    }

    @Test func manyEmptyDocuments() {
        #expect(
            Self.errors(String(repeating: "---\n", count: 10_000), .yaml) == [
                "h:1:1: error: no session records in this file"
            ])
        let batch = Support.load(String(repeating: "---\n", count: 10_000) + Self.record, as: .yaml)
        #expect(batch.records.count == 1 && batch.errors.isEmpty)
    }

    @Test func oneItemWithTooManyValues() {
        let tags = Array(repeating: "a", count: 20_000).joined(separator: ",")
        #expect(
            Self.errors("- {client: C-1, tags: [" + tags + "]}\n", .yaml)
                == ["h:1:20012: error: more than 10000 values in one item (the rest of this file was not read)"])
        let numbers = Array(repeating: "1", count: 20_000).joined(separator: ",")
        #expect(
            Self.errors(#"[{"client": "C-1", "tags": ["# + numbers + "]}]", .json)
                == ["h:1:20021: error: more than 10000 values in one item (the rest of this file was not read)"])
        #expect(
            Self.errors("{\"tags\": [" + numbers + "]}\n", .jsonl).first?.contains("more than 10000 values in one item")
                == true)
        let cells = Array(repeating: "x", count: 20_000).joined(separator: ",")
        #expect(
            Self.errors(cells + "\n", .csv) == [
                "h:1:1: error: row 1 has more than 10000 cells (the rest of this file was not read)"
            ])
    }

    @Test func controlCharactersAndNulBytes() {
        #expect(
            Self.errors(Self.record + "- client: C-\u{0}1\n", .yaml) == [
                "h:2:13: error: control characters are not allowed (#00) (the rest of this file was not read)"
            ])
        #expect(
            Self.errors("[{\"client\": \"C-\u{1}\"}]", .json) == [
                "h:1:16: error: control character in string (must be escaped) (the rest of this file was not read)"
            ])
    }

    /// CRLF and a BOM are not hostile: they must simply work (also covered per format in RecordFormatsTests).
    @Test func crlfAndBOMFilesWork() {
        let crlf = Support.load(
            Self.record.replacingOccurrences(of: "\n", with: "\r\n")
                + Self.record.replacingOccurrences(of: "C-1", with: "C-2"), as: .yaml)
        #expect(crlf.errors.isEmpty && crlf.records.map(\.source.line) == [1, 2])
        let bom = Support.load([0xEF, 0xBB, 0xBF] + Array(Self.record.utf8), as: .yaml)
        #expect(bom.errors.isEmpty && bom.records.first?.source.description == "records:1:3")
    }
}
