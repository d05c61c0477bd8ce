import AttuneYAML
import Foundation
import Testing

@testable import AttuneCore

/// The two ways records are read agree: straight from the readers' events
/// (`WellFormedRecordReader`, the fast path) and through each item's `Node` (the general path,
/// which reports errors). Run over the fuzz corpus, the hostile inputs of scripts/hostile-input.sh
/// (at sizes that still cross every limit), every YAML and JSON file of the repository, and
/// records with each field varied through valid and invalid spellings.
@Suite("Record reading paths")
struct RecordReadingPathsTests {
    typealias Support = RecordsTestSupport
    static let today = Day(iso: "2027-01-01")!
    static let formats: [RecordFormat] = [.yaml, .json, .jsonl]

    /// Every input, named.
    static func inputs() throws -> [(name: String, bytes: [UInt8])] {
        var inputs = try FuzzCorpusTests.inputs("records").map { ("fuzz/" + $0.name, $0.bytes) }
        inputs += hostileInputs().map { ("hostile/" + $0.name, $0.bytes) }
        inputs += try repositoryFiles()
        inputs += variedRecords().enumerated().map { ("varied/\($0.offset)", Array($0.element.utf8)) }
        return inputs
    }

    /// The shapes scripts/hostile-input.sh writes, small enough for a unit test.
    static func hostileInputs() -> [(name: String, bytes: [UInt8])] {
        let record = "- client: C-1\n  therapist: T-1\n  date: 2026-11-24\n  attendance: attended\n"
        let brackets = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "\n"
        let big = String(repeating: "x", count: (1 << 20) + 1)
        var generator = YAMLTestRandom(seed: 6)
        let noise = (0..<(64 << 10)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let text: [(String, String)] = [
            ("billion-laughs", HostileInputTests.billionLaughs(after: record)),
            ("nested-brackets", brackets),
            ("big-scalar", record + "- client: " + big + "\n"),
            ("big-scalar-quoted", record + "- client: \"" + big + "\"\n"),
            ("big-scalar-json", "[{\"client\": \"" + big + "\"}]\n"),
            ("truncated", String((record + record + record).dropLast(30))),
            (
                "truncated-json",
                #"[{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "atte"#
            ),
            ("empty-documents", String(repeating: "---\n", count: 2000)),
            ("wide-record", "- client: C-1\n  tags: [" + String(repeating: "a,", count: 12_000) + "a]\n"),
            (
                "wide-record-json",
                "[{\"client\": \"C-1\", \"tags\": [" + String(repeating: "1,", count: 12_000) + "1]}]\n"
            ),
            (
                "many-bad-records",
                String(
                    repeating: "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: maybe}\n", count: 1100)
            ),
            ("crlf", record.replacingOccurrences(of: "\n", with: "\r\n")),
            ("bom", "\u{FEFF}" + record),
        ]
        return text.map { ($0.0, Array($0.1.utf8)) } + [
            ("random", noise),
            ("invalid-utf8", Array(record.utf8) + [0x2D, 0x20, 0x63, 0x3A, 0x20, 0x43, 0xFF, 0xFE, 0x0A]),
            ("invalid-utf8-json", Array(#"[{"client": "C-"#.utf8) + [0xC3, 0x28] + Array(#""}]"#.utf8)),
        ]
    }

    /// Every YAML and JSON file in Examples, Tests and rules: records, packs, tests, reports.
    static func repositoryFiles() throws -> [(name: String, bytes: [UInt8])] {
        var files: [(name: String, bytes: [UInt8])] = []
        for folder in ["Examples", "Tests", "rules"] {
            let root = Fixtures.repositoryRoot + "/" + folder
            let paths = try FolderListing.files(under: root) { path in
                ["yaml", "yml", "json", "jsonl"].contains { path.hasSuffix("." + $0) }
            }
            for path in paths {
                files.append(
                    (folder + "/" + path, Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path)))))
            }
        }
        return files
    }

