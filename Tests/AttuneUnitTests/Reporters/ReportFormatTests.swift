import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// What each format promises beyond its golden file: widths, colour, quoting, escaping,
/// self-containment and accessibility.
@Suite struct ReportFormatTests {
    /// A site pack whose message carries every character a format must escape.
    static let hostileRuleSet = Fixtures.ruleSet([
        "pack.yaml": Fixtures.minimalPackYAML,
        "hostile.yaml": """
        id: hostile-text
        title: "Title | with <b>markup</b> & \\"quotes\\", commas"
        severity: high
        kind: threshold
        match: measures.srs < 36
        message: "a | b <script>alert(1)</script> & \\"quoted\\", comma\\nsecond line"
        guidance: |
          Is <i>this</i> | escaped?
        tests:
          - name: fires below 36
            records: [{date: 2026-01-08, attendance: attended, measures: {srs: 30}}]
            expect: [{opened: 2026-01-08, closed: 2026-01-08}]
        """,
    ])

    static let hostileReview: Review = {
        let batch = ReportFixtures.batch(
            """
            - {client: "C-<9>", therapist: "T-|1", date: 2026-11-24, session: 1, attendance: attended, measures: {srs: 30}}
            """, vocabulary: hostileRuleSet.vocabulary)
        var request = ReviewRequest()
        request.setWeek(ReportFixtures.week48)
        return ReviewBuilder(ruleSet: hostileRuleSet).build(batch: batch, request: request)
    }()

    @Test func theHostilePackLoads() {
        #expect(!Self.hostileRuleSet.diagnostics.hasErrors, "\(Self.hostileRuleSet.diagnostics)")
        #expect(Self.hostileReview.allFindings.filter { $0.finding.rule == "hostile-text" }.count == 1)
    }

    // MARK: text

