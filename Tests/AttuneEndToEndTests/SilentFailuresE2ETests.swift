import Foundation
import Testing

/// Mistakes that once printed what looked like a quiet, correct week (issue 11): each is now an
/// error or a warning, checked on the built binary.
struct SilentFailuresE2ETests {
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    // 1. A filter that matches nothing.

    @Test func aTherapistFilterThatMatchesNobodyIsAnErrorWithASuggestion() throws {
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--therapist", "T-3"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains("error: no records for therapist 'T-3' (--therapist); did you mean 'T-03'?"),
            "\(result.stderr)")
        let fine = try AttuneProcess.run(["review", "Examples/clinic", "--therapist", "T-03", "--format", "json"])
        #expect(fine.status == 0)
        #expect((try Self.json(fine.stdout)["findings"] as? [Any])?.isEmpty == false)
    }

    @Test func explainsClientAndEpisodeFiltersThatMatchNothingAreErrors() throws {
        let client = try AttuneProcess.run(["explain", "alliance-drop", "Examples/clinic", "--client", "C-109"])
        #expect(client.status == 2)
        #expect(client.stderr.contains("no records for client 'C-109'; did you mean"), "\(client.stderr)")
        let episode = try AttuneProcess.run([
            "explain", "alliance-drop", "Examples/clinic", "--client", "C-1006", "--episode", "3",
        ])
        #expect(episode.status == 2)
        #expect(episode.stderr.contains("client C-1006 has no episode '3' (episodes: 1, 2)"), "\(episode.stderr)")
    }

    @Test func explainingAClientBeforeTheirFirstRecordIsAnError() throws {
        let result = try AttuneProcess.run([
            "explain", "alliance-drop", "Examples/clinic", "--client", "C-1009", "--as-of", "2026-08-01",
        ])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "client C-1009 has no records up to the as-of date 2026-08-01; their records run from 2026-09-08"),
            "\(result.stderr)")
    }

    @Test func explainingPastTheDataWarnsAndStopsAtTheLatestRecord() throws {
        let result = try AttuneProcess.run([
            "explain", "disengagement-gap", "Examples/clinic", "--client", "C-1015", "--as-of", "2026-12-20",
        ])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains("warning: the data ends on 2026-11-27, before --as-of 2026-12-20"),
            "\(result.stderr)")
        #expect(result.stdout.contains("46 days without an attended appointment"), "\(result.stdout)")
    }

    @Test func aSitePackThatSwitchesOffAnUnknownRuleIsShownInTheReview() throws {
        let pack = try Self.folder([
            "pack.yaml": "name: site\nversion: 0.1.0\n", "off.yaml": "{id: possible-maskng, enabled: false}\n",
        ])
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--rules", pack.path])
        #expect(result.status == 0)
        #expect(
            result.stderr.contains(
                "off.yaml:1:6: warning: switches off rule 'possible-maskng', which no earlier pack defines; did you mean 'possible-masking'?"
            ),
            "\(result.stderr)")
    }

    @Test func aCSVMapThatAppliesToNothingIsAnError() throws {
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--csv-map", "Examples/csv/map.yaml"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "error: --csv-map Examples/csv/map.yaml is given, but none of the 12 record files is CSV"),
            "\(result.stderr)")
        let csv = try AttuneProcess.run([
            "review", "Examples/csv/export.csv", "--csv-map", "Examples/csv/map.yaml", "--week", "2026-W48",
        ])
        #expect(csv.status == 0, "\(csv.stderr)")
    }

    // 2. Where the data ends.

    @Test func aPeriodAfterTheDataIsAnErrorNamingTheLatestRecord() throws {
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--week", "2026-W53"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains("the period starts on 2026-12-28, after the latest record (2026-11-27)"),
            "\(result.stderr)")
        #expect(result.stderr.contains("--week 2026-W48"))
    }

    @Test func aSinceAfterTheLatestRecordSaysThatIsTheAsOfDate() throws {
        let result = try AttuneProcess.run(["review", "Examples/clinic", "--since", "2026-12-01"])
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "--since 2026-12-01 is after the as-of date 2026-11-27 (the latest record, which is the as-of date"),
            "\(result.stderr)")
    }

    @Test func everyFormatStatesWhereTheDataEnds() throws {
        for (format, expected) in [
            ("text", "data ends 2026-11-27"), ("markdown", "**data ends:** 2026-11-27"),
            ("html", "<dt>Data ends</dt><dd>2026-11-27</dd>"), ("json", "\"data_end\":\"2026-11-27\""),
            ("csv", ",2026-11-29,2026-11-27,"),
        ] {
            let result = try AttuneProcess.run(["review", "Examples/clinic", "--week", "2026-W48", "--format", format])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.replacingOccurrences(of: "\": \"", with: "\":\"").contains(expected), "\(format)")
        }
    }

    @Test func anAsOfLongAfterTheDataIsAWarningInTheHeaderAndOnStandardError() throws {
        let result = try AttuneProcess.run([
            "review", "Examples/clinic", "--since", "2026-11-23", "--as-of", "2026-12-06",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains("warning: The data ends on 2026-11-27, 9 days before the as-of date 2026-12-06"),
            "\(result.stderr)")
        let header = result.stdout.components(separatedBy: "\n\n")[0]
        #expect(header.contains("Warning: The data ends on 2026-11-27"), "\(header)")
        let json = try Self.json(
            try AttuneProcess.run([
                "review", "Examples/clinic", "--since", "2026-11-23", "--as-of", "2026-12-06",
                "--format", "json",
            ]).stdout)
        #expect((json["warnings"] as? [String])?.first?.hasPrefix("The data ends on 2026-11-27") == true)
        // Seven days after the data is an ordinary review.
        let week = try AttuneProcess.run(["review", "Examples/clinic", "--week", "2026-W48"])
        #expect(week.stderr.isEmpty, "\(week.stderr)")
    }

    @Test func gapFindingsNeverRunPastTheEndOfTheData() throws {
        // The last record is 2026-03-02; an as-of 40 days on would count 40 days without data as a gap.
        let records = """
            - {client: C-1, therapist: T-1, date: 2026-02-02, attendance: attended}
            - {client: C-2, therapist: T-1, date: 2026-03-02, attendance: attended}
            """
        let folder = try Self.folder(["week.yaml": records])
        let result = try AttuneProcess.run([
            "review", folder.appendingPathComponent("week.yaml").path, "--since", "2026-03-01",
            "--as-of", "2026-04-11", "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let findings = try #require(try Self.json(result.stdout)["findings"] as? [[String: Any]])
        let gaps = findings.filter { ($0["rule"] as? String) == "disengagement-gap" }
        #expect(gaps.allSatisfy { ($0["subject"] as? [String: String])?["client"] == "C-1" }, "\(gaps)")
        for gap in gaps {
            let message = gap["message"] as? String ?? ""
            #expect(message.contains("28 days without an attended appointment"), "\(message)")
        }
    }

    // 3. No records to review.

    @Test func anEmptyFolderOrOneWithoutRecordFilesIsAnError() throws {
        let empty = try AttuneProcess.temporaryDirectory()
        let notes = try Self.folder(["notes.txt": "not records\n"])
        for folder in [empty, notes] {
            for strict in [[], ["--strict"]] {
                let result = try AttuneProcess.run(["review", folder.path] + strict)
                #expect(result.status == 2)
                #expect(result.stdout.isEmpty)
                #expect(
                    result.stderr.contains("\(folder.path): error: no record files in this folder (looked for *.yaml"),
                    "\(result.stderr)")
            }
        }
    }

    @Test func aFolderGivenAsASymbolicLinkIsRead() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let link = folder.appendingPathComponent("records")
        try FileManager.default.createSymbolicLink(
            at: link, withDestinationURL: AttuneProcess.repositoryRoot.appendingPathComponent("Examples/clinic"))
        let result = try AttuneProcess.run(["review", link.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect((try Self.json(result.stdout)["census"] as? [String: Any])?["files"] as? Int == 12)
        let pack = folder.appendingPathComponent("site")
        try FileManager.default.createSymbolicLink(
            at: pack, withDestinationURL: AttuneProcess.repositoryRoot.appendingPathComponent("Examples/custom-rules"))
        #expect(try AttuneProcess.run(["lint", pack.path]).status == 0)
    }

    @Test func recordsThatAreAllRejectedAreAnErrorListingEachOne() throws {
        let folder = try Self.folder([
            "week.yaml": """
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: atended}
            - {client: C-2, therapist: T-1, date: 2026-03-02}
            """
        ])
        let result = try AttuneProcess.run(["review", folder.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains("week.yaml:1:63: error: 'atended' is not a valid attendance"), "\(result.stderr)")
        #expect(result.stderr.contains("week.yaml:2:"), "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "error: no session records to review: all 2 records in the 1 file read were left out"))
        let emptyFile = try Self.folder(["week.yaml": "# exported, but nothing in it\n"])
        let none = try AttuneProcess.run(["review", emptyFile.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("week.yaml:1:1: error: no session records in this file"))
        #expect(none.stderr.contains("error: no session records to review: the 1 file read holds no records"))
    }

    /// A week inside the data with no records (a holiday): reviewed, and said in those words. A
    /// week before the data is an error (CommonMistakesE2ETests).
    @Test func aPeriodWithoutRecordsIsSaidInThoseWords() throws {
        let folder = try Self.folder([
            "weeks.yaml": """
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, next_appointment: 2026-03-30}
            - {client: C-1, therapist: T-1, date: 2026-03-30, attendance: attended, next_appointment: 2026-04-06}
            """
        ])
        let result = try AttuneProcess.run(["review", folder.path, "--week", "2026-W12"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("Nothing to discuss this period"), "\(result.stdout)")
        #expect(result.stdout.contains("No session records in this period"))
        #expect(result.stderr.contains("the records run from 2026-03-02 to 2026-03-30"))
        #expect(result.stderr.contains("warning: No session records fall in this period (2026-03-16 to 2026-03-22)"))
    }

    @Test func aTherapistWithoutRecordsInThePeriodIsNotQuiet() throws {
        let folder = try Self.folder([
            "week.yaml": """
            - {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {srs: 39}}
            - {client: C-2, therapist: T-2, date: 2026-01-05, attendance: attended, episode_end: planned}
            """
        ])
        let result = try AttuneProcess.run(["review", folder.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Self.json(result.stdout)
        #expect(json["quiet_therapists"] as? [String] == ["T-1"])
        #expect(json["therapists_without_records"] as? [String] == ["T-2"])
        let text = try AttuneProcess.run(["review", folder.path])
        #expect(text.stdout.contains("No records this period (so nothing could be found): T-2"), "\(text.stdout)")
    }

    // 4. Unreadable files in the headline.

    @Test func unreadableFilesAreCountedInTheHeadlineOfEveryFormat() throws {
        let folder = try Self.folder([
            "a-good.yaml": "- {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended}\n",
            "b-broken.yaml": "- {client: C-2, therapist: T-1, date: 2026-03-02, attendance: [attended\n",
        ])
        // Each format's header: up to the first blank line, the end of <header>, or "findings".
        for (format, expected, headerEnd) in [
            ("text", "1 unreadable", "\n\n"), ("markdown", "| Files unreadable |", "\n\n_"),
            ("html", "<span class=\"n\">1</span>unreadable", "</header>"),
            ("json", "\"files_unreadable\":1", "\"findings\""),
        ] {
            let result = try AttuneProcess.run(["review", folder.path, "--format", format])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stderr.contains("b-broken.yaml:2:1: error:"), "\(result.stderr)")
            let header = result.stdout.replacingOccurrences(of: "\": ", with: "\":").components(separatedBy: headerEnd)[
                0]
            #expect(header.contains(expected), "\(format): \(header)")
        }
        let markdown = try AttuneProcess.run(["review", folder.path, "--format", "markdown"]).stdout
        #expect(markdown.contains("| 1 | 1 | 1 | 2 | 1 | 1 | 0 |"), "\(markdown)")
    }

    @Test func aCSVReportSaysOnStandardErrorWhatItsRowsCannotShow() throws {
        let folder = try Self.folder([
            "a-good.yaml": "- {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended}\n"
                + "- {client: C-1, therapist: T-1, date: 2026-03-05, attendance: attended}\n",
            "b-broken.yaml": "- {client: C-2, therapist: T-1, date: 2026-03-02, attendance: [attended\n",
        ])
        let csv = try AttuneProcess.run(["review", folder.path, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.split(separator: "\r\n").count == 1, "only the header row: \(csv.stdout)")
        let note = csv.stderr.components(separatedBy: "note: the csv report lists findings only")
        #expect(note.count == 2, "\(csv.stderr)")
        let said = note.last ?? ""
        #expect(said.contains("1 of 2 record files unreadable"), "\(said)")
        #expect(said.contains("next_appointment"), "\(said)")
        // No SRS was recorded, so the alliance rules judged nothing: each is named with its count.
        #expect(said.contains("alliance-below-cutoff 2"), "\(said)")
        // The formats that show a data-quality section say it in the report, not on standard error.
        for format in ["text", "json"] {
            let result = try AttuneProcess.run(["review", folder.path, "--format", format])
            #expect(!result.stderr.contains("lists findings only"), "\(format): \(result.stderr)")
        }
    }

    // 5. A pack with hundreds of measures.

    @Test func aPackOfThreeHundredMeasuresReviews() throws {
        let measures = (0..<300).map { "  m\($0): {range: [0, 10], better: higher}" }.joined(separator: "\n")
        let pack = try Self.folder([
            "pack/pack.yaml": "name: many\nversion: 0.1.0\nmeasures:\n" + measures + "\n",
            "pack/high.yaml": """
            id: m299-high
            title: m299 high
            severity: low
            kind: threshold
            match: measures.m299 > 5
            message: "m299 is {measures.m299}"
            tests:
              - name: fires
                records: [{date: 2026-01-08, attendance: attended, measures: {m299: 7}}]
                expect: [{opened: 2026-01-08}]
            """,
            "records.yaml": "- {client: C-1, therapist: T-1, date: 2026-03-02, attendance: attended, measures: {"
                + (0..<300).map { "m\($0): \($0 % 10)" }.joined(separator: ", ") + ", srs: 30}}\n",
        ])
        let packPath = pack.appendingPathComponent("pack").path
        #expect(try AttuneProcess.run(["lint", packPath]).status == 0)
        #expect(try AttuneProcess.run(["test", packPath]).status == 0)
        let result = try AttuneProcess.run([
            "review", pack.appendingPathComponent("records.yaml").path, "--rules", packPath, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let rules = (try Self.json(result.stdout)["findings"] as? [[String: Any]] ?? []).compactMap {
            $0["rule"] as? String
        }
        #expect(rules.contains("m299-high"))
        #expect(rules.contains("alliance-below-cutoff"))
    }

    // 6. JUnit and SARIF are valid documents whatever happens.

    @Test func junitAndSARIFCarryLoadErrors() throws {
        let junit = try AttuneProcess.run(["test", "no/such/pack", "--format", "junit"])
        #expect(junit.status == 2)
        #expect(
            junit.stdout.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"attune test\" tests=\"1\" failures=\"0\" errors=\"1\">"
            ))
        #expect(junit.stdout.contains("<error message=\"no/such/pack: error: no such rule pack folder\""))
        #expect(junit.stdout.hasSuffix("</testsuites>\n"))
        let broken = try Self.folder(["pack.yaml": "name: site\nversion: 0.1.0\n", "r.yaml": "id: r\nkind: thresold\n"])
        let lintErrors = try AttuneProcess.run(["test", broken.path, "--format", "junit"])
        #expect(lintErrors.status == 2)
        #expect(lintErrors.stdout.contains("unknown kind &apos;thresold&apos;"), "\(lintErrors.stdout)")
        #expect(lintErrors.stdout.contains("so no test was run"))
        let sarif = try AttuneProcess.run(["lint", "no/such/pack", "--format", "sarif"])
        #expect(sarif.status == 2)
        let log = try Self.json(sarif.stdout)
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect((results.first?["message"] as? [String: Any])?["text"] as? String == "no such rule pack folder")
    }

    @Test func theCIScriptWritesBothReportsWhenAPackDoesNotLoad() throws {
        let reports = try AttuneProcess.temporaryDirectory()
        let script = AttuneProcess.repositoryRoot.appendingPathComponent("Examples/ci/rule-checks.sh").path
        let result = try AttuneProcess.run(
            program: URL(fileURLWithPath: "/bin/sh"), [script, "no/such/pack"], directory: reports,
            environment: ["ATTUNE": AttuneProcess.executable.path, "REPORTS": reports.path])
        #expect(result.status != 0)
        let xml = try String(contentsOf: reports.appendingPathComponent("attune-rule-tests.xml"), encoding: .utf8)
        #expect(xml.contains("<error message=\"no/such/pack: error: no such rule pack folder\""))
        let sarif = try Self.json(
            try String(contentsOf: reports.appendingPathComponent("attune-lint.sarif"), encoding: .utf8))
        #expect(sarif["version"] as? String == "2.1.0")
    }

    // 7. One loading model.

    @Test func aSitePackAloneLintsAndTestsOnTopOfTheDefaultPack() throws {
        let lint = try AttuneProcess.run(["lint", "Examples/custom-rules"])
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(!lint.stderr.contains("unknown measure"))
        let test = try AttuneProcess.run(["test", "Examples/custom-rules"])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        // rules/ is the default pack itself: it replaces the built-in copy rather than clashing with it.
        #expect(try AttuneProcess.run(["lint", "rules", "Examples/custom-rules", "--warnings-as-errors"]).status == 0)
        #expect(try AttuneProcess.run(["review", "Examples/clinic", "--rules", "rules"]).status == 0)
    }

    @Test func anUnknownNameFromTheLeftOutDefaultPackSaysHowToLoadIt() throws {
        let result = try AttuneProcess.run(["lint", "--no-default-rules", "Examples/custom-rules"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "unknown measure 'gad7' ('gad7' comes from the built-in default pack, which --no-default-rules leaves out: drop that flag to load it)"
            ),
            "\(result.stderr)")
        let review = try AttuneProcess.run([
            "review", "Examples/clinic", "--no-default-rules", "--rules", "Examples/custom-rules",
        ])
        #expect(review.status == 2)
        #expect(review.stderr.contains("comes from the built-in default pack"))
    }

    // 8. A misspelt command.

    @Test func aMisspeltCommandGetsTheNearestOne() throws {
        for arguments in [["revew", "Examples/clinic"], ["help", "revew"]] {
            let result = try AttuneProcess.run(arguments)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderr.contains("error: unknown command 'revew'; did you mean 'review'?"), "\(result.stderr)")
        }
    }
}
