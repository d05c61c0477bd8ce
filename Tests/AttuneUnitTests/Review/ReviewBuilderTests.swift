import Testing

@testable import AttuneCore
@testable import AttuneReporters

/// The review period, finding status, filters and data-quality counts.
@Suite struct ReviewBuilderTests {
    static let week = Fixtures.day("2026-11-23")...Fixtures.day("2026-11-29")

    static func finding(opened: String, closed: String?, severity: Severity = .medium, therapist: String = "T-01")
        -> Finding
    {
        Finding(
            rule: "r", severity: severity, subject: .episode(client: "C-1", episode: "1"), therapist: therapist,
            opened: Fixtures.day(opened), closed: closed.map(Fixtures.day), records: [], message: "m", evidence: [:])
    }

    @Test(
        arguments: [
            ("2026-11-01", nil, ReportedFinding.Status.ongoing),  // opened before, still open
            ("2026-11-23", nil, .new),  // opened on the Monday
            ("2026-11-29", nil, .new),  // opened on the Sunday
            ("2026-11-01", "2026-11-25", .closed),  // closed in the week: good news shown
            ("2026-11-24", "2026-11-27", .closed),  // opened and closed in the week
            ("2026-11-26", "2026-11-26", .new),  // a point finding in the week
            ("2026-11-01", "2026-11-23", .closed),  // closed on the first day
        ] as [(String, String?, ReportedFinding.Status)])
    func status(_ opened: String, _ closed: String?, _ expected: ReportedFinding.Status) {
        let finding = Self.finding(opened: opened, closed: closed)
        #expect(finding.isOpen(during: Self.week.lowerBound, Self.week.upperBound))
        #expect(ReviewBuilder.status(of: finding, in: Self.week) == expected)
    }