    /// A valid record with one field given each of many values, valid and not, in YAML and JSON.
    static func variedRecords() -> [String] {
        let base = ["client: C-1", "therapist: T-1", "date: 2026-11-24", "attendance: attended"]
        let yamlValues: [String: [String]] = [
            "client": [
                "C-1", "\"C-1\"", "' C-1'", "''", "~", "null", "\"null\"", "Zoë", "\"C\\u0001\"", "[a]", "{a: 1}",
                "!!str C-1", "&anchor C-1", String(repeating: "x", count: 101), "\"a\u{301}\"",
            ],
            "date": [
                "2026-11-24", "2026-11-24T10:00:00Z", "2026-11-24 10:00", "2026-13-01", "\"2026-11-24\"",
                "2028-01-01", "~", "24/11/2026", "2026-11-24T25:00",
            ],
            "session": [
                "1", "0", "-1", "+3", "007", "1.0", "9007199254740991", "9007199254740992", "12345678901234567",
                "abc", "~", "\"2\"", "1_000",
            ],
            "attendance": ["attended", "no-show", "noshow", "~", "\"attended\"", "[attended]", "Attended"],
            "episode": ["2", "~", "\"\"", "' 2'", "[2]"],
            "measures": [
                "{srs: 31}", "{srs: 31, srs: 32}", "{srs: 41}", "{ssr: 1}", "{srs: ~}", "{srs: 1e1}", "{srs: -0}",
                "{srs: .5}", "{srs: 18.}", "{srs: \"18.5\"}", "{srs: 0.1}", "{srs: 1e-400}", "[]", "~", "{srs: [1]}",
                "{phq9: 27, ors: 0.000000000000001}", "{ors: 39.99999999999999}", "{srs: +5}", "{srs: 0x10}",
                "{srs: 1234567890123456}", "{srs: -0.0}", "{\"srs\": 30}", "{srs: &a 3}", "{srs: 3.14159265358979}",
                // Long enough to overflow a 64-bit mantissa read digit by digit (found by the fuzzer).
                "{ors: 322222222222222222222222222222}", "{srs: -99999999999999999999}",
                "{srs: 0.000000000000000000001}",
            ],
            "rupture": [
                "{type: withdrawal}", "{type: withdrawl}", "{markers: [minimal-response]}",
                "{type: mixed, markers: [minimal-respons]}", "{type: mixed, markers: [minimal-response]}",
                "{type: mixed, intensity: 6}", "{type: mixed, intensity: 3}", "{type: mixed, resolution: ~}",
                "{type: ~}", "{type: mixed, type: mixed}", "{type: mixed, reported_by: client}", "{type: mixed, x: 1}",
                "{type: confrontation, resolution: full, reported_by: observer}", "~", "withdrawal",
            ],
            "repair": ["partial", "full", "yes", "~"],
            "tags": ["[a, b]", "[]", "a", "~", "[a, [b]]", "[\" a\"]", "[a, a]", "[~]"],
            "next_appointment": ["2026-11-30", "2026-11-01", "bad", "~", "2026-11-24"],
            "episode_end": ["planned", "plan", "~"],
            "notes": ["\"hi\"", "''", "~", "{a: b}", "x", "\"x\\ny\"", "[a]"],
            "x-site": ["1", "[a]", "{a: 1}"],
            "unknown": ["1"],
            "attendence": ["attended"],
            "client ": ["C-1"],
        ]
        var records: [String] = []
        for (field, values) in yamlValues.sorted(by: { $0.key < $1.key }) {
            for value in values {
                let fields = base.filter { !$0.hasPrefix(field + ":") } + ["\(field): \(value)"]
                records.append("- {" + fields.joined(separator: ", ") + "}\n")  // flow style
                records.append("- " + fields.joined(separator: "\n  ") + "\n")  // block style
            }
        }
        for missing in base { records.append("- {" + base.filter { $0 != missing }.joined(separator: ", ") + "}\n") }
        records += [
            "- C-1\n", "- [C-1, T-1]\n", "client: C-1\ntherapist: T-1\ndate: 2026-11-24\nattendance: attended\n",
        ]
        records.append(
            "- &r {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n- !!map {client: C-2, therapist: T-1, date: 2026-11-24, attendance: attended}\n"
        )
        let jsonBase = [
            #""client": "C-1""#, #""therapist": "T-1""#, #""date": "2026-11-24""#, #""attendance": "attended""#,
        ]
        let jsonValues: [String: [String]] = [
            "client": [#""C-1""#, "1", "null", "true", #""""#, #""C\u0001""#, #""Zo\u00eb""#, "[]", #"" C-1""#],
            "date": [#""2026-11-24""#, "20261124", "null", #""2026-11-24T10:00:00+01:00""#],
            "session": ["1", "0", "-1", "1.5", "1e2", #""3""#, "null", "9007199254740992", "true"],
            "measures": [
                #"{"srs": 31}"#, #"{"srs": 31.25, "ors": 0}"#, #"{"srs": -0}"#, #"{"srs": 1E1}"#, #"{"srs": null}"#,
                #"{"srs": "30"}"#, #"{"srs": 30, "srs": 31}"#, #"{"s\u0072s": 30}"#, "null", "[]",
                #"{"phq9": 27.000000000000001}"#, #"{"srs": 40.0000000000001}"#,
            ],
            "rupture": [#"{"type": "mixed", "markers": ["minimal-response"], "intensity": 2}"#, #"{"type": null}"#],
            "tags": [#"["a", "b"]"#, "[]", "[1]", #""a""#, "null", #"["a", null]"#],
            "notes": [#""a\"b""#, "null", "1", #""""#],
            "x-site": ["1"],
        ]
        for (field, values) in jsonValues.sorted(by: { $0.key < $1.key }) {
            for value in values {
                let fields = jsonBase.filter { !$0.hasPrefix("\"\(field)\":") } + ["\"\(field)\": \(value)"]
                records.append("{" + fields.joined(separator: ", ") + "}\n")
            }
        }
        return records
    }

    /// The batch `RecordLoader.read` gives, read by one path or the other.
    static func read(_ bytes: [UInt8], _ name: String, _ format: RecordFormat, fromEvents: Bool) -> RecordBatch {
        var loader = RecordLoader(vocabulary: Support.vocabulary)
        loader.today = today
        loader.readsRecordsFromEvents = fromEvents
        var batch = RecordBatch()
        loader.read(.bytes(bytes), name: name, format: format, into: &batch)
        return batch
    }

    static func expectSame(_ fast: RecordBatch, _ general: RecordBatch, _ label: String) {
        #expect(fast.records == general.records, "\(label): records")
        #expect(fast.errors == general.errors, "\(label): \(fast.errors.prefix(3)) against \(general.errors.prefix(3))")
        #expect(fast.errorsNotShown == general.errorsNotShown, "\(label)")
        #expect(fast.itemsRead == general.itemsRead, "\(label)")
        #expect(fast.leftOut == general.leftOut, "\(label)")
        #expect(fast.unreadableFiles == general.unreadableFiles, "\(label)")
    }

    /// The whole read, by both paths: the same records, errors (message, file, line, column) and counts.
    @Test func bothPathsReadEveryInputAlike() throws {
        let inputs = try Self.inputs()
        #expect(inputs.count > 350)
        var recordsRead = 0
        for (name, bytes) in inputs {
            for format in Self.formats {
                let fast = Self.read(bytes, name, format, fromEvents: true)
                let general = Self.read(bytes, name, format, fromEvents: false)
                Self.expectSame(fast, general, "\(name) as \(format)")
                recordsRead += fast.records.count
            }
        }
        #expect(recordsRead > 350)
    }

    /// Item by item: whatever the fast path reads, the general path reads the same, without a
    /// diagnostic; and the fast path reads the plain records of the examples (not all items fall back).
    @Test func theFastPathReadsOnlyWhatTheGeneralPathAccepts() throws {
        let decoder = RecordDecoder(vocabulary: Support.vocabulary, today: Self.today)
        var fastRecords = 0
        var generalRecords = 0
        for (name, bytes) in try Self.inputs() {
            for format in Self.formats {
                let each: (ItemEvents) throws -> Void = { item in
                    var reader = WellFormedRecordReader(decoder)
                    let fast = reader.record(item, file: name)
                    var diagnostics: [Diagnostic] = []
                    let general = decoder.decode(item.node(), file: name, diagnostics: &diagnostics)
                    if let fast {
                        #expect(fast == general && diagnostics.isEmpty, "\(name) as \(format): \(diagnostics)")
                        fastRecords += 1
                    }
                    if general != nil && diagnostics.isEmpty { generalRecords += 1 }
                }
                switch format {
                case .yaml: _ = try? YAMLReader.forEachItemEvents(in: .bytes(bytes), limits: .records, each)
                case .json: _ = try? JSONReader.forEachItemEvents(in: .bytes(bytes), limits: .records, each)
                default: _ = try? JSONReader.forEachLineEvents(in: .bytes(bytes), limits: .records, each)
                }
            }
        }
        #expect(fastRecords > 350)
        #expect(Double(fastRecords) > 0.9 * Double(generalRecords), "\(fastRecords) of \(generalRecords)")
    }

    /// The YAML items' events build the very nodes the node reader builds (content, styles, marks).
    @Test func yamlEventsBuildTheNodesOfTheNodeReader() throws {
        for (name, bytes) in try Self.inputs() {
            var fromEvents: [String] = []
            var fromNodes: [String] = []
            let eventsError = YAMLTestSupport.documentError {
                try YAMLReader.forEachItemEvents(in: .bytes(bytes), limits: .records) {
                    fromEvents.append(Self.shape($0.node()))
                }
            }
            let nodesError = YAMLTestSupport.documentError {
                try YAMLReader.forEachItem(in: .bytes(bytes), limits: .records) { fromNodes.append(Self.shape($0)) }
            }
            #expect(fromEvents == fromNodes, "\(name)")
            #expect(eventsError == nodesError, "\(name)")
        }
    }

    /// Split files read in parts by several parsers agree too.
    @Test func bothPathsReadSplitFilesAlike() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let records = Self.variedRecords().filter { $0.hasPrefix("- ") }
        // Each copy for other clients, so that none is a duplicate of another.
        let text = (0..<20).map { copy in
            records.enumerated().map { $0.element.replacingOccurrences(of: "C-1", with: "C-\(copy)-\($0.offset)") }
                .joined()
        }.joined()
        let path = folder + "/varied.yaml"
        try Support.write(text, to: path)
        var batches: [RecordBatch] = []
        for fromEvents in [true, false] {
            var loader = RecordLoader(vocabulary: Support.vocabulary)
            loader.today = Self.today
            loader.jobs = 2
            loader.splitThreshold = 1 << 10
            loader.maxErrorsPerFile = 100_000
            loader.maxErrors = 100_000
            loader.readsRecordsFromEvents = fromEvents
            batches.append(try loader.load(paths: [path]))
        }
        #expect(batches[0].records.count > 1000)
        Self.expectSame(batches[0], batches[1], "varied.yaml in parts")
    }

    /// A node written out with its marks and styles.
    static func shape(_ node: Node) -> String {
        switch node.content {
        case .scalar(let text, let style): return "\(node.mark)\(style == .plain ? "=" : "'")\(text)"
        case .sequence(let items): return "\(node.mark)[" + items.map(shape).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "\(node.mark){" + pairs.map { shape($0.key) + ":" + shape($0.value) }.joined(separator: ",") + "}"
        }
    }
}
