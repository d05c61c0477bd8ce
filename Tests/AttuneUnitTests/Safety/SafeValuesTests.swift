import AttuneCore
import Testing

/// The value rules behind issue 12's items 3, 4, 6 and 15, unit by unit: visible text, ids,
/// dates with a time part, exact whole numbers, underflow, unknown fields, future dates, notes.
struct SafeValuesTests {
    // MARK: VisibleText

    @Test(arguments: [
        ("C-1", "C-1"),
        ("a\u{1B}[31mb", "a\\u{1B}[31mb"),
        ("x\ny\rz\t\0", "x\\ny\\rz\\t\\0"),
        (
            "a\u{202E}b\u{2066}c\u{200B}d\u{FEFF}e\u{85}f\u{9B}g\u{7F}h\u{2028}i",
            "a\\u{202E}b\\u{2066}c\\u{200B}d\\u{FEFF}e\\u{85}f\\u{9B}g\\u{7F}h\\u{2028}i"
        ),
        ("ünïcödé 漢字 😀 e\u{301}", "ünïcödé 漢字 😀 e\u{301}"),
    ])
    func invisibleCharactersAreWrittenOut(_ text: String, _ shown: String) {
        #expect(VisibleText.escaped(text) == shown)
        #expect(VisibleText.escaped(shown) == shown, "escaping twice changes nothing")
    }

    @Test func lineBreaksCanBeKept() {
        #expect(VisibleText.escaped("a\nb\r\u{1B}", keepingLineBreaks: true) == "a\nb\\r\\u{1B}")
    }

    // MARK: Records

    func errors(_ yaml: String, today: Day? = nil) -> [String] {
        var diagnostics: [Diagnostic] = []
        var batch = RecordBatch()
        var loader = RecordLoader(vocabulary: Fixtures.vocabulary)
        loader.today = today
        loader.read(.bytes(Array(yaml.utf8)), name: "r.yaml", format: .yaml, into: &batch)
        diagnostics = batch.errors
        return diagnostics.map(\.message)
    }

    static let base = "client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended"