    @Test func findingsOutsideThePeriodAreNotOpenDuringIt() {
        #expect(
            !Self.finding(opened: "2026-11-01", closed: "2026-11-22").isOpen(
                during: Self.week.lowerBound, Self.week.upperBound))
        #expect(
            !Self.finding(opened: "2026-11-30", closed: nil).isOpen(during: Self.week.lowerBound, Self.week.upperBound))
        #expect(
            !Self.finding(opened: "2026-11-20", closed: "2026-11-20").isOpen(
                during: Self.week.lowerBound, Self.week.upperBound))
    }

    @Test func periodResolution() {
        let records = Fixtures.records(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-20, attendance: attended}
            - {client: C-1, therapist: T-01, date: 2026-11-26, attendance: attended}
            """
        ).0
        // Found once, as a review does: the latest record ends the default period.
        let data = ReviewBuilder.dataRange(of: records)
        #expect(data == Fixtures.day("2026-11-20")...Fixtures.day("2026-11-26"))
        // Default: the seven days ending at the latest record.
        #expect(
            ReviewBuilder.period(for: ReviewRequest(), data: data) == Fixtures.day(
                "2026-11-20")...Fixtures.day("2026-11-26"))
        // An ISO week: Monday to Sunday, as of the Sunday.
        var week = ReviewRequest()
        week.setWeek(Day(isoWeek: "2026-W48")!)
        #expect(ReviewBuilder.period(for: week, data: data) == Self.week)
        // --since alone runs to the latest record; after as-of there is no period.
        #expect(
            ReviewBuilder.period(for: ReviewRequest(since: Fixtures.day("2026-11-01")), data: data)
                == Fixtures.day("2026-11-01")...Fixtures.day("2026-11-26"))
        #expect(
            ReviewBuilder.period(
                for: ReviewRequest(asOf: Fixtures.day("2026-11-10"), since: Fixtures.day("2026-11-12")),
                data: data) == nil)
        // Without records, the as-of date is the one given, or none.
        #expect(ReviewBuilder.asOf(for: ReviewRequest(), data: nil) == nil)
        #expect(
            ReviewBuilder.asOf(for: ReviewRequest(asOf: Fixtures.day("2026-11-10")), data: nil)
                == Fixtures.day("2026-11-10"))
    }

    static let twoTherapists = """
        - {client: C-1, therapist: T-01, date: 2026-11-16, session: 1, attendance: attended, measures: {srs: 38}}
        - {client: C-1, therapist: T-01, date: 2026-11-24, session: 2, attendance: attended, measures: {srs: 30}}
        - {client: C-2, therapist: T-02, date: 2026-11-24, session: 1, attendance: attended, measures: {srs: 39}}
        - {client: C-3, therapist: T-02, date: 2026-11-25, session: 1, attendance: attended}
        - {client: C-3, therapist: T-02, date: 2026-11-26, session: 2, attendance: no-show}
        """

    static func review(_ configure: (inout ReviewRequest) -> Void = { _ in }) -> Review {
        var request = ReviewRequest()
        request.setWeek(Day(isoWeek: "2026-W48")!)
        configure(&request)
        return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.batch(twoTherapists), request: request)
    }

    /// How a rupture ended is said in words in the session table of the text, Markdown and HTML
    /// reports (it once read "fullly resolved").
    @Test func aRupturesResolutionIsSaidInWords() {
        let yaml = """
            - {client: C-1, therapist: T-01, date: 2026-11-17, session: 1, attendance: attended, measures: {srs: 30},
               rupture: {type: withdrawal, markers: [avoidant-storytelling], resolution: full}}
            - {client: C-1, therapist: T-01, date: 2026-11-24, session: 2, attendance: attended, measures: {srs: 30},
               rupture: {type: confrontation, markers: [complaint-about-progress], resolution: partial}}
            - {client: C-1, therapist: T-01, date: 2026-11-26, session: 3, attendance: attended, measures: {srs: 30},
               rupture: {type: withdrawal, markers: [avoidant-storytelling], intensity: 2, resolution: none}}
            """
        var request = ReviewRequest()
        request.setWeek(Day(isoWeek: "2026-W48")!)
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.batch(yaml), request: request)
        for reporter in [TextReporter() as any Reporter, MarkdownReporter(), HTMLReporter()] {
            let report = reporter.render(review, options: ReportOptions(width: 200))
            for words in [
                "withdrawal rupture, intensity not recorded, fully resolved in session",
                "confrontation rupture, intensity not recorded, partially resolved in session",
                "withdrawal rupture, intensity 2/5, not resolved in session",
            ] {
                #expect(report.contains(words), "\(type(of: reporter)): \(words)")
            }
            #expect(!report.contains("fullly"))
        }
    }

    /// A client's trajectory reads the shared records: one point per record, in timeline order,
    /// with the record's date, session, attendance, scores, rupture and repair, and never its notes;
    /// read by index, walked with `forEachPoint` or made into an array, the points are the same.
    @Test func aTrajectoryIsTheClientsRecordsInTimelineOrder() throws {
        let yaml = """
            - {client: C-1, therapist: T-01, date: 2026-11-26, session: 3, attendance: attended, measures: {srs: 30},
               notes: "private words", rupture: {type: withdrawal, markers: [avoidant-storytelling], resolution: full}}
            - {client: C-1, therapist: T-01, date: 2026-11-17, session: 1, attendance: attended, measures: {srs: 38}}
            - {client: C-1, therapist: T-01, date: 2026-11-24, session: 2, attendance: no-show, repair: partial}
            - {client: C-2, therapist: T-01, date: 2026-11-25, session: 1, attendance: attended, measures: {srs: 20}}
            """
        var request = ReviewRequest()
        request.setWeek(Day(isoWeek: "2026-W48")!)
        let batch = ReportFixtures.batch(yaml)
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: batch, request: request)
        let client = try #require(review.therapists.first?.clients.first { $0.client == "C-1" })
        let copied = batch.records.filter { $0.client == "C-1" }.sorted { $0.date < $1.date }.map { record in
            TrajectoryPoint(
                date: record.date, session: record.session, attendance: record.attendance,
                measures: record.measures, rupture: record.rupture, repair: record.repair)
        }
        #expect(client.trajectory.count == 3)
        #expect(Array(client.trajectory) == copied)
        #expect(client.trajectory.points == copied)
        var walked: [TrajectoryPoint] = []
        client.trajectory.forEachPoint { walked.append($0) }
        #expect(walked == copied)
        #expect(client.trajectory.map(\.session) == [1, 2, 3])
        #expect(client.trajectory.last?.rupture?.markers == ["avoidant-storytelling"])
        #expect(client.trajectory[1].repair == .partial)
        #expect(!String(describing: client.trajectory.points).contains("private words"))
        // Points of its own: as given, whichever way they are read.
        let own = Trajectory(copied.reversed())
        #expect(own.map(\.session) == [3, 2, 1])
        #expect(own.points.map(\.session) == [3, 2, 1])
        walked = []
        own.forEachPoint { walked.append($0) }
        #expect(walked == copied.reversed())
        #expect(Trajectory().isEmpty)
    }

    /// A rupture marker a terminal would act on (the decoder refuses one; a site's code could still
    /// put one in) is escaped for the reports that show text: the trajectory then gets points of
    /// its own; one with nothing to escape keeps reading the records.
    @Test func aTrajectoryGetsPointsOfItsOwnOnlyWhenAMarkerIsEscaped() throws {
        let yaml = """
            - {client: C-1, therapist: T-01, date: 2026-11-17, session: 1, attendance: attended, measures: {srs: 38}}
            - {client: C-1, therapist: T-01, date: 2026-11-26, session: 2, attendance: attended, measures: {srs: 30},
               rupture: {type: withdrawal, markers: [avoidant-storytelling], resolution: full}}
            """
        var request = ReviewRequest()
        request.setWeek(Day(isoWeek: "2026-W48")!)
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
            batch: ReportFixtures.batch(yaml), request: request)
        let client = try #require(review.therapists.first?.clients.first)
        var hostile = review
        var points = client.trajectory.points
        points[1].rupture?.markers = ["shift\u{1B}[2J"]
        hostile.therapists[0].clients[0].trajectory = Trajectory(points)
        let escaped = VisibleReview.escaping(hostile).therapists[0].clients[0].trajectory
        #expect(escaped.map { $0.rupture?.markers } == [nil, ["shift\\u{1B}[2J"]])
        #expect(VisibleReview.escaping(review).therapists[0].clients[0].trajectory.points == client.trajectory.points)
    }

    @Test func quietTherapistsAreNamed() {
        let review = Self.review()
        let belowCutoff = review.allFindings.filter { $0.finding.rule == "alliance-below-cutoff" }
        #expect(belowCutoff.map(\.finding.therapist) == ["T-01"])
        #expect(belowCutoff.map(\.status) == [.new])
        #expect(review.therapists.map(\.id).contains("T-01"))
        #expect(!review.quietTherapists.contains("T-01"))
        #expect(review.isoWeek == "2026-W48")
    }

    /// A therapist written two ways that `String` finds equal (K and the Kelvin sign) is one
    /// therapist: one section holding the clients of both spellings, each client's findings in
    /// one group, as when written one way. (Findings are grouped by comparing ids as numbers
    /// first; this is what the fallback to their text is for.)
    @Test func aTherapistWrittenTwoWaysIsOneTherapist() {
        func review(kelvin: String) -> Review {
            let yaml = """
                - {client: C-1, therapist: K-01, date: 2026-11-16, session: 1, attendance: attended, measures: {srs: 30}}
                - {client: C-1, therapist: \(kelvin)-01, date: 2026-11-24, session: 2, attendance: attended, measures: {srs: 30}}
                - {client: C-4, therapist: \(kelvin)-01, date: 2026-11-24, session: 1, attendance: attended, measures: {srs: 31}}
                - {client: C-5, therapist: K-01, date: 2026-11-25, session: 1, attendance: attended, measures: {srs: 29}}
                - {client: C-2, therapist: T-02, date: 2026-11-24, session: 1, attendance: attended, measures: {srs: 30}}
                """
            var request = ReviewRequest()
            request.setWeek(Day(isoWeek: "2026-W48")!)
            return ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(
                batch: ReportFixtures.batch(yaml), request: request)
        }
        func shape(_ review: Review) -> [String] {
            review.therapists.map { section in
                "\(section.id.unicodeScalars.count): "
                    + section.clients.map { "\($0.client) \($0.findings.map(\.finding.rule))" }.joined(separator: "; ")
            }
        }
        let oneWay = review(kelvin: "K")
        let twoWays = review(kelvin: "\u{212A}")
        #expect(oneWay.therapists.count == 2)
        #expect(oneWay.therapists.first { $0.id == "K-01" }?.clients.map(\.client) == ["C-1", "C-4", "C-5"])
        #expect(shape(twoWays) == shape(oneWay))
        #expect(twoWays.allFindings.contains { $0.finding.therapist.unicodeScalars.first == "\u{212A}" })
    }

    @Test func therapistAndSeverityFilters() {
        let onlyT2 = Self.review { $0.therapists = ["T-02"] }
        #expect(onlyT2.allFindings.allSatisfy { $0.finding.therapist == "T-02" })
        #expect(!onlyT2.quietTherapists.contains("T-01"))
        #expect(onlyT2.therapistFilter == ["T-02"])
        let high = Self.review { $0.minimumSeverity = .high }
        #expect(high.allFindings.allSatisfy { $0.finding.severity >= .high })
        #expect(!high.allFindings.contains { $0.finding.rule == "alliance-below-cutoff" })
    }

    @Test func unjudgedCountsAttendedRecordsWithoutTheMeasure() throws {
        let review = Self.review()
        // C-3's attended session has no SRS: alliance-below-cutoff could not judge it. Its no-show is
        // not a session the rule looks at (`where: attendance == 'attended'`), so it does not count.
        let entry = try #require(review.dataQuality.unjudged.first { $0.rule == "alliance-below-cutoff" })
        #expect(entry.records == 1)
        #expect(entry.title == "Alliance below the SRS cutoff")
        #expect(review.dataQuality.unjudged.allSatisfy { $0.records > 0 })
        #expect(review.dataQuality.unjudged.map(\.records) == review.dataQuality.unjudged.map(\.records).sorted(by: >))
    }

    @Test func leftOutRecordsAreGroupedByReason() {
        let batch = ReportFixtures.batch(
            """
            - {client: C-1, therapist: T-01, date: 2026-11-24, attendance: attended, measures: {srs: 99}}
            - {client: C-2, therapist: T-01, date: 2026-11-24, attendance: attended, measures: {srs: 99}}
            - {client: C-3, therapist: T-01, date: 2026-11-24, attendance: sometimes}
            """)
        var request = ReviewRequest()
        request.setWeek(Day(isoWeek: "2026-W48")!)
        let review = ReviewBuilder(ruleSet: Fixtures.defaultRuleSet).build(batch: batch, request: request)
        #expect(review.census.recordsLeftOut == 3)
        #expect(review.dataQuality.leftOut.map(\.count).reduce(0, +) == batch.errors.count)
        #expect(review.dataQuality.leftOut.first?.count == 2)
    }
}
