import AttuneCore
import Testing

/// records.md: typing by the schema, never by YAML 1.1 guessing; every validation with its location.
struct RecordDecoderTests {
    func decode(_ yaml: String) -> ([SessionRecord], [String]) {
        let (records, diagnostics) = Fixtures.records(yaml)
        return (records, diagnostics.map(\.description))
    }

    @Test func scalarsAreTypedByTheirField() throws {
        let (records, errors) = decode(
            """
            - client: 0012
              therapist: NO
              episode: 2
              date: 2026-11-24T09:30:00Z
              session: 6
              attendance: attended
              measures: {srs: '31', ors: 18.5}
              next_appointment: 2026-12-01
            """)
        #expect(errors.isEmpty, "\(errors)")
        let record = try #require(records.first)
        #expect(record.client == "0012")
        #expect(record.therapist == "NO")
        #expect(record.episode == "2")
        #expect(record.date == Fixtures.day("2026-11-24"))
        #expect(record.session == 6)
        #expect(record.measures[Fixtures.vocabulary.measureIndex("srs")!] == 31)
        #expect(record.measures[Fixtures.vocabulary.measureIndex("ors")!] == 18.5)
        #expect(record.nextAppointment == Fixtures.day("2026-12-01"))
    }

    @Test(
        "each invalid field is one located error",
        arguments: [
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, repair: yes}",
                "records.yaml:1:81: error: 'yes' is not a valid repair (partial, full)"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendence: attended}",
                "records.yaml:1:51: error: unknown field 'attendence'; did you mean 'attendance'?"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: noshow}",
                "records.yaml:1:63: error: 'noshow' is not a valid attendance (attended, cancelled, late-cancel, no-show); did you mean 'no-show'?"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-13-24, attendance: attended}",
                "records.yaml:1:39: error: '2026-13-24' is not a valid date; expected a date YYYY-MM-DD"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, session: 0}",
                "records.yaml:1:82: error: session 0 is out of range (at least 1)"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {srs: 41}}",
                "records.yaml:1:89: error: srs 41 is out of range 0–40"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, measures: {ssr: 30}}",
                "records.yaml:1:84: error: unknown measure 'ssr'; did you mean 'srs'? (measures are declared in the pack's pack.yaml)"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, rupture: {type: withdrawl}}",
                "records.yaml:1:89: error: 'withdrawl' is not a valid rupture type (withdrawal, confrontation, mixed); did you mean 'withdrawal'?"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, rupture: {type: withdrawal, intensity: 6}}",
                "records.yaml:1:112: error: intensity 6 is out of range 1–5"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, rupture: {type: withdrawal, markers: [minimal-respons]}}",
                "records.yaml:1:111: error: unknown rupture marker 'minimal-respons'; did you mean 'minimal-response'?"
            ),
            (
                "{client: C-1, date: 2026-11-24, attendance: attended}",
                "records.yaml:1:3: error: missing required field 'therapist'"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, tags: distancing}",
                "records.yaml:1:79: error: tags must be a list, found a scalar"
            ),
            (
                "{client: C-1, therapist: T-1, date: 2026-11-24, date: 2026-11-25, attendance: attended}",
                "records.yaml:1:51: error: duplicate key 'date'"
            ),
            ("[C-1, T-1]", "records.yaml:1:3: error: a session record must be a mapping, found a sequence"),
        ])
    func invalidFields(_ yaml: String, _ expected: String) {
        let (records, errors) = decode("- " + yaml)
        #expect(records.isEmpty)
        #expect(errors == [expected], "\(errors)")
    }

    @Test func siteExtensionsAreKeptOutOfTheWay() {
        let (records, errors) = decode(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, x-site: {room: 4, codes: [a]}}
            """)
        #expect(errors.isEmpty)
        #expect(records.count == 1)
    }

    @Test func nullOptionalFieldsAreAbsent() throws {
        let (records, errors) = decode(
            "- {client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended, repair: ~, notes: null}")
        #expect(errors.isEmpty, "\(errors)")
        #expect(records.first?.repair == nil)
        #expect(records.first?.notes == nil)
    }

    @Test func allErrorsOfARecordAreReportedInOnePass() {
        let (_, errors) = decode(
            "- {client: C-1, therapist: T-1, date: 2026-11-32, attendance: maybe, repair: yes, colour: red}")
        #expect(errors.count == 4, "\(errors)")
    }

    @Test func duplicatesAreReportedOnTheLaterRecord() {
        var batch = RecordBatch()
        let (records, _) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, date: 2026-11-24, session: 3, attendance: attended}
            - {client: C-1, therapist: T-1, date: 2026-11-24, session: 3, attendance: no-show}
            - {client: C-1, therapist: T-1, date: 2026-11-24, session: 4, attendance: attended}
            """)
        batch.records = records
        batch.markDuplicates()
        #expect(batch.records.count == 2)
        #expect(batch.leftOut == 1)
        #expect(
            batch.errors.map(\.description) == [
                "records.yaml:2:3: error: duplicate record for client C-1, episode 1, 2026-11-24 session 3; first given at records.yaml:1:3"
            ])
    }
}