    @Test(arguments: [
        (
            "client: \"C-1\\0\"",
            "client 'C-1\u{0}' contains the invisible or control character U+0000; ids must be visible text"
        ),
        (
            "therapist: \"T\\u202E1\"",
            "therapist 'T\u{202E}1' contains the invisible or control character U+202E; ids must be visible text"
        ),
        ("episode: \" 1\"", "episode ' 1' starts or ends with a space; ids must not, so that two ids never look alike"),
        (
            "tags: [\"a\\u200Db\"]",
            "an item of tags 'a\u{200D}b' contains the invisible or control character U+200D; ids must be visible text"
        ),
    ])
    func idsMustBeVisible(_ field: String, _ message: String) {
        let fields = Self.base.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix(field.prefix { $0 != ":" }) }
        #expect(errors("- {" + (fields + [field]).joined(separator: ", ") + "}\n") == [message])
    }

    @Test func lookAlikeClientsCannotBothBeRead() {
        let (records, diagnostics) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}
            - {client: "C-1\\0", therapist: T-1, date: 2026-11-24, attendance: attended}
            - {client: "C-1\\u200B", therapist: T-1, date: 2026-11-24, attendance: attended}
            """)
        #expect(Set(records.map(\.client)) == ["C-1"])
        #expect(diagnostics.count == 2)
    }

    @Test(arguments: [
        ("2026-11-24", true), ("2026-11-24T10:00", true), ("2026-11-24 10:00:59", true), ("2026-11-24T23:59:60Z", true),
        ("2026-11-24T10:00:00.123+01:00", true), ("2026-11-24T10:00:00-0530", true), ("2026-11-24t10:00z", true),
        ("2026-11-24T25:00:00", false), ("2026-11-24T10:60", false), ("2026-11-24T10:00:61", false),
        ("2026-11-24T", false),
        ("2026-11-24T10", false), ("2026-11-24T10:00+25:00", false), ("2026-11-24T10:00Zjunk", false),
        ("2026-11-24x", false),
        ("2026-11-24T10:00:00.", false),
    ])
    func aTimePartMustBeAValidTime(_ text: String, _ valid: Bool) {
        #expect((Day(iso: text) != nil) == valid)
    }

    @Test func wholeNumbersAreExactOrARangeError() {
        #expect(ScalarReader.parseInteger("9007199254740991") == 9_007_199_254_740_991)
        #expect(ScalarReader.parseInteger("-9007199254740991") == -9_007_199_254_740_991)
        #expect(ScalarReader.parseInteger("9007199254740992") == nil)
        #expect(ScalarReader.parseInteger("9223372036854775808") == nil)
        #expect(
            errors("- {\(Self.base), session: 9223372036854775807}\n")
                == [
                    "session 9223372036854775807 is out of range: whole numbers are at most 2^53 − 1 (9007199254740991) in size"
                ])
        #expect(errors("- {\(Self.base), session: 12x}\n") == ["'12x' is not a valid session; expected a whole number"])
    }

    @Test func aNumberThatUnderflowsIsAnError() {
        #expect(ScalarReader.parseNumber("1e-400") == nil)
        #expect(ScalarReader.parseNumber("4e-320") == nil, "subnormal: precision lost")
        #expect(ScalarReader.parseNumber("0e-400") == 0)
        #expect(ScalarReader.parseNumber("0.000") == 0)
        #expect(ScalarReader.parseNumber("1e-300") == 1e-300)
        #expect(
            errors("- {\(Self.base), measures: {srs: 1e-400}}\n")
                == [
                    "'1e-400' is not a valid measure srs; it is too close to zero to be represented (give 0, or a number of at least 1e-300)"
                ])
    }

    @Test func unknownFieldsAreErrorsEvenWhenNull() {
        #expect(errors("- {\(Self.base), bogusfield: ~, x-site: ~, notes: ~}\n") == ["unknown field 'bogusfield'"])
        #expect(
            errors("- {\(Self.base), measures: {bogus: ~, srs: ~}}\n")
                == ["unknown measure 'bogus' (measures are declared in the pack's pack.yaml)"])
        #expect(
            errors("- {\(Self.base), rupture: {type: withdrawal, bogus: ~, markers: ~}}\n")
                == ["unknown rupture field 'bogus'"])
    }

    @Test func aRecordAfterTodayIsAnError() {
        let today = Day(iso: "2026-11-29")!
        #expect(
            errors("- {client: C-1, therapist: T-1, date: 2026-11-29, attendance: attended}\n", today: today).isEmpty)
        #expect(
            errors("- {client: C-1, therapist: T-1, date: 2062-11-24, attendance: attended}\n", today: today)
                == [
                    "date 2062-11-24 is after today (2026-11-29); a session cannot have happened yet (a mistyped year?)"
                ])
        #expect(
            errors("- {client: C-1, therapist: T-1, date: 2062-11-24, attendance: attended}\n").isEmpty,
            "no clock, no check")
    }

    // MARK: Packs

    @Test(arguments: ["notes", "prev.notes", "first.notes"])
    func notesAreNeverAMessagePlaceholder(_ placeholder: String) {
        let rule = LintCheckTests.goodRule.replacingOccurrences(
            of: "message: \"SRS {measures.srs} on {date}\"",
            with: "message: \"SRS {measures.srs}: {\(placeholder)}\"")
        let found = LintCheckTests.lint(["low-srs.yaml": rule])
        #expect(
            found == [
                "site/low-srs.yaml:6:31: error: placeholder '{\(placeholder)}' would put free-text session notes in every report; "
                    + "notes are never part of a message (with --include-notes they appear in the finding's evidence)"
            ])
    }

    @Test func anExpressionNumberPast2To53IsALintError() {
        let rule = LintCheckTests.goodRule.replacingOccurrences(
            of: "match: measures.srs < srs_cutoff",
            with: "match: session == 9007199254740993")
        #expect(
            LintCheckTests.lint(["low-srs.yaml": rule])
                == [
                    "site/low-srs.yaml:5:19: error: in 'match': number '9007199254740993' is too large to be exact (at most 2^53 − 1)"
                ])
    }

    // MARK: JSON

    @Test func jsonWritesWholeNumbersDigitForDigitAndEscapesInvisibleCharacters() {
        var writer = JSONWriter(pretty: false)
        writer.beginArray()
        writer.integer(9_007_199_254_740_991)
        writer.integer(Int.max)
        writer.integer(-5)
        writer.string("a\u{1B}b\u{202E}c\u{85}d😀e\u{E0001}")
        writer.endArray()
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == #"[9007199254740991,9223372036854775807,-5,"a\u001bb\u202ec\u0085d😀e\udb40\udc01"]"#)
    }
}
