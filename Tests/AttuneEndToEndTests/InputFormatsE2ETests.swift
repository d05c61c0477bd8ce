import Foundation
import Testing

/// Records arriving in every format, through the built binary: standard input sniffed or named,
/// folders, CSV with and without a map.
struct InputFormatsE2ETests {
    /// Synthetic sessions: (client, therapist, date, session, attendance, srs, ors).
    static let sessions: [(String, String, String, Int, String, Int?, Int?)] = [
        ("C-1", "T-1", "2026-11-02", 1, "attended", 38, 20), ("C-1", "T-1", "2026-11-09", 2, "attended", 37, 21),
        ("C-1", "T-1", "2026-11-16", 3, "attended", 29, 19), ("C-1", "T-1", "2026-11-23", 4, "no-show", nil, nil),
        ("C-1", "T-1", "2026-11-26", 5, "no-show", nil, nil), ("C-2", "T-2", "2026-11-03", 1, "attended", 36, 22),
        ("C-2", "T-2", "2026-11-10", 2, "attended", 35, 23), ("C-2", "T-2", "2026-11-24", 3, "attended", 35, 24),
        ("C-3", "T-2", "2026-11-05", 1, "attended", 30, 12), ("C-3", "T-2", "2026-11-12", 2, "late-cancel", nil, nil),
        ("C-3", "T-2", "2026-11-19", 3, "no-show", nil, nil), ("C-3", "T-2", "2026-11-25", 4, "attended", 31, 14),
    ]

    /// The sessions in one format, the n-th record at line n + 1, column 1 in each (findings cite
    /// their evidence by line and column, so the layouts agree on where each record is).
    static func text(_ format: String) -> String {
        func fields(json: Bool) -> [String] {
            sessions.map { client, therapist, date, session, attendance, srs, ors in
                let q = json ? "\"" : ""
                var pairs = [
                    "\(q)client\(q): \(q)\(client)\(q)", "\(q)therapist\(q): \(q)\(therapist)\(q)",
                    "\(q)date\(q): \(q)\(date)\(q)", "\(q)session\(q): \(session)",
                    "\(q)attendance\(q): \(q)\(attendance)\(q)",
                ]
                if let srs, let ors { pairs.append("\(q)measures\(q): {\(q)srs\(q): \(srs), \(q)ors\(q): \(ors)}") }
                return "{" + pairs.joined(separator: ", ") + "}"
            }
        }
        switch format {
        case "yaml": return "[\n" + fields(json: false).joined(separator: ",\n") + "\n]\n"
        case "json": return "[\n" + fields(json: true).joined(separator: ",\n") + "\n]\n"
        case "jsonl": return "\n" + fields(json: true).map { $0 + "\n" }.joined()
        default:
            return "client,therapist,date,session,attendance,srs,ors\n"
                + sessions.map { client, therapist, date, session, attendance, srs, ors in
                    [
                        client, therapist, date, String(session), attendance, srs.map(String.init) ?? "",
                        ors.map(String.init) ?? "",
                    ].joined(separator: ",") + "\n"
                }.joined()
        }
    }

    @Test func sameRecordsOnStandardInputGiveByteIdenticalReportsInEveryFormat() throws {
        var reports: [String: String] = [:]
        for format in ["yaml", "json", "jsonl", "csv"] {
            // YAML written as a flow sequence starts with '[' and would sniff as JSON: name it.
            let named = format == "yaml" ? ["--input-format", "yaml"] : []
            let result = try AttuneProcess.run(
                ["review", "-", "--week", "2026-W48", "--format", "json"] + named, input: Self.text(format))
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(format): \(result.stderr)")
            reports[format] = result.stdout
        }
        let yaml = try #require(reports["yaml"])
        #expect(yaml.contains("\"records_read\": 12"))
        #expect(
            yaml.contains("\"file\": \"<stdin>\""), "the report cites evidence, so the formats are compared on findings"
        )
        for format in ["json", "jsonl", "csv"] { #expect(reports[format] == yaml, "\(format) differs from yaml") }
    }

    @Test func standardInputIsSniffed() throws {
        let csv = try AttuneProcess.run(["review", "-", "--format", "json"], input: Self.text("csv"))
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("\"records_read\": 12"))
        let yaml = try AttuneProcess.run(
            ["review", "-", "--format", "json"],
            input: "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}\n")
        #expect(yaml.status == 0, "\(yaml.stderr)")
        #expect(yaml.stdout.contains("\"records_read\": 1"))
    }

    @Test func foldersAndSeveralPaths() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("more/deeper"), withIntermediateDirectories: true)
        try manager.createDirectory(at: folder.appendingPathComponent(".archive"), withIntermediateDirectories: true)
        let lines = Self.text("jsonl").split(separator: "\n").map(String.init)
        try (lines[0...3].joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("a.jsonl"), atomically: true, encoding: .utf8)
        try ("[" + lines[4...7].joined(separator: ",") + "]").write(
            to: folder.appendingPathComponent("more/b.json"), atomically: true, encoding: .utf8)
        try ("- " + lines[8...9].joined(separator: "\n- ") + "\n").write(
            to: folder.appendingPathComponent("more/deeper/c.yml"), atomically: true, encoding: .utf8)
        try "not: [valid".write(
            to: folder.appendingPathComponent(".archive/old.yaml"), atomically: true, encoding: .utf8)
        try "not: [valid".write(to: folder.appendingPathComponent(".hidden.yaml"), atomically: true, encoding: .utf8)
        try "ignored".write(to: folder.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        let extra = try AttuneProcess.temporaryDirectory().appendingPathComponent("extra.csv")
        try ("client,therapist,date,session,attendance\n" + "C-3,T-2,2026-11-25,4,attended\n").write(
            to: extra, atomically: true, encoding: .utf8)

        let result = try AttuneProcess.run(["review", folder.path, extra.path, "--format", "json", "--strict"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"files\": 4"))
        #expect(
            result.stdout.contains("\"records_read\": 11"),
            "4 + 4 + 2 from the folder, 1 from extra.csv; hidden files skipped")
    }

    @Test func csvExampleOfTheReadmeRuns() throws {
        let result = try AttuneProcess.run([
            "review", "Examples/csv/export.csv", "--csv-map", "Examples/csv/map.yaml", "--week", "2026-W48",
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.contains("\"records_left_out\": 0"))
        #expect(result.stdout.contains("\"rule\": "), "the example export should give findings")
    }

    @Test func badInputFormatOrMapIsAUsageError() throws {
        let format = try AttuneProcess.run(["review", "-", "--input-format", "xml"], input: "")
        #expect(format.status == 2)
        #expect(format.stderr.contains("unknown input format 'xml'; use yaml, json, jsonl or csv"))

        let folder = try AttuneProcess.temporaryDirectory()
        let map = folder.appendingPathComponent("map.yaml")
        try "columns:\n  Client: cleint\n".write(to: map, atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["review", "-", "--csv-map", map.path], input: Self.text("csv"))
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "map.yaml:2:11: error: 'cleint' is not a record field, a measure or 'ignore'; did you mean 'client'?"))
        #expect(result.stdout.isEmpty)
    }
}
