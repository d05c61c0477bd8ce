import AttuneCore
import AttuneReporters
import AttuneYAML
import Foundation
import Testing

/// Every way records arrive: YAML sequences and streams, JSON, JSON Lines, CSV, folders, several
/// paths, sniffing; and the same records in each format give the same report.
@Suite("Record formats")
struct RecordFormatsTests {
    typealias Support = RecordsTestSupport

    @Test func yamlSequenceOfMappings() {
        let batch = Support.load(
            """
            - client: C-1
              therapist: T-1
              date: 2026-11-24
              attendance: attended
            - {client: C-2, therapist: T-1, date: 2026-11-25, attendance: no-show}
            """, as: .yaml)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.map(\.client) == ["C-1", "C-2"])
        #expect(batch.records.map(\.source.description) == ["records:1:3", "records:5:3"])
    }

    @Test func yamlStreamOfMappingsAndSequences() {
        let batch = Support.load(
            """
            ---
            {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}
            ---
            - {client: C-2, therapist: T-1, date: 2026-11-24, attendance: attended}
            - {client: C-3, therapist: T-1, date: 2026-11-24, attendance: attended}
            ---
            client: C-4
            therapist: T-1
            date: 2026-11-24
            attendance: cancelled
            """, as: .yaml)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.map(\.client) == ["C-1", "C-2", "C-3", "C-4"])
        #expect(batch.records.last?.source.description == "records:7:1")
    }

    @Test func jsonArrayAndJSONLines() {
        let json = Support.load(
            """
            [{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended", "measures": {"srs": 31}},
             {"client": "C-2", "therapist": "T-1", "date": "2026-11-24", "attendance": "no-show"}]
            """, as: .json)
        #expect(json.errors.isEmpty, "\(json.errors)")
        #expect(json.records.map(\.client) == ["C-1", "C-2"])
        #expect(json.records.first?.measures[0] == 31)

        let lines = Support.load(
            """
            {"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"}

            {"client": "C-2", "therapist": "T-1", "date": "2026-11-24", "attendance": "no-show"}
            """, as: .jsonl)
        #expect(lines.errors.isEmpty, "\(lines.errors)")
        #expect(lines.records.map(\.source.description) == ["records:1:1", "records:3:1"])
    }

    @Test func jsonErrorsCarryLineAndColumn() {
        let json = Support.load(
            """
            [
              {"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"},
              {"client": "C-2", "therapist": "T-1" "date": "2026-11-24"}
            ]
            """, as: .json)
        #expect(json.records.count == 1)
        #expect(
            json.errors.map(\.description) == [
                "records:3:40: error: expected ',' or '}' in object, found '\"' (the rest of this file was not read)"
            ])

        let lines = Support.load(
            """
            {"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"}
            {"client": "C-2", "therapist": "T-1", "date": "2026-11-24", "attendance": attended}
            """, as: .jsonl)
        #expect(lines.records.count == 1)
        #expect(lines.errors.first?.location.description == "records:2:75")

        // A record error inside valid JSON is located at its value, like YAML's.
        let record = Support.load(
            #"[{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attendd"}]"#, as: .json)
        #expect(
            record.errors.map(\.description) == [
                "records:1:76: error: 'attendd' is not a valid attendance (attended, cancelled, late-cancel, no-show); did you mean 'attended'?"
            ])
    }

    /// The list error messages print is the list `forPath` reads: every listed extension has a
    /// format, and a few near misses have none.
    @Test func theListedExtensionsAreTheReadOnes() {
        for ext in RecordFormat.fileExtensions { #expect(RecordFormat.forPath("x." + ext) != nil, "\(ext)") }
        for ext in ["txt", "md", "xlsx", "tsv", "yam", "jsn"] {
            #expect(RecordFormat.forPath("x." + ext) == nil, "\(ext)")
        }
    }

    @Test func formatsByExtensionAndBySniffing() {
        #expect(RecordFormat.forPath("w/2026-W48.yaml") == .yaml)
        #expect(RecordFormat.forPath("x.YML") == .yaml)
        #expect(RecordFormat.forPath("x.json") == .json)
        #expect(RecordFormat.forPath("x.ndjson") == .jsonl)
        #expect(RecordFormat.forPath("export.CSV") == .csv)
        #expect(RecordFormat.forPath("notes.txt") == nil)

        func sniff(_ text: String) -> RecordFormat { RecordFormat.sniff(Array(text.utf8)) }
        #expect(sniff("- client: C-1\n") == .yaml)
        #expect(sniff("---\nclient: C-1\n") == .yaml)
        #expect(sniff("client: C-1, therapist: T-1\n") == .yaml)
        #expect(sniff("# a comment, with a comma\n- a\n") == .yaml)
        #expect(sniff("[\n{\"client\": \"C-1\"}\n]") == .json)
        #expect(sniff("{\"client\": \"C-1\"}\n{\"client\": \"C-2\"}\n") == .jsonl)
        #expect(sniff("client,therapist,date,attendance\nC-1,T-1,2026-11-24,attended\n") == .csv)
        #expect(sniff("\u{FEFF}\"Client ID\";\"Appt Date\"\r\n") == .csv)
        #expect(sniff("Client\tDate\n") == .csv)
        #expect(sniff("") == .yaml)
    }

    @Test func foldersAreReadRecursivelySortedWithHiddenEntriesSkipped() throws {
        let root = try Support.temporaryFolder()
        let record = "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n"
        for path in [
            "b.yaml", "a/c.json", "a/d.jsonl", "e.csv", "a/z/f.yml", ".hidden.yaml", ".git/g.yaml", "a/.h/i.yaml",
            "notes.txt",
        ] {
            try Support.write(record, to: root + "/" + path)
        }
        let files = try RecordLoader.expand([root])
        #expect(files == ["a/c.json", "a/d.jsonl", "a/z/f.yml", "b.yaml", "e.csv"].map { root + "/" + $0 })
        #expect(try RecordLoader.expand([root + "/"]) == files)
    }

    @Test func severalPathsAreReadInTheOrderGiven() throws {
        let root = try Support.temporaryFolder()
        try Support.write(
            "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n", to: root + "/one.yaml")
        try Support.write(
            #"[{"client": "C-2", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended"}]"#,
            to: root + "/more/two.json")
        try Support.write(
            "client,therapist,date,attendance\nC-3,T-1,2026-11-24,attended\n", to: root + "/more/three.csv")
        let batch = try RecordLoader(vocabulary: Support.vocabulary).load(paths: [root + "/one.yaml", root + "/more"])
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.files == [root + "/one.yaml", root + "/more/three.csv", root + "/more/two.json"])
        #expect(batch.records.map(\.client) == ["C-1", "C-3", "C-2"])
        #expect(throws: RecordLoader.InputError.self) {
            try RecordLoader(vocabulary: Support.vocabulary).load(paths: [root + "/absent.yaml"])
        }
    }

    /// CRLF line ends and a byte-order mark change nothing: same records, same locations.
    @Test(arguments: RecordFormat.allCases)
    func crlfAndByteOrderMarkSimplyWork(format: RecordFormat) {
        let records = Support.load(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-24, session: 2, attendance: attended, measures: {srs: 31}, tags: [a, b],
               notes: "two\\nlines"}
            - {client: C-2, therapist: T-1, date: 2026-11-25, attendance: no-show, rupture: {type: mixed, markers: [minimal-response]}}
            """, as: .yaml
        ).records
        #expect(records.count == 2)
        let text = RecordWriter(vocabulary: Support.vocabulary).write(records, as: format)
        let plain = Support.load(text, as: format)
        let windows = Support.load(
            [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), as: format)
        #expect(plain.errors.isEmpty, "\(plain.errors)")
        #expect(windows.errors.isEmpty, "\(windows.errors)")
        #expect(Support.withoutSources(plain.records) == Support.withoutSources(records))
        #expect(windows.records == plain.records)
    }

    /// The example clinic, written in each format and read back, gives byte-identical JSON reports.
    /// Each format puts the n-th record at line n + 1, column 1 (RecordWriter's layout) and the
    /// source has one name, because findings cite their evidence by file, line and column.
    @Test func sameRecordsInEveryFormatGiveByteIdenticalReports() throws {
        let ruleSet = Fixtures.defaultRuleSet
        let clinic = try RecordLoader(vocabulary: ruleSet.vocabulary).load(paths: [
            Fixtures.repositoryRoot + "/Examples/clinic"
        ])
        #expect(clinic.errors.isEmpty, "\(clinic.errors.prefix(3))")
        #expect(clinic.records.count > 100)
        let writer = RecordWriter(vocabulary: ruleSet.vocabulary)
        var request = ReviewRequest(includeNotes: true)
        request.setWeek(Day(isoWeek: "2026-W48")!)
        var reports: [RecordFormat: String] = [:]
        for format in RecordFormat.allCases {
            var batch = RecordBatch()
            RecordLoader(vocabulary: ruleSet.vocabulary).read(
                .bytes(Array(writer.write(clinic.records, as: format).utf8)),
                name: "records", format: format, into: &batch)
            batch.markDuplicates()
            #expect(batch.errors.isEmpty, "\(format): \(batch.errors.prefix(3))")
            #expect(batch.records.count == clinic.records.count)
            let review = ReviewBuilder(ruleSet: ruleSet).build(batch: batch, request: request)
            reports[format] = JSONReporter().render(review, options: ReportOptions())
        }
        let yaml = try #require(reports[.yaml])
        #expect(yaml.contains("\"rule\": \""), "the example clinic should give findings")
        #expect(yaml.contains("\"file\": \"records\""))
        for format in RecordFormat.allCases {
            #expect(reports[format] == yaml, "\(format) differs from yaml")
        }
    }
}
