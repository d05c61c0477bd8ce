import AttuneCore

/// The weekly review as one self-contained HTML file (inline CSS and SVG; no scripts, no
/// network): a header with the census, an overview, a section per therapist (a new page when
/// printed) with each flagged client's findings, questions for supervision and a chart of the
/// client's measures, then data quality. All text is escaped; notes appear only under
/// `--include-notes`, and then only in the evidence of the finding they belong to.
///
/// ```sh
/// attune review Examples/clinic --format html --output review.html
/// ```
public struct HTMLReporter: StreamingReporter {
    public static let format = "html"
    public static let summary = "one self-contained page to read or print"

    /// Where the overview links a therapist (the report's own section by default; `attune serve`
    /// links the therapist's page).
    package var therapistLink: @Sendable (String) -> String = { "#" + HTMLReporter.anchor($0) }
    /// Markup after each finding's questions (`attune serve` adds a link to the finding's page).
    package var findingFooter: @Sendable (ReportedFinding) -> String = { _ in "" }

    /// Bytes held before they are handed on; a setting so that tests can cut a report into many pieces.
    public var chunkSize = ReportChunks.defaultSize

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        ReportChunks.collect { render(review, options: options, output: $0) }
    }

    /// Handed on a chunk at a time, between clients.
    public func render(_ review: Review, options: ReportOptions, output: (UnsafeRawBufferPointer) -> Void) {
        let review = VisibleReview.escaping(review)
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing may load from anywhere: the report stands alone.
        out +=
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex\">\n"
        out +=
            "<title>Supervision review \(e(review.isoWeek ?? "\(review.period.lowerBound) to \(review.period.upperBound)"))</title>\n"
        out +=
            "<style>\n\(HTMLStyle.css)\n\(HTMLStyle.printPages(review))\(review.ledger == nil ? "" : HTMLLedger.css)</style>\n</head>\n<body>\n"
        header(review, into: &out)
        overview(review, into: &out)
        for therapist in review.therapists {
            section(therapist, review: review, into: &out) { ReportChunks.flush(&$0, over: chunkSize, to: output) }
        }
        HTMLLedger.section(review, into: &out)
        dataQuality(review, into: &out)
        HTMLLedger.appendix(review, into: &out)
        out +=
            "<footer class=\"report-footer\"><p>Attune supervision review · \(e(ReportText.period(review))) · "
            + "pseudonymised records; findings are prompts for supervision, not diagnoses."
            + (review.includesNotes
                ? " This copy includes session notes: keep it as confidential as the notes themselves." : "")
            + "</p></footer>\n"
        out += "</body>\n</html>\n"
        ReportChunks.flush(&out, over: 0, to: output)
    }

    package func header(_ review: Review, into out: inout String) {
        out += "<header class=\"report-header\">\n"
        out +=
            "<p class=\"confidential\"><span>Confidential · clinical supervision</span><span>Pseudonymised records</span></p>\n"
        out += "<h1>Weekly supervision review</h1>\n"
        out +=
            "<p class=\"period\">" + (review.isoWeek.map { "Week \(e($0)) · " } ?? "")
            + "\(Self.longDate(review.period.lowerBound)) to \(Self.longDate(review.period.upperBound))</p>\n"
        out +=
            "<dl class=\"meta\"><div><dt>As of</dt><dd>\(review.asOf)</dd></div>"
            + "<div><dt>Data ends</dt><dd>\(ReportText.dataEnd(review))</dd></div>"
            + "<div><dt>Rule packs</dt><dd>\(e(ReportText.packs(review)))</dd></div>"
            + "<div><dt>Findings shown</dt><dd>\(review.minimumSeverity == .info ? "all severities" : e(review.minimumSeverity.rawValue) + " and above")</dd></div>"
            + "<div><dt>Notes</dt><dd>\(review.includesNotes ? "included" : "not included")</dd></div></dl>\n"
        let c = review.census
        out += "<ul class=\"census\" aria-label=\"Census\">"
        for (count, noun) in [
            (c.therapists, "therapist"), (c.clients, "client"), (c.episodes, "episode"), (c.files, "file"),
            (c.filesUnreadable, "unreadable"), (c.recordsRead, "record"),
        ] {
            out +=
                "<li><span class=\"n\">\(count)</span>\(noun)\(count == 1 || noun == "unreadable" ? "" : "s")\(noun == "record" ? " read" : "")</li>"
        }
        out += "<li><span class=\"n\">\(c.recordsLeftOut)</span>left out with errors</li></ul>\n"
        if let filters = ReportText.filters(review) { out += "<p class=\"filters\">\(e(filters)).</p>\n" }
        for warning in review.warnings {
            out += "<p class=\"warning\" role=\"alert\"><strong>Warning:</strong> \(e(warning))</p>\n"
        }
        out += "</header>\n"
    }

    package func overview(_ review: Review, into out: inout String) {
        out += "<section class=\"overview\" aria-labelledby=\"overview\">\n"
        out += "<div class=\"section-title\"><h2 id=\"overview\">At a glance</h2></div>\n"
        if review.therapists.isEmpty {
            out += "<p>\(e(ReportText.nothingToDiscuss(review)))</p>\n"
        } else {
            out +=
                "<table><thead><tr><th scope=\"col\">Therapist</th><th scope=\"col\">Most severe</th>"
                + "<th scope=\"col\" class=\"num\">Clients to discuss</th><th scope=\"col\" class=\"num\">New</th>"
                + "<th scope=\"col\" class=\"num\">Ongoing</th><th scope=\"col\" class=\"num\">Closed</th><th scope=\"col\">Clients and why</th></tr></thead><tbody>\n"
            for therapist in review.therapists {
                let items = therapist.clients.flatMap(\.findings) + therapist.caseload
                let count = { (status: ReportedFinding.Status) in items.filter { $0.status == status }.count }
                out +=
                    "<tr><th scope=\"row\"><a href=\"\(a(therapistLink(therapist.id)))\">\(id(therapist.id))</a></th>"
                    + "<td>\(therapist.highestSeverity.map(badge) ?? "")</td>"
                    + "<td class=\"num\">\(therapist.clients.count) of \(therapist.clientCount)</td>"
                    + "<td class=\"num\">\(count(.new))</td><td class=\"num\">\(count(.ongoing))</td><td class=\"num\">\(count(.closed))</td>"
                    + "<td>\(reasons(therapist))</td></tr>\n"
            }
            for (ids, words) in [
                (review.quietTherapists, "nothing to discuss"),
                (review.therapistsWithoutRecords, "no records this period"),
            ] {
                for quiet in ids {
                    out +=
                        "<tr><th scope=\"row\">\(id(quiet))</th><td>\(words)</td><td class=\"num\">0</td>"
                        + "<td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td></td></tr>\n"
                }
            }
            out += "</tbody></table>\n"
        }
        out += "<div class=\"legend\" aria-label=\"Legend\">"
        for severity in Severity.allCases.reversed() { out += "<span>\(badge(severity))</span>" }
        out +=
            "</div>\n<div class=\"legend\">"
            + "<span><span class=\"status status-new\">new</span> opened this period</span>"
            + "<span><span class=\"status status-ongoing\">ongoing</span> opened earlier, still open</span>"
            + "<span><span class=\"status status-closed\">closed ✓</span> resolved this period</span></div>\n"
        out += "<div class=\"legend\">Charts: \(Self.legendIcons(measures: review.measures))</div>\n"
        out += "</section>\n"
    }

    /// `afterClient` may hand on what `out` holds (the report streams), between two clients.
    package func section(
        _ therapist: TherapistReview, review: Review, into out: inout String,
        afterClient: (inout String) -> Void = { _ in }
    ) {
        let page = review.therapists.firstIndex { $0.id == therapist.id }.map(HTMLStyle.pageName) ?? ""
        out +=
            "<section class=\"therapist\" id=\"\(Self.anchor(therapist.id))\" style=\"page: \(page)\" aria-labelledby=\"\(Self.anchor(therapist.id))-h\">\n"
        out +=
            "<div class=\"section-title\"><h2 id=\"\(Self.anchor(therapist.id))-h\">Therapist \(id(therapist.id))</h2>"
            + "<span class=\"sub\">\(e(ReportText.therapistSummary(therapist))) · \(e(ReportText.period(review)))</span></div>\n"
        for client in therapist.clients {
            out += "<article class=\"client\" aria-label=\"Client \(a(ReportText.client(client)))\">\n"
            out +=
                "<div class=\"client-head\"><h3>Client \(clientName(client))</h3>"
                + "<span class=\"sub\">\(ReportText.plural(client.findings.count, "finding")) · "
                + "\(ReportText.plural(client.trajectory.count, "appointment")) on record</span></div>\n"
            for item in client.findings {
                finding(item, owner: "Client " + clientName(client), review: review, into: &out)
            }
            trajectory(client, review: review, into: &out)
            out += "</article>\n"
            afterClient(&out)
        }
        if !therapist.caseload.isEmpty {
            out += "<div class=\"caseload\"><div class=\"client-head\"><h3>Caseload of \(id(therapist.id))</h3></div>\n"
            for item in therapist.caseload {
                finding(item, owner: "Caseload of " + id(therapist.id), review: review, into: &out)
            }
            out += "</div>\n"
        }
        out += "</section>\n"
    }

    /// `owner` (markup) names the client or caseload; printed, it heads the card, so a card that
    /// starts a page still says whose it is.
    package func finding(_ item: ReportedFinding, owner: String, review: Review, into out: inout String) {
        let finding = item.finding
        out += "<div class=\"finding sev-\(finding.severity.rawValue)\">\n"
        out += "<p class=\"finding-owner\">\(owner)</p>\n"
        out +=
            "<div class=\"finding-head\">\(badge(finding.severity))\(status(item.status))<h4>\(prose(item.title))</h4></div>\n"
        out += "<p class=\"message\">\(prose(finding.message))</p>\n"
        var when = "<b>\(e(Self.capitalized(ReportText.dates(of: finding))))</b>"
        if !finding.records.isEmpty { when += " · evidence: \(prose(ReportText.evidenceSessions(finding)))" }
        if let clients = ReportText.caseloadClients(finding) { when += " · clients: \(e(clients))" }
        when += " · rule <code class=\"id\">\(e(finding.rule))</code> · id <code class=\"id\">\(finding.id)</code>"
        out += "<p class=\"when\">\(when)</p>\n"
        HTMLLedger.state(item, review: review, into: &out)
        let notes = ReportText.notes(finding)
        if !notes.isEmpty {
            out += "<ul class=\"notes\" aria-label=\"Session notes\">"
            for (label, note) in notes { out += "<li><span>\(e(label)):</span> \(e(note))</li>" }
            out += "</ul>\n"
        }
        let questions = ReportText.questions(in: item.guidance)
        if !questions.isEmpty {
            out += "<div class=\"questions\"><p>Questions for supervision</p><ul>"
            for question in questions { out += "<li>\(e(question))</li>" }
            out += "</ul></div>\n"
        }
        out += findingFooter(item)
        out += "</div>\n"
    }

    private func trajectory(_ client: ClientReview, review: Review, into out: inout String) {
        guard !client.trajectory.isEmpty else { return }
        // The chart and the table read the points several times: made once for this client.
        let points = client.trajectory.points
        let used = ReportText.measuresUsed(points, of: review.measures)
        var chart = TrajectoryChart(client: client.client, points: points, measures: used, period: review.period)
        chart.bands = client.findings.compactMap(\.finding.expectedBand)
        // Printed, the chart may start a page: it carries its client's name so it never stands alone.
        out +=
            "<figure class=\"trajectory\">\n<p class=\"figure-title\">Client \(clientName(client)) · sessions and measures</p>\n"
            + chart.svg()
        out += "<figcaption>\(e(used.map { ReportText.measureCaption($0.spec) }.joined(separator: " · ")))"
        for band in chart.bands.prefix(1) {
            out +=
                "<br><span class=\"band-key\" aria-hidden=\"true\"></span> \(e(band.measure.uppercased() + " " + band.label))"
        }
        out += "</figcaption>\n"
        out += "</figure>\n"
        out +=
            "<details class=\"sessions\"><summary>Session data</summary><table><thead><tr><th scope=\"col\">Date</th>"
            + "<th scope=\"col\" class=\"num\">Session</th><th scope=\"col\">Attendance</th>"
        for column in used { out += "<th scope=\"col\" class=\"num\">\(e(column.spec.name.uppercased()))</th>" }
        out += "<th scope=\"col\">Marks</th></tr></thead><tbody>\n"
        for point in points {
            out +=
                "<tr><td>\(point.date)</td><td class=\"num\">\(point.session.map(String.init) ?? "")</td>"
                + "<td>\(e(ReportText.attendance(point.attendance)))</td>"
            for column in used {
                out += "<td class=\"num\">\(point.measures[column.index].map(ReportText.number) ?? "")</td>"
            }
            out += "<td>\(e(ReportText.marks(point).joined(separator: "; ")))</td></tr>\n"
        }
        out += "</tbody></table></details>\n"
    }

    package func dataQuality(_ review: Review, into out: inout String) {
        out += "<section class=\"data-quality\" aria-labelledby=\"data-quality\">\n"
        out += "<div class=\"section-title\"><h2 id=\"data-quality\">Data quality</h2></div>\n"
        if review.dataQuality.leftOut.isEmpty {
            out += "<p>No records were left out.</p>\n"
        } else {
            out +=
                "<p>\(ReportText.plural(review.census.recordsLeftOut, "record")) left out:</p>\n<table><thead><tr>"
                + "<th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\">Reason</th></tr></thead><tbody>\n"
            for item in review.dataQuality.leftOut {
                out += "<tr><td class=\"num\">\(item.count)</td><td>\(e(item.reason))</td></tr>\n"
            }
            out += "</tbody></table>\n<ul>"
            for error in review.recordErrors { out += "<li><code>\(e(error.description))</code></li>" }
            if let hidden = ReportText.errorsNotShown(review) { out += "<li>\(e(hidden))</li>" }
            out += "</ul>\n"
        }
        if !review.evaluationFailures.isEmpty {
            out += "<p>Rules that could not be evaluated:</p><ul>"
            for failure in review.evaluationFailures { out += "<li>\(e(failure.description))</li>" }
            out += "</ul>\n"
        }
        if !review.dataQuality.bookingsRecorded { out += "<p>\(e(ReportText.bookingsNotRecorded))</p>\n" }
        if review.dataQuality.unjudged.isEmpty {
            out += "<p>Every rule could judge every record it read.</p>\n"
        } else {
            out +=
                "<p style=\"margin-top:12px\">\(e(ReportText.unjudgedHeading(review)))</p>\n"
                + "<table><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\" class=\"num\">Records</th></tr></thead><tbody>\n"
            for item in review.dataQuality.unjudged {
                out +=
                    "<tr><td>\(e(item.title)) <code>\(e(item.rule))</code></td><td class=\"num\">\(item.records)</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "</section>\n"
    }

    // MARK: - Pieces

    /// Severity as a word, a symbol and a fill that steps from black to white.
    package func badge(_ severity: Severity) -> String {
        let symbol: String
        switch severity {
        case .critical: symbol = "◆"
        case .high: symbol = "▲"
        case .medium: symbol = "■"
        case .low: symbol = "●"
        case .info: symbol = "○"
        }
        return
            "<span class=\"badge sev-\(severity.rawValue)\"><span aria-hidden=\"true\">\(symbol) </span>\(severity.rawValue)</span>"
    }

    package func status(_ status: ReportedFinding.Status) -> String {
        "<span class=\"status status-\(status.rawValue)\">\(status.rawValue)\(status == .closed ? " ✓" : "")</span>"
    }

    static func legendIcons(measures: [MeasureSpec]) -> String {
        func icon(_ body: String) -> String {
            "<svg class=\"legend-icon chart\" viewBox=\"-8 -8 16 16\" aria-hidden=\"true\">\(body)</svg>"
        }
        var items = [
            icon("<path class=\"rupture open-rupture\" d=\"M0,-7 L7,5 L-7,5 Z\"/>") + " rupture not fully resolved",
            icon("<path class=\"rupture\" d=\"M0,-7 L7,5 L-7,5 Z\"/>") + " rupture resolved in session",
            icon(TrajectoryChart.repairShape(.full)) + " full repair",
            icon(TrajectoryChart.repairShape(.partial)) + " partial repair",
            icon("<path class=\"missed\" d=\"M-5,-5 L5,5 M-5,5 L5,-5\"/>") + " missed appointment",
            icon("<path class=\"cancelled\" d=\"M0,-4.5 L4.5,0 L0,4.5 L-4.5,0 Z\"/>") + " cancelled with notice",
            // Attributes in this order keep the legend's dot apart from the charts' data points.
            icon("<circle r=\"3.6\" class=\"point concern-point\"/>")
                + " score on the side of concern (hatched) of the dashed cutoff",
        ]
        for spec in measures where spec.isRiskItem {
            let lowest = ReportText.number(spec.range.lowerBound)
            items.append(
                icon(TrajectoryChart.riskShape)
                    + " \(HTMLEscaping.text(spec.name.uppercased())) (risk item) above \(lowest); "
                    + "a \(lowest) does not rule risk out")
        }
        items.append(
            icon("<path class=\"gap-bracket\" d=\"M-7,-3 L-7,2 L7,2 L7,-3\"/>")
                + " more than \(TrajectoryChart.gapDays) days without an attended session")
        return items.map { "<span>\($0)</span>" }.joined()
    }

    /// Each client to discuss with the titles of its findings, most severe first, then the
    /// caseload's: the reason, not only the id.
    private func reasons(_ therapist: TherapistReview) -> String {
        var items = therapist.clients.map { client in
            "<li>\(clientName(client)): \(prose(ReportText.titles(client.findings)))</li>"
        }
        if !therapist.caseload.isEmpty {
            items.append("<li>Caseload: \(prose(ReportText.titles(therapist.caseload)))</li>")
        }
        return "<ul class=\"reasons\">" + items.joined() + "</ul>"
    }

    /// A pseudonym that never breaks across lines (at its hyphen or anywhere else).
    private func id(_ text: String) -> String { "<span class=\"id\">\(e(text))</span>" }

    private func clientName(_ client: ClientReview) -> String {
        client.episode == "1" ? id(client.client) : "\(id(client.client)), episode \(e(client.episode))"
    }

    package static func anchor(_ therapist: String) -> String { "therapist-" + HTMLEscaping.identifier(therapist) }

    package static func longDate(_ day: Day) -> String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        let c = day.components
        return "\(c.day) \(months[c.month - 1]) \(c.year)"
    }

    package static func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }

    private func e(_ text: String) -> String { HTMLEscaping.text(text) }

    /// Escaped text in which a short hyphenated word (a date, an id, `OQ-45`) never breaks at
    /// its hyphen when the line wraps: "2026-11-" at a line's end and "09" on the next misreads.
    func prose(_ text: String) -> String {
        var text = text
        return text.withUTF8(asciiProse) ?? proseByCharacter(text)
    }

    /// `prose` for any text, character by character.
    func proseByCharacter(_ text: String) -> String {
        var out = ""
        var plain = ""
        var word = ""
        func flushWord() {
            guard !word.isEmpty else { return }
            if word.count <= 40, word.first != "-", word.last != "-", word.contains("-") {
                out += e(plain) + "<span class=\"id\">\(word)</span>"
                plain = ""
            } else {
                plain += word
            }
            word = ""
        }
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber || character == "-" {
                word.append(character)
            } else {
                flushWord()
                plain.append(character)
            }
        }
        flushWord()
        return out + e(plain)
    }

    /// `prose` for ASCII text, by bytes (there a character is a byte): a word is a run of ASCII
    /// letters, digits and hyphens, and the text between the words it marks is escaped whole.
    /// Nil for other text, which `prose` reads character by character.
    func asciiProse(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D
        }
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        var out = ""
        var plainStart = 0
        var index = 0
        while index < bytes.count {
            guard isWordByte(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
            let word = bytes[start..<index]
            if word.count <= 40, word.first != 0x2D, word.last != 0x2D, word.contains(0x2D) {
                out += e(text(plainStart..<start)) + "<span class=\"id\">\(text(start..<index))</span>"
                plainStart = index
            }
        }
        return out + e(text(plainStart..<bytes.count))
    }

    private func a(_ text: String) -> String { HTMLEscaping.attribute(text) }
}
