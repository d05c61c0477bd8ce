import AttuneCore
import AttuneYAML
import Foundation
import Testing

/// CSV exports: a header of record fields needs no map; a map renames columns, maps values,
/// reads dates in the clinic's format, and sets fields from other columns. Errors name the
/// file, row and column.
@Suite("CSV import")
struct CSVImportTests {
    typealias Support = RecordsTestSupport

    @Test func headerOfRecordFieldsNeedsNoMap() {
        let batch = Support.load(
            """
            client,therapist,episode,date,session,attendance,srs,measures.ors,tags,rupture.type,rupture.markers,rupture.intensity,next_appointment,x-internal
            C-1,T-1,2,2026-11-24,6,attended,31,18.5,distancing;topic-shift,withdrawal,minimal-response,4,2026-12-01,abc
            C-2, T-1 ,,2026-11-25,,no-show,,,,,,,,
            """, as: .csv, name: "export.csv")
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.count == 2)
        let first = try! #require(batch.records.first)
        #expect(first.episode == "2")
        #expect(first.session == 6)
        #expect(first.measures[0] == 31 && first.measures[1] == 18.5)
        #expect(first.tags == ["distancing", "topic-shift"])
        #expect(first.rupture == Rupture(type: .withdrawal, markers: ["minimal-response"], intensity: 4))
        #expect(first.nextAppointment == Day(iso: "2026-12-01"))
        #expect(first.source.description == "export.csv:2:1")
        let second = batch.records[1]
        #expect(second.therapist == "T-1", "unquoted cells lose the padding spreadsheets add")
        #expect(second.episode == "1")
        #expect(second.measures.isEmpty && second.rupture == nil && second.session == nil)
    }

    @Test func quotedCellsKeepDelimitersQuotesAndLineBreaks() {
        let batch = Support.load(
            """
            "client","therapist","date","attendance","notes"
            "C-1","T-1","2026-11-24","attended","said ""fine"", then
            stopped; long pause"
            C-2,T-1,2026-11-25,attended," kept "
            """, as: .csv)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.map(\.notes) == ["said \"fine\", then\nstopped; long pause", " kept "])
        #expect(batch.records.map(\.source.description) == ["records:2:1", "records:4:1"])
    }

    /// Found by the round-trip property: String compares by canonical equivalence, under which
    /// the Greek question mark (U+037E) equals `;`. List cells split on the exact separator only.
    @Test func listsSplitOnTheExactSeparatorOnly() {
        let batch = Support.load(
            "client,therapist,date,attendance,tags\nC-1,T-1,2026-11-24,attended,\"a\u{37E}b;c\"\n", as: .csv)
        #expect(batch.records.first?.tags.map { Array($0.unicodeScalars) } == [["a", "\u{37E}", "b"], ["c"]])
    }

    @Test func delimiterIsDetectedFromTheHeader() {
        let semicolons = Support.load(
            "client;therapist;date;attendance;notes\nC-1;T-1;2026-11-24;attended;a, b\n", as: .csv)
        #expect(semicolons.errors.isEmpty, "\(semicolons.errors)")
        #expect(semicolons.records.first?.notes == "a, b")
        let tabs = Support.load("client\ttherapist\tdate\tattendance\nC-1\tT-1\t2026-11-24\tattended\n", as: .csv)
        #expect(tabs.records.count == 1)
    }

    /// A synthetic export in the style of a practice-management system.
    static let export = """
        Client ID;Clinician;Appt Date;Status;Canceled;SRS total;ORS;Codes;Patient name
        C-1;T-07;24/11/2026;Attended;0;31;18,5;distancing|topic-shift;Synthetic A
        C-1;T-07;01/12/2026;DNA;0;;;;Synthetic A
        C-2;T-07;25/11/2026;Booked;2;;;;Synthetic B
        C-3;T-07;26/11/2026;attended;0;n/a;;;Synthetic C
        """

    static let map = """
        delimiter: ";"
        date_format: dd/MM/yyyy
        columns:
          Client ID: client
          Clinician: therapist
          Appt Date: date
          Status:
            field: attendance
            values: {Attended: attended, DNA: no-show, Cancelled: cancelled, Booked: ~}
          SRS total: {measure: srs, values: {n/a: ~}}
          Codes: {field: tags, split: "|"}
          Patient name: ignore
        overrides:
          - when: {Canceled: "2"}
            set: {attendance: no-show}
        defaults:
          episode: "1"
        """

    @Test func mapRenamesColumnsMapsValuesAndReadsDates() throws {
        let map = try Support.map(Self.map)
        let batch = Support.load(Self.export, as: .csv, name: "export.csv", map: map)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.map(\.client) == ["C-1", "C-1", "C-2", "C-3"])
        #expect(
            batch.records.map(\.attendance) == [.attended, .noShow, .noShow, .attended],
            "DNA → no-show, Canceled=2 → no-show, case-insensitive values")
        #expect(batch.records.map(\.date.description) == ["2026-11-24", "2026-12-01", "2026-11-25", "2026-11-26"])
        #expect(batch.records[0].measures[0] == 31)
        #expect(batch.records[0].measures[1] == nil, "ORS is not mapped")
        #expect(batch.records[3].measures.isEmpty, "n/a maps to no value")
        #expect(batch.records[0].tags == ["distancing", "topic-shift"])
    }

    @Test func errorsNameFileRowAndColumn() throws {
        let map = try Support.map(Self.map)
        let batch = Support.load(
            """
            Client ID;Clinician;Appt Date;Status;Canceled;SRS total;ORS;Codes;Patient name
            C-1;T-07;31/11/2026;Attended;0;31;;;x
            C-2;T-07;24/11/2026;Showed;0;31;;;x
            C-3;T-07;24/11/2026;Attended;0;44;;;x
            C-4;;24/11/2026;Attended;0;;;;x
            C-5;T-07;24/11/2026;Attended;0;;
            """, as: .csv, name: "export.csv", map: map)
        #expect(batch.records.isEmpty)
        #expect(batch.leftOut == 5)
        #expect(
            batch.errors.map(\.description) == [
                "export.csv:2:10: error: '31/11/2026' is not a valid date; expected a date in the format dd/MM/yyyy (row 2, column 'Appt Date')",
                "export.csv:3:21: error: 'Showed' is not a valid attendance (attended, cancelled, late-cancel, no-show) (row 3, column 'Status')",
                "export.csv:4:32: error: srs 44 is out of range 0–40 (row 4, column 'SRS total')",
                "export.csv:5:1: error: missing required field 'therapist' (row 5)",
                "export.csv:6:1: error: this row has 7 cells, the header has 9 (row 6)",
            ])
    }

    @Test func headerProblemsAreAnErrorForTheFile() throws {
        let unknown = Support.load(
            "client,therapist,date,attendence,Phone\nC-1,T-1,2026-11-24,attended,x\n", as: .csv, name: "e.csv")
        #expect(unknown.records.isEmpty)
        #expect(unknown.unreadableFiles == 1)
        #expect(
            unknown.errors.map(\.description) == [
                "e.csv:1:23: error: unknown column 'attendence'; did you mean 'attendance'?; map it with --csv-map, or name it x-attendence to leave it out (this file was not read)",
                "e.csv:1:34: error: unknown column 'Phone'; map it with --csv-map, or name it x-Phone to leave it out (this file was not read)",
            ])

        let map = try Support.map("columns: {Client: client, Therapist: therapist, Date: date, Attendance: attendance}")
        let missing = Support.load(
            "Client,Therapist,Datum,Attendance\nC-1,T-1,2026-11-24,attended\n", as: .csv, name: "e.csv", map: map)
        #expect(
            missing.errors.map(\.description) == [
                "e.csv:1:1: error: the header has no column 'Date' named in the CSV map at map.yaml:1:49; did you mean 'Datum'? (this file was not read)"
            ])
        let twice = Support.load(
            "client,client,therapist,date,attendance\nC-1,C-2,T-1,2026-11-24,attended\n", as: .csv, name: "e.csv")
        #expect(
            twice.errors.first?.description
                == "e.csv:1:8: error: column 'client' appears twice in the header (this file was not read)")
    }

    @Test func unmappedColumnsCanBeErrors() throws {
        let map = try Support.map(
            "unmapped: error\ncolumns: {c: client, t: therapist, d: date, a: attendance, Name: ignore}")
        let batch = Support.load(
            "c,t,d,a,Name,Phone,x-site\nC-1,T-1,2026-11-24,attended,x,y,z\n", as: .csv, name: "e.csv", map: map)
        #expect(
            batch.errors.map(\.description) == [
                "e.csv:1:14: error: column 'Phone' is not in the CSV map (unmapped: error); map it or set it to ignore (this file was not read)"
            ])
    }

    @Test func badMapsAreLocatedInTheMapFile() {
        #expect(throws: CSVMap.LoadError.self) { try Support.map("columns: {A: client}\nextra: 1") }
        do {
            _ = try Support.map(
                """
                date_format: dd/MM/yyy
                delimiter: "#"
                columns:
                  A: cleint
                  B: {field: attendance, date_format: dd/MM/yyyy}
                  C: {measure: sr}
                  D: client
                overrides:
                  - when: {X: "1"}
                """)
            Issue.record("the map should not load")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "map.yaml:1:14: error: 'yyy' in date format 'dd/MM/yyy' is not one of yyyy yy MM M MMM dd d HH H hh h mm ss a (quote literal letters: 'T')",
                    "map.yaml:2:12: error: delimiter must be ',', ';', '|' or 'tab', found '#'",
                    "map.yaml:4:6: error: 'cleint' is not a record field, a measure or 'ignore'; did you mean 'client'?",
                    "map.yaml:5:6: error: date_format applies only to date and next_appointment",
                    "map.yaml:6:16: error: 'sr' is not a record field or measure; did you mean 'srs'?",
                    "map.yaml:9:5: error: an override needs 'when' (column: text) and 'set' (field: value)",
                ])
        }
    }

    @Test func dateFormats() throws {
        func day(_ pattern: String, _ text: String) throws -> String? {
            try CSVDateFormat(pattern).day(from: text)?.description
        }
        #expect(try day("dd/MM/yyyy", "24/11/2026") == "2026-11-24")
        #expect(try day("d/M/yyyy", "4/1/2026") == "2026-01-04")
        #expect(try day("d/M/yyyy", "04/01/2026") == "2026-01-04")
        #expect(try day("MM/dd/yy", "11/24/26") == "2026-11-24")
        #expect(try day("dd MMM yyyy", "24 Nov 2026") == "2026-11-24")
        #expect(try day("dd.MM.yyyy HH:mm", "24.11.2026 09:30") == "2026-11-24")
        #expect(try day("yyyy-MM-dd'T'HH:mm:ss", "2026-11-24T09:30:00") == "2026-11-24")
        #expect(try day("M/d/yyyy h:mm a", "11/24/2026 9:30 PM") == "2026-11-24")
        #expect(try day("dd/MM/yyyy", "31/11/2026") == nil, "no 31 November")
        #expect(try day("dd/MM/yyyy", "24/11/2026 10:00") == nil, "the whole cell must match")
        #expect(try day("dd/MM/yyyy", "2026-11-24") == nil)
        #expect(CSVDateFormat.iso.day(from: "2026-11-24T10:00:00Z")?.description == "2026-11-24")
        #expect(throws: CSVDateFormat.PatternError.self) { try CSVDateFormat("dd/MM") }
        #expect(throws: CSVDateFormat.PatternError.self) { try CSVDateFormat("dd/MM/yyyy 'at") }
    }

    @Test func csvReaderLocatesItsErrors() {
        func error(_ text: String) -> String? {
            Support.load(text, as: .csv, name: "e.csv").errors.first?.description
        }
        #expect(
            error("client,therapist\n\"C-1,T-1\n")
                == "e.csv:2:1: error: unterminated quoted cell (the file ends inside it) (the rest of this file was not read)"
        )
        #expect(
            error("client,notes\n\"C-1\"x,T-1\n")
                == "e.csv:2:6: error: unexpected 'x' after the closing quote of a cell (a quote inside a quoted cell is written \"\") (the rest of this file was not read)"
        )
        #expect(
            error("client,notes\nC-1,a\u{1}b\n")
                == "e.csv:2:6: error: control character byte 0x01 in a cell (is this a binary file?) (the rest of this file was not read)"
        )
        #expect(
            Support.load([UInt8]("client,notes\nC-1,caf".utf8) + [0xC3, 0x28], as: .csv, name: "e.csv").errors.first?
                .description
                == "e.csv:2:8: error: invalid UTF-8 in a cell (the file must be UTF-8) (the rest of this file was not read)"
        )
        #expect(error("client,therapist,date,attendance\n") == "e.csv:1:1: error: no session records in this file")
    }

    /// The maps shown in docs/records.md and the README load, so the documentation cannot drift from the format.
    @Test(arguments: [("docs/records.md", "### The CSV map"), ("README.md", "## Record formats")])
    func documentedMapsLoad(file: String, heading: String) throws {
        let text = try String(contentsOfFile: Fixtures.repositoryRoot + "/" + file, encoding: .utf8)
        let section = try #require(text.range(of: heading)).upperBound
        let start = try #require(text.range(of: "```yaml\n", range: section..<text.endIndex)).upperBound
        let end = try #require(text.range(of: "```", range: start..<text.endIndex)).lowerBound
        let map = try CSVMap.decode(.bytes(Array(text[start..<end].utf8)), file: file, vocabulary: Fixtures.vocabulary)
        #expect(map.columns.count >= 6)
        #expect(!map.overrides.isEmpty)
    }
}
