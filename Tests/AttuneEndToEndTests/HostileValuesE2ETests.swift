import Foundation
import Testing

/// Values that try to leak notes, move the period, forge terminal output or slip past the types
/// (issue 12, items 3, 4, 6 and 15), through the built binary.
@Suite struct HostileValuesE2ETests {
    /// Writes `text` to `name` in a fresh folder and returns the folder.
    private func folder(with files: [String: String]) throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    // MARK: Item 3: notes are never a message placeholder

    static let notesRule = """
        id: leaky
        title: Leaky
        severity: low
        kind: threshold
        match: measures.srs < 30
        message: "SRS {measures.srs}: {notes} / {prev.notes}"
        """

    @Test func aNotesPlaceholderIsALocatedLintErrorAndStopsTheReview() throws {
        let folder = try folder(with: [
            "pack/pack.yaml": "name: site\nversion: 0.1.0\n",
            "pack/leaky.yaml": Self.notesRule,
            "records.yaml":
                "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}, notes: SECRET-NOTE}\n",
        ])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let lint = try AttuneProcess.run(["lint", "pack"], directory: folder)
        #expect(lint.status == 1)
        #expect(
            lint.stderr.contains(
                "pack/leaky.yaml:6:31: error: placeholder '{notes}' would put free-text session notes in every report"),
            "\(lint.stderr)")
        #expect(lint.stderr.contains("pack/leaky.yaml:6:41: error: placeholder '{prev.notes}'"), "\(lint.stderr)")
        for notes in [[], ["--include-notes"]] {
            for format in ["text", "json", "csv", "markdown", "html"] {
                let review = try AttuneProcess.run(
                    ["review", "records.yaml", "--rules", "pack", "--format", format] + notes, directory: folder)
                #expect(review.status == 2)
                #expect(!review.stdout.contains("SECRET-NOTE") && !review.stderr.contains("SECRET-NOTE"))
                #expect(review.stderr.contains("error: placeholder '{notes}'"))
            }
        }
    }

    @Test func explainNeverShowsNotes() throws {
        let folder = try folder(with: [
            "pack/pack.yaml": "name: site\nversion: 0.1.0\n",
            "pack/noted.yaml": """
            id: noted
            title: Noted
            severity: low
            kind: threshold
            match: notes != null and measures.srs < 30
            message: "SRS {measures.srs}"
            tests:
              - name: fires
                records: [{date: 2026-01-08, attendance: attended, measures: {srs: 20}, notes: x}]
                expect: [{opened: 2026-01-08}]
            """,
            "records.yaml":
                "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}, notes: SECRET-NOTE}\n",
        ])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let explain = try AttuneProcess.run(
            ["explain", "noted", "records.yaml", "--client", "C-1", "--rules", "pack"], directory: folder)
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("[notes = (free text, not shown), measures.srs = 20]"), "\(explain.stdout)")
        #expect(!explain.stdout.contains("SECRET-NOTE") && !explain.stderr.contains("SECRET-NOTE"))
    }

    // MARK: Item 4: a record dated after today

    @Test func aFutureRecordIsAnErrorAndDoesNotMoveThePeriod() throws {
        let folder = try folder(with: [
            "records.yaml": """
            - {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}}
            - {client: C-2, therapist: T-1, date: 2062-11-24, attendance: attended}
            """
        ])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let review = try AttuneProcess.run(["review", "records.yaml", "--format", "json"], directory: folder)
        #expect(review.status == 0)
        #expect(
            review.stderr.contains("records.yaml:2:39: error: date 2062-11-24 is after today (2026-11-29)"),
            "\(review.stderr)")
        #expect(review.stdout.contains("\"as_of\": \"2026-11-24\""))
        #expect(review.stdout.contains("\"rule\": \"alliance-below-cutoff\""), "this week's finding is still reported")
        let strict = try AttuneProcess.run(["review", "records.yaml", "--strict"], directory: folder)
        #expect(strict.status == 2)
        #expect(strict.stdout.isEmpty)
        // The clock is the environment's: a later "today" accepts the record.
        let later = try AttuneProcess.run(
            ["review", "records.yaml", "--strict"], directory: folder, environment: ["ATTUNE_TODAY": "2063-01-01"])
        #expect(later.status == 0, "\(later.stderr)")
        let bad = try AttuneProcess.run(
            ["review", "records.yaml"], directory: folder, environment: ["ATTUNE_TODAY": "tomorrow"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("error: ATTUNE_TODAY='tomorrow' is not a date YYYY-MM-DD"))
    }

    // MARK: Item 6: control characters, bidi overrides and zero-width characters

    @Test(arguments: [
        (#"client: "C-1\u0000""#, "client 'C-1\\0' contains the invisible or control character U+0000"),
        (#"client: "C-1\u202E""#, "client 'C-1\\u{202E}' contains the invisible or control character U+202E"),
        (#"client: "C-1\u2066""#, "U+2066"),
        (#"client: "C-\u200B1""#, "U+200B"),
        (#"client: "C-1 ""#, "client 'C-1 ' starts or ends with a space"),
        (#"therapist: "T-1\e[31m""#, "therapist 'T-1\\u{1B}[31m' contains the invisible or control character U+001B"),
        (#"episode: "1\r""#, "episode '1\\r' contains"),
        (#"tags: ["a\u0085b"]"#, "an item of tags 'a\\u{85}b' contains"),
        (#"rupture: {type: withdrawal, markers: ["m\u009B"]}"#, "an item of markers 'm\\u{9B}' contains"),
    ])
    func anIdWithAnInvisibleCharacterIsALocatedError(_ field: String, _ message: String) throws {
        let base = ["client": #"client: C-1"#, "therapist": #"therapist: T-1"#]
        var fields = [field]
        for (name, value) in base where !field.hasPrefix(name) { fields.insert(value, at: 0) }
        let record = "- {" + fields.joined(separator: ", ") + ", date: 2026-11-24, attendance: attended}\n"
        let folder = try folder(with: [
            "records.yaml": "- {client: C-1, therapist: T-1, date: 2026-11-23, attendance: attended}\n" + record
        ])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let review = try AttuneProcess.run(["review", "records.yaml", "--format", "json"], directory: folder)
        #expect(review.status == 0)
        #expect(review.stderr.contains("records.yaml:2:"), "\(review.stderr)")
        #expect(review.stderr.contains(message), "\(review.stderr)")
        #expect(review.stdout.contains("\"clients\": 1"), "one client, not two that look alike")
    }

    /// Free text (notes), file names and values echoed in errors reach the terminal escaped, in every format.
    @Test func noInputTextReachesTheTerminalRaw() throws {
        let evil = #"\e[31mRED \u0007\r\u009B x.yaml:1:1: error: forged \u202Eevil"#
        let folder = try folder(with: [
            "in\u{1B}[2Jside/records.yaml": """
            - {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 20}, notes: "\(evil)"}
            - {client: C-2, therapist: T-1, date: 2026-11-24, attendance: "\(evil)\\nrecords.yaml:9:9: error: forged"}
            """
        ])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        for format in ["text", "markdown", "html", "json", "csv"] {
            let review = try AttuneProcess.run(
                ["review", ".", "--include-notes", "--format", format], directory: folder)
            #expect(review.status == 0, "\(review.stderr)")
            // CSV rows end in CR LF (RFC 4180): those CRs are the format's own.
            let stdout = format == "csv" ? review.stdout.replacingOccurrences(of: "\r\n", with: "\n") : review.stdout
            for (stream, text) in [("stdout", stdout), ("stderr", review.stderr)] {
                let raw = text.unicodeScalars.filter {
                    $0 != "\n"
                        && ($0.properties.generalCategory == .control || $0.properties.generalCategory == .format)
                }
                #expect(raw.isEmpty, "\(format) \(stream) holds \(raw.map { String($0.value, radix: 16) })")
                #expect(
                    !text.split(separator: "\n").contains {
                        $0.hasPrefix("records.yaml:9:9") || $0.hasPrefix("x.yaml")
                    },
                    "no forged diagnostic line in \(format) \(stream)")
            }
            #expect(
                review.stderr.contains("in\\u{1B}[2Jside/records.yaml:2:"), "file names are escaped: \(review.stderr)")
            if format == "text" || format == "csv" {
                #expect(review.stdout.contains("\\u{1B}[31mRED"), "\(review.stdout)")
            }
            if format == "html" {
                #expect(
                    review.stdout.contains("\\u{1B}[31mRED \\u{7}\\r\\u{9B} x.yaml:1:1: error: forged \\u{202E}evil"),
                    "\(review.stdout)")
            }
            if format == "json" {
                #expect(
                    review.stdout.contains(
                        #""note": "\u001b[31mRED \u0007\r\u009b x.yaml:1:1: error: forged \u202eevil""#))
            }
        }
    }

    // MARK: Item 15: lax values

    @Test(arguments: [
        (
            "session: 9007199254740993",
            "session 9007199254740993 is out of range: whole numbers are at most 2^53 − 1 (9007199254740991) in size"
        ),
        ("session: 9223372036854775807", "session 9223372036854775807 is out of range"),
        ("session: 99999999999999999999999", "session 99999999999999999999999 is out of range"),
        ("date: 2026-11-24T25:00:00", "'2026-11-24T25:00:00' is not a valid date"),
        ("date: 2026-11-24T10:61", "'2026-11-24T10:61' is not a valid date"),
        ("date: 2026-11-24Tnoon", "'2026-11-24Tnoon' is not a valid date"),
        ("measures: {srs: 1e-400}", "'1e-400' is not a valid measure srs; it is too close to zero to be represented"),
        ("measures: {srs: 1e400}", "'1e400' is not a valid measure srs; expected a number"),
        ("bogusfield: ~", "unknown field 'bogusfield'"),
        ("measures: {bogus: ~}", "unknown measure 'bogus'"),
        ("rupture: {type: withdrawal, bogus: ~}", "unknown rupture field 'bogus'"),
    ])
    func aLaxValueIsALocatedError(_ field: String, _ message: String) throws {
        let hasDate = field.hasPrefix("date:")
        let record =
            "- {client: C-1, therapist: T-1, " + (hasDate ? "" : "date: 2026-11-24, ")
            + "attendance: attended, \(field)}\n"
        let folder = try folder(with: ["records.yaml": record])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let review = try AttuneProcess.run(
            ["review", "records.yaml", "--strict", "--as-of", "2026-11-29"], directory: folder)
        #expect(review.status == 2)
        #expect(review.stderr.contains("records.yaml:1:"), "\(review.stderr)")
        #expect(review.stderr.contains(message), "\(review.stderr)")
    }

    @Test func largeSessionNumbersAreExactEndToEnd() throws {
        let folder = try folder(with: [
            "records.json": """
            [{"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended", "session": 9007199254740990, "measures": {"srs": 20}},
             {"client": "C-1", "therapist": "T-1", "date": "2026-11-24", "attendance": "attended", "session": 9007199254740991, "measures": {"srs": 21}},
             {"client": "C-1", "therapist": "T-1", "date": "2026-11-24T09:30:00+01:00", "attendance": "attended", "x-site": null}]
            """
        ])
        defer {
            // Best-effort clean-up of a temporary folder; a leftover does not change the result.
            try? FileManager.default.removeItem(at: folder)
        }
        let review = try AttuneProcess.run(
            ["review", "records.json", "--strict", "--format", "json"], directory: folder)
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("\"session\": 9007199254740990"))
        #expect(
            review.stdout.contains("\"session\": 9007199254740991"), "two distinct sessions, printed digit for digit")
        #expect(!review.stdout.contains("9007199254740992"))
    }
}
