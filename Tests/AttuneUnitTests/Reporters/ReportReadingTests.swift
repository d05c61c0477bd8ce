import AttuneCore
import AttuneReporters
import Foundation
import Testing

/// The report as a supervisor reads it: what the chart marks, what "At a glance" says, what the
/// printed pages carry, and that the text report names every measure the HTML shows.
@Suite struct ReportReadingTests {
    /// One client of T-09 with a rupture, a partial then a full repair, a 5-week gap in attendance,
    /// PHQ-9 item 9 scored 0 then 2, a CORE-10 score, and an SRS below the cutoff in W48.
    static let review: Review = {
        return Self.review(
            of: """
                - {client: C-2001, therapist: T-09, date: 2026-09-01, session: 1, attendance: attended, measures: {srs: 38, phq9: 12, phq9_i9: 0, core10: 14},
                   rupture: {type: confrontation, markers: [complaint-about-activities], intensity: 3, resolution: none, reported_by: therapist}}
                - {client: C-2001, therapist: T-09, date: 2026-09-08, session: 2, attendance: attended, measures: {srs: 37, phq9: 12, phq9_i9: 0}, repair: partial}
                - {client: C-2001, therapist: T-09, date: 2026-09-15, session: 3, attendance: attended, measures: {srs: 38, phq9: 11, phq9_i9: 0}, repair: full}
                - {client: C-2001, therapist: T-09, date: 2026-10-20, session: 4, attendance: attended, measures: {srs: 37, phq9: 13, phq9_i9: 0}}
                - {client: C-2001, therapist: T-09, date: 2026-11-24, session: 5, attendance: attended, measures: {srs: 30, phq9: 16, phq9_i9: 2}}
                """)
    }()

    static var html: String { ReportFixtures.render("html", review) }

    /// The repair marks as the chart draws them, and as the legend must show them.
    static let full = "<circle class=\"repair full\" r=\"6.5\"/><path class=\"tick\" d=\"M-3.2,0 L-1,3 L3.5,-3\"/>"
    static let partial =
        "<circle class=\"repair partial\" r=\"6\"/><path class=\"repair-half\" d=\"M0,-6 A6,6 0 0 0 0,6 Z\"/>"

    @Test func theFixtureHasAClientToDiscuss() {
        #expect(Self.review.therapists.map(\.id) == ["T-09"])
        #expect(Self.review.therapists.first?.clients.map(\.client) == ["C-2001"])
    }

    // MARK: chart

    @Test func partialAndFullRepairHaveDifferentMarksAndTheLegendNamesBoth() {
        let html = Self.html
        let partial = "<circle class=\"repair partial\""
        let full = "<circle class=\"repair full\""
        // One of each in the chart, one of each in the legend.
        #expect(ReportFixtures.occurrences(of: partial, in: html) == 2)
        #expect(ReportFixtures.occurrences(of: full, in: html) == 2)
        #expect(Self.partial != Self.full)
        #expect(html.contains(Self.full + "</svg> full repair"))
        #expect(html.contains(Self.partial + "</svg> partial repair"))
        #expect(html.contains("aria-label=\"2026-09-08: partial repair of a rupture\""))
        #expect(html.contains("aria-label=\"2026-09-15: full repair of a rupture\""))
    }

