import Foundation
import Testing

/// Input built to hang or blow up the review, through the built binary: each case ends with the
/// report or a located error (scripts/hostile-input.sh runs the full sizes and measures them).
struct BoundsE2ETests {
    static let record = "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 30}}\n"

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    // MARK: 7. Long values

    @Test func anIdPastOneHundredCharactersIsAnErrorThatDoesNotEchoIt() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let long = String(repeating: "c", count: 320_000)
        let path = try Self.write(
            Self.record + Self.record.replacingOccurrences(of: "C-1", with: long), "ids.yaml", in: folder)
        let result = try AttuneProcess.run(["review", path, "--as-of", "2026-11-29"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("ids.yaml:2:12: error: client is 320000 characters long; at most 100 are allowed"),
            "\(result.stderr.prefix(300))")
        #expect(result.stderr.utf8.count < 1_000, "the id is not echoed")
        #expect(result.stdout.contains("C-1"))
    }

    @Test func aOneMegabyteNoteIsWrappedToTheWidthWithNothingLost() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let note = String(repeating: "x", count: 1_000_000)
        let path = try Self.write(
            "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 30}, notes: \(note)}\n",
            "note.yaml", in: folder)
        let result = try AttuneProcess.run(["review", path, "--as-of", "2026-11-29", "--include-notes"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 })
        let unwrapped = result.stdout.filter { !$0.isWhitespace }
        #expect(unwrapped.contains(note), "the note, wrapped, is whole")
    }

    // MARK: 8. Standard input

    /// A stream is read in chunks, never whole; an error far into it is located exactly as in
    /// the file (the reader keeps the last few megabytes to find it).
    @Test func anErrorFarIntoStandardInputIsLocatedAsInTheFile() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let comment = "# " + String(repeating: "c", count: 1_000) + "\n"
        var text = ""
        for index in 0..<24 {
            text += Self.record.replacingOccurrences(of: "C-1", with: "C-\(index)")
            text += String(repeating: comment, count: 1_000)
        }
        text += "- client: C-\u{7}\n"
        let path = try Self.write(text, "deep.yaml", in: folder)
        let fromFile = try AttuneProcess.run(["review", path, "--as-of", "2026-11-29", "--format", "json"])
        let fromStdin = try AttuneProcess.run(
            ["review", "-", "--as-of", "2026-11-29", "--format", "json"], input: text)
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        let error = "24025:13: error: control characters are not allowed (#07) (the rest of this file was not read)"
        #expect(fromFile.stderr.contains("deep.yaml:" + error), "\(fromFile.stderr)")
        #expect(fromStdin.stderr.contains("<stdin>:" + error), "\(fromStdin.stderr)")
        #expect(fromStdin.stdout == fromFile.stdout.replacingOccurrences(of: path, with: "<stdin>"), "the same report")
        #expect(
            fromStdin.stdout.contains("\"records_read\": 23"),
            "the last record before the error is lost with it, as in a file")
    }

    // MARK: 9. Special files in folders

    @Test func aFIFOInARecordsFolderIsSkippedWithAWarning() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        _ = try Self.write(Self.record, "records/a.yaml", in: folder)
        let fifo = folder.appendingPathComponent("records/b.yaml").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try AttuneProcess.run(
            ["review", "records", "--as-of", "2026-11-29", "--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("records/b.yaml:1:1: warning: skipped: a FIFO (named pipe), not a regular file"),
            "\(result.stderr)")
        #expect(result.stdout.contains("\"records_read\": 1"))
    }

    /// A week exported as a spreadsheet is not a quiet week: each is named, in the review too.
    @Test func aSpreadsheetInARecordsFolderIsNamedInAWarning() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        _ = try Self.write(Self.record, "records/a.yaml", in: folder)
        _ = try Self.write("PK not really a workbook", "records/week 48.xlsx", in: folder)
        let result = try AttuneProcess.run(
            ["review", "records", "--as-of", "2026-11-29", "--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let warning =
            "records/week 48.xlsx:1:1: warning: skipped: a spreadsheet, which attune does not read; save each as CSV"
        #expect(result.stderr.contains(warning), "\(result.stderr)")
        #expect(result.stdout.contains("skipped: a spreadsheet, which attune does not read"), "\(result.stdout)")
        #expect(result.stdout.contains("\"records_read\": 1"))

        let onlySheets = try AttuneProcess.temporaryDirectory()
        _ = try Self.write("PK", "export.xlsx", in: onlySheets)
        let none = try AttuneProcess.run(["review", onlySheets.path])
        #expect(none.status == 2)
        #expect(
            none.stderr.contains(
                "no record files in this folder (looked for *.yaml, *.yml, *.json, *.jsonl, *.ndjson, *.csv, in subfolders too; hidden ones skipped); it holds 1 spreadsheet(s) (export.xlsx), which attune does not read: save each as CSV"
            ), "\(none.stderr)")
    }

    // MARK: 11, 12. Packs

    static func pack(_ rules: String) throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        _ = try write("name: site\nversion: 0.1.0\n", "pack.yaml", in: folder)
        _ = try write(rules, "rules.yaml", in: folder)
        return folder
    }

    static func caseload(_ id: Int, reads input: Int) -> String {
        "- {id: r\(id), title: R\(id), severity: low, kind: caseload, params: {rules: [r\(input)], at_least: 1}, message: m}\n"
    }

    @Test func aThousandRuleChainIsALintErrorAndStopsTheReviewAtOnce() throws {
        let base =
            "- {id: r0, title: R0, severity: low, kind: threshold, match: \"attendance == 'attended'\", message: m}\n"
        let pack = try Self.pack(
            base + stride(from: 1_000, through: 1, by: -1).map { Self.caseload($0, reads: $0 - 1) }.joined())
        let lint = try AttuneProcess.run(["lint", pack.path])
        #expect(lint.status == 1)
        #expect(lint.stderr.contains("error: rule 'r17' reads findings 17 levels deep"), "\(lint.stderr.prefix(500))")
        let records = try Self.write(Self.record, "records.yaml", in: pack)
        let review = try AttuneProcess.run(["review", records, "--no-default-rules", "--rules", pack.path])
        #expect(review.status == 2)
        #expect(review.stderr.contains("the rule packs have errors"))
    }

    @Test func aTwentyThousandRuleCycleIsALintErrorNotACrash() throws {
        let pack = try Self.pack((0..<20_000).map { Self.caseload($0, reads: ($0 + 1) % 20_000) }.joined())
        let lint = try AttuneProcess.run(["lint", pack.path])
        #expect(lint.status == 1, "\(lint.stderr.suffix(300))")
        #expect(
            lint.stderr.contains(
                "rules read each other's findings in a cycle: r0 → r1 → r2 → r3 → r4 → … 19994 more … → r19999 → r0"))
    }

    @Test func aMessageOfAHundredThousandPlaceholdersIsALintError() throws {
        let message = String(repeating: "{client}", count: 100_000)
        let pack = try Self.pack(
            "- {id: p, title: P, severity: low, kind: threshold, match: \"attendance == 'attended'\", message: \"\(message)\"}\n"
        )
        let lint = try AttuneProcess.run(["lint", pack.path])
        #expect(lint.status == 1)
        #expect(
            lint.stderr.contains("rules.yaml:1:97: error: message has 100000 placeholders; at most 32 are allowed"),
            "\(lint.stderr.prefix(300))")
    }

    // MARK: 13. CSV maps

    @Test func aCSVMapOfTenThousandOverridesIsRefusedAndAThousandApplyInMapOrder() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let columns =
            "columns: {client: client, therapist: therapist, date: date, attendance: attendance, code: ignore}\noverrides:\n"
        func overrides(_ codes: Range<Int>) -> String {
            codes.map {
                "  - {when: {code: \"\($0)\"}, set: {attendance: \($0 == codes.upperBound - 1 ? "no-show" : "cancelled")}}\n"
            }.joined()
        }
        let big = try Self.write(columns + overrides(0..<10_000), "big.yaml", in: folder)
        let small = try Self.write(columns + overrides(0..<1_000), "small.yaml", in: folder)
        var csv = "client,therapist,date,attendance,code\n"
        for row in 0..<2_000 { csv += "C-\(row),T-1,2026-11-24,attended,\(row)\n" }
        let export = try Self.write(csv, "export.csv", in: folder)
        let refused = try AttuneProcess.run(["review", export, "--csv-map", big, "--as-of", "2026-11-29"])
        #expect(refused.status == 2)
        #expect(
            refused.stderr.contains("big.yaml:3:3: error: overrides has 10000 entries; a CSV map has at most 1000"),
            "\(refused.stderr)")
        let applied = try AttuneProcess.run([
            "review", export, "--csv-map", small, "--as-of", "2026-11-29", "--strict", "--format", "json",
        ])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("\"records_read\": 2000"))
    }

    // MARK: 14. Errors across the whole input

    @Test func errorsAreCappedAcrossFilesAndTheRestCounted() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let bad = String(repeating: "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: maybe}\n", count: 50)
        for file in 0..<30 {
            _ = try Self.write(
                Self.record.replacingOccurrences(of: "C-1", with: "C-\(file + 100)") + bad, "records/\(file).yaml",
                in: folder)
        }
        let result = try AttuneProcess.run(
            ["review", "records", "--as-of", "2026-11-29", "--format", "json", "--jobs", "2"], directory: folder)
        #expect(result.status == 0, "\(result.stderr.suffix(300))")
        let errorLines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errorLines.count == 1_000)
        #expect(result.stderr.contains("note: 500 more record errors not shown (only the first 1000 are kept)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["record_errors"] as? [Any])?.count == 1_000)
        #expect((json["data_quality"] as? [String: Any])?["errors_not_shown"] as? Int == 500)
        #expect((json["census"] as? [String: Any])?["records_left_out"] as? Int == 1_500)
        let strict = try AttuneProcess.run(
            ["review", "records", "--as-of", "2026-11-29", "--strict"], directory: folder)
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("error: 1500 record errors under --strict; no report written"))
    }
}