    @Test func textFitsEightyColumns() {
        for review in [ReportFixtures.clinic(), ReportFixtures.clinic(includeNotes: true), Self.hostileReview] {
            let text = ReportFixtures.render("text", review)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(line.count <= 80, "\(line.count) columns: \(line)")
            }
        }
    }

    /// The census once wrapped as "204 records\n  read": its lines break only at " · ".
    @Test func textHeaderLinesBreakOnlyBetweenPhrases() {
        let text = ReportFixtures.render("text", ReportFixtures.clinic())
        let header = text.components(separatedBy: "\n\n")[0].split(separator: "\n").dropFirst()
        let phrases = header.flatMap { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: " · ") }
        #expect(phrases.contains("204 records read"), "\(header)")
        #expect(phrases.contains("0 left out"), "\(header)")
        #expect(phrases.contains { $0.hasPrefix("packs: attune-default ") }, "\(header)")
        for line in header { #expect(!line.hasSuffix(" ·") && line.count <= 80, "\(line)") }
    }

    @Test func textIsColouredOnlyWhenAsked() {
        let review = ReportFixtures.clinic()
        let plain = ReportFixtures.render("text", review, options: ReportOptions(colour: false))
        let coloured = ReportFixtures.render("text", review, options: ReportOptions(colour: true))
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;37;41mCRITICAL"))
        #expect(coloured.contains("\u{1B}[1;31mHIGH"))
        // Same words either way: colour adds, never replaces.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == plain)
    }

    @Test func textOrdersClientsMostSevereFirst() {
        let review = ReportFixtures.clinic()
        for therapist in review.therapists {
            let severities = therapist.clients.map(\.highestSeverity)
            #expect(severities == severities.sorted(by: >))
        }
        let text = ReportFixtures.render("text", review)
        let first = review.therapists[0]
        #expect(text.range(of: first.id)!.lowerBound < text.range(of: review.therapists[1].id + " ·")!.lowerBound)
    }

    // MARK: CSV

    @Test func csvFollowsRFC4180() throws {
        let csv = ReportFixtures.render("csv", ReportFixtures.clinic())
        let rows = try Self.parseCSV(csv)
        #expect(rows.first == CSVReporter.columns)
        #expect(rows.count == ReportFixtures.clinic().allFindings.count + 1)
        #expect(rows.allSatisfy { $0.count == CSVReporter.columns.count })
        // Every record ends with CRLF and no bare LF outside quotes.
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func csvQuotesWhatNeedsQuoting() throws {
        #expect(CSVReporter.field("plain") == "plain")
        #expect(CSVReporter.field("a,b") == "\"a,b\"")
        #expect(CSVReporter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVReporter.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVReporter.field("cr\rhere") == "\"cr\rhere\"")
        let rows = try Self.parseCSV(ReportFixtures.render("csv", Self.hostileReview)).filter {
            $0.first == "hostile-text"
        }
        let row = try #require(rows.first)
        #expect(rows.count == 1)
        #expect(
            row[CSVReporter.columns.firstIndex(of: "message")!]
                == "a | b <script>alert(1)</script> & \"quoted\", comma\nsecond line")
        #expect(row[CSVReporter.columns.firstIndex(of: "title")!] == "Title | with <b>markup</b> & \"quotes\", commas")
        #expect(row[CSVReporter.columns.firstIndex(of: "client")!] == "C-<9>")
    }

    @Test func csvHasANotesColumnOnlyWithNotes() throws {
        let without = try Self.parseCSV(ReportFixtures.render("csv", ReportFixtures.clinic()))
        let with = try Self.parseCSV(ReportFixtures.render("csv", ReportFixtures.clinic(includeNotes: true)))
        #expect(!without[0].contains("evidence_notes"))
        #expect(with[0].last == "evidence_notes")
        #expect(with.dropFirst().contains { $0.last?.contains("Synthetic note") ?? false })
    }

    // MARK: Markdown

    @Test func markdownTablesKeepTheirShape() {
        let markdown = ReportFixtures.render("markdown", Self.hostileReview)
        #expect(markdown.contains("a \\| b &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quoted\", comma second line"))
        #expect(!markdown.contains("<script"))
        for markdown in [markdown, ReportFixtures.render("markdown", ReportFixtures.clinic())] {
            // Each table row has as many unescaped pipes as its header.
            var expected: Int?
            for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
                guard line.hasPrefix("|") else {
                    expected = nil
                    continue
                }
                let pipes = Self.unescapedPipes(line)
                if let expected { #expect(pipes == expected, "\(line)") } else { expected = pipes }
            }
        }
    }

    // MARK: HTML

    @Test func htmlIsSelfContained() {
        let html = ReportFixtures.render("html", ReportFixtures.clinic())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("@import"))
        #expect(!html.contains("url(http"))
        // The only URL is the SVG namespace, which is a name, not a fetch.
        let urls = html.components(separatedBy: "http:").count - 1 + html.components(separatedBy: "https:").count - 1
        #expect(urls == ReportFixtures.occurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", in: html))
        #expect(html.contains("<style>"))
        #expect(html.contains("@media print"))
        #expect(html.contains(".therapist { break-before: page; page-break-before: always;"))
    }

    /// Printed, "2026-11-" once ended a line with "09" on the next, and "(OQ-" with "45)".
    @Test func htmlNeverBreaksDatesIdsOrMeasureNamesAtTheirHyphen() {
        let html = ReportFixtures.render("html", ReportFixtures.clinic())
        #expect(html.contains("Outcome deterioration (<span class=\"id\">OQ-45</span>)"))
        #expect(html.contains("evidence: <span class=\"id\">2026-10-26</span> (#15)"))
        #expect(html.contains("rule <code class=\"id\">distancing-noted</code>"))
        #expect(html.contains("No attended appointment since <span class=\"id\">2026-11-03</span>:"))
        let hostile = ReportFixtures.render("html", Self.hostileReview)
        #expect(
            hostile.contains("a | b &lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
            "escaping still applies around the spans")
    }

    @Test func htmlEscapesAllText() {
        let html = ReportFixtures.render("html", Self.hostileReview)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>markup"))
        #expect(!html.contains("<i>this"))
        #expect(html.contains("a | b &lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quoted\""))
        #expect(html.contains("Client C-&lt;9&gt;"))
        #expect(html.contains("aria-label=\"Client C-&lt;9&gt;\""))
    }

    @Test func htmlChartsLabelEveryPointForScreenReaders() {
        let review = ReportFixtures.clinic()
        let html = ReportFixtures.render("html", review)
        let clients = review.therapists.flatMap(\.clients)
        let scores = clients.flatMap(\.trajectory).reduce(0) { $0 + $1.measures.count }
        // A risk item's score above its lowest is a risk mark instead of a plain point.
        let risks = ReportFixtures.occurrences(of: "<g class=\"risk-point\"", in: html)
        #expect(risks > 0 && ReportFixtures.occurrences(of: "<circle class=\"point", in: html) + risks == scores)
        // Each point has an aria-label and a title.
        let points = html.components(separatedBy: "<circle class=\"point").dropFirst()
        #expect(
            points.allSatisfy {
                $0.prefix(300).contains("role=\"img\" aria-label=\"") && $0.prefix(400).contains("<title>")
            })
        // One chart per client, each with its cutoff lines and marks of ruptures and missed sessions.
        #expect(ReportFixtures.occurrences(of: "<svg class=\"chart\"", in: html) == clients.count)
        #expect(html.contains("class=\"cutoff\""))
        let ruptures = clients.flatMap(\.trajectory).filter { $0.rupture != nil }.count
        let missed = clients.flatMap(\.trajectory).filter { $0.attendance == .noShow || $0.attendance == .lateCancel }
            .count
        #expect(ruptures > 0 && missed > 0)
        // + the legend's two
        #expect(ReportFixtures.occurrences(of: "<path class=\"rupture", in: html) == ruptures + 2)
        #expect(ReportFixtures.occurrences(of: "<path class=\"missed\"", in: html) == missed + 1)
    }

    @Test func htmlSeverityReadsWithoutColour() {
        let html = ReportFixtures.render("html", ReportFixtures.clinic())
        // Each severity has its own word and symbol, not only a colour.
        for (severity, symbol) in [("critical", "◆"), ("high", "▲"), ("medium", "■"), ("low", "●"), ("info", "○")] {
            #expect(
                html.contains(
                    "<span class=\"badge sev-\(severity)\"><span aria-hidden=\"true\">\(symbol) </span>\(severity)</span>"
                ))
        }
    }

    // MARK: helpers

    static func unescapedPipes(_ line: Substring) -> Int {
        var count = 0
        var escaped = false
        for character in line {
            if character == "|", !escaped { count += 1 }
            escaped = character == "\\" && !escaped
        }
        return count
    }

    struct CSVError: Error {}

    /// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
    static func parseCSV(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty, !wasQuoted else { throw CSVError() }
                quoted = true
                wasQuoted = true
            case ",":
                row.append(field)
                field = ""
                wasQuoted = false
            case "\r\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                wasQuoted = false
            case "\n", "\r":
                throw CSVError()
            default:
                guard !wasQuoted else { throw CSVError() }
                field.append(character)
            }
        }
        guard !quoted, row.isEmpty, field.isEmpty else { throw CSVError() }
        return rows
    }
}
