import AttuneCore

/// The review for the terminal: per therapist, clients most severe first, each finding with its
/// status, message, evidence and the questions to ask, then the client's recent sessions; every
/// line fits the width (80 columns by default); colour by severity only when asked (the CLI asks
/// on a terminal without NO_COLOR), and the severity is always spelled out as well.
///
/// ```text
/// T-02 · 5 of 7 clients to discuss · 1 caseload finding
///   C-1010
///     HIGH     ongoing  Unresolved rupture
///                       A rupture of 2026-10-19 (intensity 4, mixed) was not repaired …
/// ```
public struct TextReporter: StreamingReporter {
    public static let format = "text"
    public static let summary = "for the terminal, 80 columns; the default"

    /// Columns before a finding's message: indent, severity, status.
    static let findingIndent = 4 + 9 + 9
    /// The narrowest the marks column gets (its marks wrap within it): enough for "full repair".
    static let marksWidth = 18

    /// Bytes held before they are handed on; a setting so that tests can cut a report into many pieces.
    public var chunkSize = ReportChunks.defaultSize

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        ReportChunks.collect { render(review, options: options, output: $0) }
    }

    /// Handed on a chunk at a time, between clients.
    public func render(_ review: Review, options: ReportOptions, output: (UnsafeRawBufferPointer) -> Void) {
        let review = VisibleReview.escaping(review)
        var out = TextWriter(options: options)
        out.line(out.bold("Attune supervision review") + " · " + ReportText.period(review))
        out.phrases(
            ["As of \(review.asOf)", "data ends \(ReportText.dataEnd(review))", "packs: \(ReportText.packs(review))"],
            hanging: 2)
        out.phrases(ReportText.census(review), hanging: 2)
        if let filters = ReportText.filters(review) { out.wrapped(filters + ".", indent: 0, hanging: 2) }
        for warning in review.warnings { out.wrapped("Warning: " + warning, indent: 0, hanging: 2) }
        out.blank()

        if review.therapists.isEmpty {
            out.line(ReportText.nothingToDiscuss(review))
            out.blank()
        }
        for therapist in review.therapists {
            out.rule(out.bold(therapist.id) + " · " + ReportText.therapistSummary(therapist))
            for client in therapist.clients {
                out.line("  " + out.bold(ReportText.client(client)))
                for item in client.findings { finding(item, review: review, into: &out) }
                trajectory(client.trajectory.points, measures: review.measures, into: &out)
                out.blank()
                ReportChunks.flush(&out.text, over: chunkSize, to: output)
            }
            if !therapist.caseload.isEmpty {
                out.line("  " + out.bold("Caseload"))
                for item in therapist.caseload { finding(item, review: review, into: &out) }
                out.blank()
            }
        }
        if !review.quietTherapists.isEmpty {
            out.wrapped(
                "Nothing to discuss this period: " + review.quietTherapists.joined(separator: ", "), indent: 0,
                hanging: 2)
            out.blank()
        }
        if let line = ReportText.withoutRecords(review) {
            out.wrapped(line, indent: 0, hanging: 2)
            out.blank()
        }
        ledger(review, into: &out)
        dataQuality(review, into: &out)
        dismissed(review, into: &out)
        ReportChunks.flush(&out.text, over: 0, to: output)
    }

    /// The ledger's summary, the actions due and the snoozed findings (out of the list above).
    private func ledger(_ review: Review, into out: inout TextWriter) {
        guard let ledger = review.ledger, let summary = LedgerText.summary(review) else { return }
        out.rule(out.bold("Supervision ledger"))
        out.wrapped(summary, indent: 2, hanging: 4)
        if !ledger.actionsDue.isEmpty {
            out.line("  Actions due:")
            for action in ledger.actionsDue { out.wrapped(LedgerText.action(action), indent: 4, hanging: 6) }
        }
        if !ledger.snoozed.isEmpty {
            out.line("  Snoozed, not in the list above (\(ledger.snoozed.count)):")
            for item in ledger.snoozed { out.wrapped(LedgerText.setAside(item, review), indent: 4, hanging: 6) }
        }
        out.blank()
    }

    /// The appendix of dismissed findings, each with its reason.
    private func dismissed(_ review: Review, into out: inout TextWriter) {
        guard let ledger = review.ledger, !ledger.dismissed.isEmpty else { return }
        out.rule(out.bold("Appendix: dismissed findings") + " · \(ledger.dismissed.count)")
        for item in ledger.dismissed { out.wrapped(LedgerText.setAside(item, review), indent: 2, hanging: 4) }
        out.blank()
    }

    private func finding(_ item: ReportedFinding, review: Review, into out: inout TextWriter) {
        let severity = item.finding.severity
        let indent = Self.findingIndent
        let lead =
            "    " + out.colour(severity.rawValue.uppercased().padding(9), severity) + item.status.rawValue.padding(9)
        out.wrapped(item.title, indent: indent, lead: lead, leadWidth: indent)
        out.wrapped(item.finding.message, indent: indent)
        var when = ReportText.dates(of: item.finding)
        if !item.finding.records.isEmpty { when += "; evidence: " + ReportText.evidenceSessions(item.finding) }
        out.wrapped(when, indent: indent)
        if let clients = ReportText.caseloadClients(item.finding) { out.wrapped("clients: " + clients, indent: indent) }
        out.wrapped(LedgerText.findingLine(item, review), indent: indent, hanging: indent + 2)
        for (label, note) in ReportText.notes(item.finding) {
            out.wrapped("note \(label): \(note)", indent: indent, hanging: indent + 2)
        }
        for question in ReportText.questions(in: item.guidance) {
            out.wrapped("? " + question, indent: indent, hanging: indent + 2)
        }
    }

    /// The last twelve appointments, one line each; marks wrap under their own column. Measures
    /// that do not fit the width, or were recorded only before those twelve, are named, never
    /// dropped silently; a risk item's column carries its note.
    private func trajectory(_ points: [TrajectoryPoint], measures: [MeasureSpec], into out: inout TextWriter) {
        guard !points.isEmpty else { return }
        let shown = points.suffix(12)
        // Room for marks first: at most as many measure columns as leave `marksWidth` for them.
        var used: [(spec: MeasureSpec, index: Int, width: Int)] = []
        var column = 4 + 11 + 8
        for measure in ReportText.measuresUsed(shown, of: measures) {
            let width = max(measure.spec.name.count + 1, 6)
            guard column + width + Self.marksWidth <= out.width else { break }
            used.append((measure.spec, measure.index, width))
            column += width
        }
        if shown.count < points.count {
            out.line(out.dim("    last \(shown.count) of \(points.count) appointments"))
        }
        let columns = Set(used.map(\.spec.name))
        let leftOut = ReportText.measuresUsed(points, of: measures).map(\.spec).filter { !columns.contains($0.name) }
        var header = "    " + "date".padding(11) + "seen".padding(8)
        for (spec, _, width) in used { header += spec.name.uppercased().padding(width) }
        out.line(out.dim(header + "marks"))
        for point in shown {
            var row = "    " + point.date.description.padding(11)
            let seen: String
            switch point.attendance {
            case .attended: seen = "yes"
            case .cancelled: seen = "cancel"
            case .lateCancel: seen = "late"
            case .noShow: seen = "no-show"
            }
            row += seen.padding(8)
            for (_, index, width) in used {
                row += (point.measures[index].map(ReportText.number) ?? "·").padding(width)
            }
            let marks = ReportText.marks(point).filter { !$0.hasPrefix("missed") }.joined(separator: "; ")
            if marks.isEmpty {
                out.line(row.trimmingTrailingSpaces)
            } else {
                out.wrapped(marks, indent: column, lead: row, leadWidth: column)
            }
        }
        for (spec, _, _) in used where spec.isRiskItem {
            out.wrapped("\(spec.name.uppercased()) is \(ReportText.riskNote(spec))", indent: 4, hanging: 6)
        }
        if !leftOut.isEmpty {
            out.wrapped(
                "not shown here: " + leftOut.map { $0.name.uppercased() }.joined(separator: ", ")
                    + " (--format html or markdown shows every measure)", indent: 4, hanging: 6)
        }
    }

    private func dataQuality(_ review: Review, into out: inout TextWriter) {
        guard !review.recordErrors.isEmpty || !review.dataQuality.isEmpty || !review.evaluationFailures.isEmpty else {
            return
        }
        out.rule(out.bold("Data quality"))
        if !review.dataQuality.leftOut.isEmpty {
            out.line("  " + ReportText.plural(review.census.recordsLeftOut, "record") + " left out:")
            for item in review.dataQuality.leftOut {
                out.wrapped("\(item.count) × \(item.reason)", indent: 4, hanging: 8)
            }
            for error in review.recordErrors { out.wrapped(error.description, indent: 4, hanging: 8) }
            if let hidden = ReportText.errorsNotShown(review) { out.wrapped(hidden, indent: 4, hanging: 8) }
        }
        for failure in review.evaluationFailures {
            out.wrapped("could not evaluate: \(failure)", indent: 2, hanging: 4)
        }
        if !review.dataQuality.bookingsRecorded { out.wrapped(ReportText.bookingsNotRecorded, indent: 2, hanging: 4) }
        if !review.dataQuality.unjudged.isEmpty {
            out.wrapped(ReportText.unjudgedHeading(review), indent: 2, hanging: 4)
            for item in review.dataQuality.unjudged {
                out.wrapped("\(String(item.records).padding(5))\(item.rule) (\(item.title))", indent: 4, hanging: 9)
            }
        }
        out.blank()
    }
}