    @Test func aGapInAttendanceIsLabelledOnTheTimeAxis() throws {
        let html = Self.html
        #expect(
            html.contains(
                "aria-label=\"Gap in attendance: 35 days without an attended session, 2026-09-15 to 2026-10-20\""))
        #expect(
            html.contains(
                "aria-label=\"Gap in attendance: 35 days without an attended session, 2026-10-20 to 2026-11-24\""))
        // Weekly sessions are not gaps.
        #expect(ReportFixtures.occurrences(of: "<g class=\"gap\"", in: html) == 2)
        // The axis is time: 35 days are five times as wide as 7.
        let x = try (1...5).map { session in try Self.pointX(html, "SRS", session: session) }
        let week = x[1] - x[0]
        let gap = x[3] - x[2]
        #expect(abs(gap - 5 * week) < 0.5, "\(x)")
    }

    @Test func aGapToTheEndOfThePeriodIsLabelledAsOpen() {
        let review = Self.review(
            of: """
                - {client: C-2002, therapist: T-09, date: 2026-10-01, session: 1, attendance: attended, measures: {srs: 30}}
                - {client: C-2002, therapist: T-09, date: 2026-11-25, attendance: no-show}
                """)
        let html = ReportFixtures.render("html", review)
        #expect(
            html.contains(
                "aria-label=\"Gap in attendance: 59 days since the last attended session, 2026-10-01 to 2026-11-29\""))
    }

    @Test func aRiskItemScoreStandsOutAndAZeroIsNeverReassurance() {
        let html = Self.html
        // The 2 is a large filled mark, not a plain point; the zeros stay plain points.
        #expect(ReportFixtures.occurrences(of: "<g class=\"risk-point\"", in: html) == 1)
        #expect(html.contains("aria-label=\"PHQ9_I9 2 on 2026-11-24, session 5: risk item endorsed\""))
        #expect(ReportFixtures.occurrences(of: "aria-label=\"PHQ9_I9 0 on", in: html) == 4)
        #expect(!html.contains("risk item endorsed\"><title>PHQ9_I9 0"))
        // Nowhere does the risk item read "lower is better"; the panel, caption and legend say a 0 rules nothing out.
        let panel = html.components(separatedBy: ">PHQ9_I9</text>").dropFirst().first ?? ""
        #expect(!panel.prefix(200).contains("is better"))
        #expect(panel.prefix(400).contains("0 does not</text>") && panel.prefix(500).contains("rule risk out</text>"))
        #expect(html.contains("PHQ-9 item 9 (self-harm), a risk screen: 0 does not rule risk out"))
        #expect(html.contains("PHQ9_I9 (risk item) above 0; a 0 does not rule risk out"))
    }

    @Test func everyFormatThatShowsTheRiskItemSaysAZeroDoesNotRuleRiskOut() {
        for format in ["text", "markdown"] {
            let report = ReportFixtures.collapsed(ReportFixtures.render(format, Self.review))
            #expect(
                report.contains("PHQ9_I9 is a risk screen: 0 does not rule risk out")
                    || report.contains("PHQ9\\_I9 is a risk screen: 0 does not rule risk out"), "\(format)")
        }
    }

    @Test func onlyARiskItemOfThePackGetsTheRiskMark() {
        let measures = Fixtures.vocabulary.measures
        #expect(measures.filter(\.isRiskItem).map(\.name) == ["phq9_i9"])
    }

    // MARK: at a glance

    @Test func atAGlanceGivesEachClientsReasons() throws {
        let review = ReportFixtures.clinic()
        let html = ReportFixtures.render("html", review)
        let glance = try #require(
            html.components(separatedBy: "<h2 id=\"overview\">").dropFirst().first?
                .components(separatedBy: "</table>").first)
        // Titles of the clinic need no escaping, so they are looked for as they are, once the
        // spans that keep hyphenated words whole are taken out.
        let plain = glance.replacingOccurrences(of: "<span class=\"id\">", with: "").replacingOccurrences(
            of: "</span>", with: "")
        for therapist in review.therapists {
            for client in therapist.clients {
                let titles = Set(client.findings.map(\.title))
                let reason = titles.count == 1 ? client.findings[0].title : nil
                #expect(glance.contains("<li><span class=\"id\">\(client.client)</span>: "), "\(client.client)")
                for title in titles { #expect(plain.contains(title), "\(client.client): \(title)") }
                if let reason { #expect(plain.contains("\(client.client): \(reason)</li>")) }
            }
            if !therapist.caseload.isEmpty { #expect(glance.contains("<li>Caseload: ")) }
        }
        #expect(
            plain.contains(
                "C-1018: PHQ-9 item 9 endorsed; Distress deterioration (CORE-10); Depression deterioration (PHQ-9)</li>"
            ))
        #expect(glance.contains("<span class=\"id\">PHQ-9</span> item 9 endorsed"))
    }

    @Test func idsNeverBreakAtTheHyphen() {
        let html = Self.html
        #expect(html.contains(".id { white-space: nowrap; }"))
        #expect(html.contains("<h2 id=\"therapist-T-09-h\">Therapist <span class=\"id\">T-09</span></h2>"))
        #expect(html.contains("<h3>Client <span class=\"id\">C-2001</span></h3>"))
        #expect(html.contains("<a href=\"#therapist-T-09\"><span class=\"id\">T-09</span></a>"))
        // The text report wraps at spaces only: no id is split across lines.
        let text = ReportFixtures.render("text", ReportFixtures.clinic())
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            #expect(!trimmed.hasSuffix("C-") && !trimmed.hasSuffix("T-") && !trimmed.hasPrefix("-"), "\(line)")
        }
    }

    // MARK: print

    @Test func printedPagesNameTheTherapistAndAreNumbered() {
        let review = ReportFixtures.clinic()
        let html = ReportFixtures.render("html", review)
        #expect(html.contains("@bottom-right { content: \"Page \" counter(page) \" of \" counter(pages);"))
        for (index, therapist) in review.therapists.enumerated() {
            let page = "therapist-\(index + 1)"
            #expect(
                html.contains("<section class=\"therapist\" id=\"therapist-\(therapist.id)\" style=\"page: \(page)\""))
            #expect(
                html.contains(
                    "@page \(page) { @top-left { content: \"Therapist \(therapist.id) \\b7  weekly supervision review\";"
                ))
        }
    }

    @Test func printedChartsAndCardsNameTheirClient() {
        let html = Self.html
        #expect(
            html.contains(
                "<figure class=\"trajectory\">\n<p class=\"figure-title\">Client <span class=\"id\">C-2001</span> · sessions and measures</p>"
            ))
        #expect(html.contains("figure.trajectory .figure-title, .finding-owner { display: block; }"))
        // The first card sits under the client heading (which never ends a page), so it needs no label.
        #expect(html.contains(".client-head + .finding .finding-owner { display: none; }"))
        let cards = ReportFixtures.occurrences(of: "<div class=\"finding sev-", in: html)
        #expect(
            cards > 0
                && ReportFixtures.occurrences(
                    of: "<p class=\"finding-owner\">Client <span class=\"id\">C-2001</span></p>", in: html) == cards
        )
        #expect(html.contains(".client-head, h2, h3, figure.trajectory .figure-title { break-after: avoid;"))
        #expect(html.contains(".finding, figure.trajectory, .client-head, tr { break-inside: avoid;"))
    }

    @Test func aTherapistIdCannotEndTheRunningHeaderString() {
        let review = Self.review(
            of: """
                - {client: C-1, therapist: "T\\"}</style><b>", date: 2026-11-24, session: 1, attendance: attended, measures: {srs: 30}}
                """)
        let html = ReportFixtures.render("html", review)
        let style =
            html.components(separatedBy: "<style>").dropFirst().first?.components(separatedBy: "</style>").first ?? ""
        #expect(
            style.contains(
                "content: \"Therapist T\\22 \\7d \\3c \\2f style\\3e \\3c b\\3e  \\b7  weekly supervision review\""))
        #expect(ReportFixtures.occurrences(of: "</style>", in: html) == 1)
    }

    // MARK: text measures

    @Test func theTextReportShowsEveryMeasureOrNamesTheOnesItLeavesOut() {
        let review = ReportFixtures.clinic()
        let text = ReportFixtures.render("text", review)
        // Every measure of every client in the clinic fits 80 columns.
        for client in review.therapists.flatMap(\.clients) {
            let block = text.components(separatedBy: "\n  \(client.client)\n").dropFirst().first ?? ""
            let header = block.split(separator: "\n").first { $0.hasPrefix("    date       seen") } ?? ""
            for spec in measuresUsed(client.trajectory.points) {
                #expect(header.contains(spec.uppercased()), "\(client.client): \(spec)")
            }
        }
        // A client with every measure of the pack: what does not fit is named.
        let measures = Fixtures.vocabulary.measures
        let scores = measures.map { "\($0.name): \($0.range.lowerBound)" }.joined(separator: ", ")
        let all = Self.review(
            of: """
                - {client: C-3001, therapist: T-09, date: 2026-11-24, session: 1, attendance: attended, measures: {\(scores)}}
                """)
        let allText = ReportFixtures.render("text", all)
        let header = allText.split(separator: "\n").first { $0.hasPrefix("    date       seen") } ?? ""
        let collapsed = ReportFixtures.collapsed(allText)
        let note =
            collapsed.components(separatedBy: "not shown here: ").dropFirst().first?.components(
                separatedBy: " (--format"
            ).first ?? ""
        for spec in measures {
            let name = spec.name.uppercased()
            let inHeader = header.split(separator: " ").contains { $0 == name }
            let named = note.components(separatedBy: ", ").contains(name)
            #expect(inHeader != named, "\(name): in the table \(inHeader), named as left out \(named)")
        }
        #expect(!note.isEmpty)
        #expect(collapsed.contains(" (--format html or markdown shows every measure)"))
    }

    // MARK: helpers

    /// The review of 2026-W48 of records given as YAML, with the default pack.
    static func review(of yaml: String) -> Review {
        var request = ReviewRequest()
        request.setWeek(ReportFixtures.week48)
        return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.batch(yaml), request: request)
    }

    /// The measures a trajectory has any score on.
    func measuresUsed(_ points: [TrajectoryPoint]) -> [String] {
        Fixtures.vocabulary.measures.indices.filter { index in points.contains { $0.measures[index] != nil } }
            .map { Fixtures.vocabulary.measures[$0].name }
    }

    /// The x of a data point, read from its circle.
    static func pointX(_ html: String, _ measure: String, session: Int) throws -> Double {
        let marker = "aria-label=\"\(measure) "
        let circles = html.components(separatedBy: "<circle class=\"point").dropFirst()
        let circle = try #require(
            circles.first {
                $0.contains(marker) && $0.contains(", session \(session)") && $0.prefix(200).contains(marker)
            })
        let cx = try #require(
            circle.components(separatedBy: "cx=\"").dropFirst().first?.components(separatedBy: "\"").first)
        return try #require(Double(cx))
    }
}
