import Foundation
import Testing

/// Mistakes a new user makes on the first day (a quality pass after issues 10 and 11): each ends
/// in a message that says what to do, never in a quiet report or a bare system error.
struct CommonMistakesE2ETests {
    // A year typo: the week lies before every record, as a week after the data does.

    @Test func aPeriodBeforeTheDataIsAnErrorNamingTheFirstWeek() throws {
        for arguments in [
            ["--week", "2025-W48"], ["--as-of", "2026-08-01"], ["--since", "2025-01-01", "--as-of", "2025-01-31"],
        ] {
            let result = try AttuneProcess.run(["review", "Examples/clinic", "--fail-on", "high"] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr.contains("before the earliest record (2026-09-07): there is no data to review"),
                "\(result.stderr)")
            #expect(result.stderr.contains("the first week with data is --week 2026-W37"), "\(result.stderr)")
        }
        // A period that reaches into the data is reviewed.
        #expect(
            try AttuneProcess.run(["review", "Examples/clinic", "--since", "2026-08-01", "--as-of", "2026-09-07"])
                .status == 0)
    }

    // --output that cannot be written: said before any record is read, with the fix.

    @Test func anOutputThatIsAFolderOrInAMissingFolderIsAUsageError() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let cases: [(String, String)] = [
            (
                folder.path,
                "--output needs a file name, not '\(folder.path)', a folder; name the report file, such as \(folder.path)/review.html"
            ),
            (folder.path + "/", "a folder; name the report file, such as \(folder.path)/review.html"),
            (
                folder.path + "/missing/r.html",
                "the folder \(folder.path)/missing does not exist; create it (mkdir -p \(folder.path)/missing)"
            ),
            ("", "--output needs a file name, not ''; name the report file, such as review.html"),
        ]
        for (output, message) in cases {
            let result = try AttuneProcess.run(["review", "Examples/clinic", "--format", "html", "--output", output])
            #expect(result.status == 2, "\(output): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(output): \(result.stderr)")
            #expect(!result.stderr.contains("cannot write the report"), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let markdown = try AttuneProcess.run([
            "review", "Examples/clinic", "--format", "markdown", "--output", folder.path,
        ])
        #expect(markdown.stderr.contains("such as \(folder.path)/review.md"), "\(markdown.stderr)")
    }

    // Format typos get the format meant.

    @Test func aMistypedFormatSuggestsTheOneMeant() throws {
        for (given, meant) in [("htm", "html"), ("HTML", "html"), ("md", "markdown"), ("jsn", "json")] {
            let result = try AttuneProcess.run(["review", "Examples/clinic", "--format", given])
            #expect(result.status == 2)
            #expect(result.stderr.contains("unknown format '\(given)'; did you mean '\(meant)'?"), "\(result.stderr)")
        }
        let input = try AttuneProcess.run(["review", "Examples/clinic", "--input-format", "ymal"])
        #expect(input.status == 2)
        #expect(input.stderr.contains("unknown input format 'ymal'; did you mean 'yaml'?"), "\(input.stderr)")
    }

    @Test func aUsageErrorPointsToTheHelpOnce() throws {
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--jobs", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error: --jobs must be at least 1"), "\(result.stderr)")
        let pointers = result.stderr.split(separator: "\n").filter {
            $0.contains("--help") || $0.contains("attune help")
        }
        #expect(pointers.count == 1, "\(result.stderr)")
    }

    @Test func aMistypedPathSuggestsTheNearName() throws {
        let records = try AttuneProcess.run(["review", "Examples/clinc"])
        #expect(records.status == 2)
        #expect(
            records.stderr.contains("Examples/clinc: error: no such file or folder; did you mean 'Examples/clinic'?"),
            "\(records.stderr)")
        let pack = try AttuneProcess.run(["review", "Examples/clinic", "--rules", "Examples/custom-rule"])
        #expect(pack.status == 2)
        #expect(
            pack.stderr.contains("no such rule pack folder; did you mean 'Examples/custom-rules'?"), "\(pack.stderr)")
        let far = try AttuneProcess.run(["review", "Examples/zzzzzzzz"])
        #expect(
            far.stderr.contains("Examples/zzzzzzzz: error: no such file or folder")
                && !far.stderr.contains("did you mean"),
            "\(far.stderr)")
    }

    // A mistyped test filter names the rule meant.

    @Test func aTestFilterThatMatchesNothingSuggestsTheRule() throws {
        let result = try AttuneProcess.run(["test", "rules", "--filter", "aliance-drop"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: no test matches --filter 'aliance-drop'"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean 'alliance-drop'?"), "\(result.stderr)")
        #expect(result.stderr.contains("'attune rules' lists the rule ids"), "\(result.stderr)")
    }

    // A practice-management export given without its map.

    @Test func aCSVExportWithoutItsMapGetsOneErrorSayingItNeedsOne() throws {
        let result = try AttuneProcess.run(["review", "Examples/csv/export.csv"])
        #expect(result.status == 2)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains("error:") }
        #expect(errors.count == 2, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "Examples/csv/export.csv:1:1: error: no column of the header ('Appt ID', 'Client ref'"),
            "\(result.stderr)")
        #expect(result.stderr.contains("this export needs a map; give one with --csv-map map.yaml"), "\(result.stderr)")
        #expect(
            result.stderr.contains("error: no session records to review: the 1 file given could not be read"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("holds no records"), "\(result.stderr)")
        #expect(
            try AttuneProcess.run(["review", "Examples/csv/export.csv", "--csv-map", "Examples/csv/map.yaml"]).status
                == 0)
    }

    // Records given where a rule pack goes once gave 2,470 "unknown key" errors.

    @Test func recordsGivenAsARulePackAreOneErrorSayingWhereTheyGo() throws {
        for arguments in [["review", "Examples/clinic", "--rules", "Examples/clinic"], ["lint", "Examples/clinic"]] {
            let result = try AttuneProcess.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr.contains(
                    "Examples/clinic/pack.yaml:1:1: error: 'Examples/clinic' holds session records, not rule modules "
                        + "(no pack.yaml; 204 records, the first at Examples/clinic/2026-W37.yaml:6:3)"),
                "\(result.stderr)")
            #expect(result.stderr.contains("give records to 'attune review RECORDS'"), "\(result.stderr)")
            #expect(!result.stderr.contains("unknown key"), "\(result.stderr)")
        }
        // A rule folder that only lacks pack.yaml still has every rule checked.
        let pack = try AttuneProcess.temporaryDirectory()
        try "id: site-x\ntitle: X\nseverity: low\nkind: threshold\nmatch: measures.srs < 3\nmesage: x\n"
            .write(to: pack.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        let lint = try AttuneProcess.run(["lint", pack.path])
        #expect(lint.stderr.contains("rule pack has no pack.yaml"), "\(lint.stderr)")
        #expect(lint.stderr.contains("unknown key 'mesage'"), "\(lint.stderr)")
    }

    @Test func aRulePackGivenAsRecordsIsOneErrorSayingWhereItGoes() throws {
        for arguments in [
            ["review", "rules"], ["review", "Examples/clinic", "Examples/custom-rules"],
            ["explain", "alliance-drop", "Examples/custom-rules/pack.yaml", "--client", "C-1"],
        ] {
            let result = try AttuneProcess.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr.contains(
                    "is a rule pack (it holds pack.yaml), not session records: give it with --rules "),
                "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    @Test func recordErrorsAreListedInFileOrder() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        try """
        - client: C-1
          date: 2026-11-01
          attendance: maybe
        - {client: C-2, therapist: T-1, date: 2026-11-02, attendance: attended}
        """.write(to: folder.appendingPathComponent("week.yaml"), atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["review", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let missing = try #require(
            lines.firstIndex { $0.contains("week.yaml:1:3: error: missing required field 'therapist'") }, "\(lines)")
        let value = try #require(
            lines.firstIndex { $0.contains("week.yaml:3:15: error: 'maybe' is not a valid attendance") }, "\(lines)")
        #expect(missing < value)
    }

    // explain on a file whose records are all rejected says so, not "no records for client".

    @Test func explainOnRecordsThatAreAllRejectedSaysSo() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        try "- {client: C-1, therapist: T-1, date: 2026-03-02, attendance: atended}\n"
            .write(to: folder.appendingPathComponent("week.yaml"), atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["explain", "alliance-drop", folder.path, "--client", "C-1"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("week.yaml:1:63: error: 'atended' is not a valid attendance"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "error: no session records to explain: the 1 record in the 1 file read was left out"),
            "\(result.stderr)")
        #expect(!result.stderr.contains("no records for client"), "\(result.stderr)")
    }
}
