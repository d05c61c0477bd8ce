import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// Notes are the most sensitive text in a record: no format shows them unless asked, and then
/// only in the evidence of the finding whose record carries them (never in trajectories).
@Suite struct ReportPrivacyTests {
    /// Every note in the example clinic, read from the records themselves.
    static let notes: [String] = ReportFixtures.clinicBatch.records.compactMap(\.notes)

    /// The longest stretch of a note that every format prints unchanged (letters, digits and
    /// spaces), after the "Synthetic note:" prefix every note shares.
    static func fragment(_ note: String) -> String {
        let body = note.hasPrefix("Synthetic note: ") ? String(note.dropFirst("Synthetic note: ".count)) : note
        let runs = body.split { !($0.isLetter || $0.isNumber || $0 == " ") }
        let longest = runs.map { $0.trimmingCharacters(in: .whitespaces) }.max { $0.count < $1.count } ?? ""
        return longest
    }

    @Test func theClinicHasNotesInTheReviewedPeriod() {
        #expect(Self.notes.count >= 10)
        let noted = ReportFixtures.clinic(includeNotes: true).allFindings.flatMap(\.finding.records).compactMap(\.note)
        #expect(noted.count >= 2, "the privacy tests need findings whose evidence has notes")
    }

    @Test(arguments: Reporters.formats)
    func notesAppearNowhereByDefault(_ format: String) {
        let output = ReportFixtures.collapsed(ReportFixtures.render(format, ReportFixtures.clinic()))
        #expect(!output.contains("Synthetic note"))
        for note in Self.notes {
            let fragment = Self.fragment(note)
            #expect(fragment.count >= 18, "too short to be distinctive: \(fragment)")
            #expect(!output.contains(fragment), "\(format) shows a note without --include-notes: \(fragment)")
        }
    }

    @Test(arguments: Reporters.formats)
    func withNotesTheyAppearOnlyInTheirFindingsEvidence(_ format: String) {
        let review = ReportFixtures.clinic(includeNotes: true)
        let output = ReportFixtures.collapsed(ReportFixtures.render(format, review))
        let evidence = review.allFindings.flatMap(\.finding.records)
        for note in Self.notes {
            let fragment = Self.fragment(note)
            // Once per finding whose evidence holds the note: not in trajectories, not anywhere else.
            let expected = evidence.filter { $0.note?.contains(fragment) ?? false }.count
            #expect(
                ReportFixtures.occurrences(of: fragment, in: output) == expected,
                "\(format): '\(fragment)' should appear \(expected) times")
        }
    }

    @Test func jsonCarriesNotesOnlyUnderFindingRecords() throws {
        let text = ReportFixtures.render("json", ReportFixtures.clinic(includeNotes: true))
        let document = try JSONSchemaValidator.parse(text)
        var paths: [String] = []
        func walk(_ value: JSON, _ path: String) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "note" { paths.append(path) }
                    walk(member, path + "/" + key)
                }
            case .array(let items):
                for item in items { walk(item, path + "/*") }
            default:
                break
            }
        }
        walk(document, "")
        #expect(!paths.isEmpty)
        #expect(Set(paths) == ["/findings/*/records/*"])
    }

    @Test func theTrajectoryNeverCarriesNotes() {
        let review = ReportFixtures.clinic(includeNotes: true)
        let html = ReportFixtures.render("html", review)
        // Notes in HTML live only in the finding's notes list.
        for note in Self.notes where html.contains(Self.fragment(note)) {
            for range in html.ranges(of: Self.fragment(note)) {
                let before = html[..<range.lowerBound]
                let listStart = before.range(of: "<ul class=\"notes\"", options: .backwards)?.lowerBound
                let listEnd = before.range(of: "</ul>", options: .backwards)?.lowerBound
                #expect(
                    listStart != nil && (listEnd == nil || listEnd! < listStart!),
                    "a note outside a finding's notes list")
            }
        }
    }
}
