import AttuneCore

/// The review as GitHub-flavoured Markdown, for pasting into a supervision record or wiki: the
/// same content as the text report, with tables (pipes escaped, one line per cell).
///
/// ```markdown
/// ## T-02 · 5 of 7 clients to discuss
/// ### C-1010
/// | Severity | Status | Finding | Dates | Evidence sessions |
/// |---|---|---|---|---|
/// ```
public struct MarkdownReporter: StreamingReporter {
    public static let format = "markdown"
    public static let summary = "for a wiki or a pull request"

    /// Bytes held before they are handed on; a setting so that tests can cut a report into many pieces.
    public var chunkSize = ReportChunks.defaultSize

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        ReportChunks.collect { render(review, options: options, output: $0) }
    }

    /// Handed on a chunk at a time, between clients.
    public func render(_ review: Review, options: ReportOptions, output: (UnsafeRawBufferPointer) -> Void) {
        let review = VisibleReview.escaping(review)
        var out = ""
        out +=
            "# Supervision review, \(review.isoWeek ?? "\(review.period.lowerBound) to \(review.period.upperBound)")\n\n"
        out +=
            "**Period:** \(review.period.lowerBound) to \(review.period.upperBound) · **as of:** \(review.asOf) · "
            + "**data ends:** \(ReportText.dataEnd(review)) · **packs:** \(Self.inline(ReportText.packs(review)))\n\n"
        let c = review.census
        out += "| Therapists | Clients | Episodes | Files | Files unreadable | Records read | Records left out |\n"
        out += "|---:|---:|---:|---:|---:|---:|---:|\n"
        out +=
            "| \(c.therapists) | \(c.clients) | \(c.episodes) | \(c.files) | \(c.filesUnreadable) | \(c.recordsRead) | \(c.recordsLeftOut) |\n\n"
        if let filters = ReportText.filters(review) { out += "_\(Self.inline(filters))._\n\n" }
        for warning in review.warnings { out += "> **Warning:** \(Self.inline(warning))\n\n" }
        if review.therapists.isEmpty { out += ReportText.nothingToDiscuss(review) + "\n\n" }

        for therapist in review.therapists {
            out += "## \(Self.inline(therapist.id)) · \(ReportText.therapistSummary(therapist))\n\n"
            for client in therapist.clients {
                out += "### \(Self.inline(ReportText.client(client)))\n\n"
                findings(client.findings, review: review, into: &out)
                trajectory(client.trajectory.points, measures: review.measures, into: &out)
                ReportChunks.flush(&out, over: chunkSize, to: output)
            }
            if !therapist.caseload.isEmpty {
                out += "### Caseload\n\n"
                findings(therapist.caseload, review: review, into: &out)
            }
        }
        if !review.quietTherapists.isEmpty {
            out += "Nothing to discuss this period: \(Self.inline(review.quietTherapists.joined(separator: ", "))).\n\n"
        }
        if let line = ReportText.withoutRecords(review) { out += Self.inline(line) + ".\n\n" }
        ledger(review, into: &out)
        dataQuality(review, into: &out)
        dismissed(review, into: &out)
        ReportChunks.flush(&out, over: 0, to: output)
    }

    /// The ledger's summary, the actions due and the snoozed findings (out of the tables above).
    private func ledger(_ review: Review, into out: inout String) {
        guard let ledger = review.ledger, let summary = LedgerText.summary(review) else { return }
        out += "## Supervision ledger\n\n\(Self.inline(summary))\n\n"
        if !ledger.actionsDue.isEmpty {
            out +=
                "### Actions due\n\n| Due | Therapist | Client | Finding | Action | Agreed |\n|---|---|---|---|---|---|\n"
            for action in ledger.actionsDue {
                out +=
                    "| \(action.due) | \(Self.cell(action.therapist)) | \(Self.cell(action.subject)) | "
                    + "\(Self.cell(action.title)) `\(action.finding)` | \(Self.cell(action.action)) | \(action.agreedOn), \(Self.cell(action.by)) |\n"
            }
            out += "\n"
        }
        if !ledger.snoozed.isEmpty {
            out += "### Snoozed (\(ledger.snoozed.count), not in the tables above)\n\n"
            for item in ledger.snoozed { out += "- \(Self.inline(LedgerText.setAside(item, review)))\n" }
            out += "\n"
        }
    }

    /// The appendix of dismissed findings, each with its reason.
    private func dismissed(_ review: Review, into out: inout String) {
        guard let ledger = review.ledger, !ledger.dismissed.isEmpty else { return }
        out += "\n## Appendix: dismissed findings (\(ledger.dismissed.count))\n\n"
        for item in ledger.dismissed { out += "- \(Self.inline(LedgerText.setAside(item, review)))\n" }
    }

    private func findings(_ items: [ReportedFinding], review: Review, into out: inout String) {
        out += "| Severity | Status | Finding | Dates | Evidence sessions |\n"
        out += "|---|---|---|---|---|\n"
        for item in items {
            var evidence = ReportText.evidenceSessions(item.finding)
            if let clients = ReportText.caseloadClients(item.finding) { evidence = "clients: " + clients }
            out +=
                "| **\(item.finding.severity.rawValue.uppercased())** | \(item.status.rawValue) | "
                + "**\(Self.cell(item.title))**<br>\(Self.cell(item.finding.message)) | "
                + "\(Self.cell(ReportText.dates(of: item.finding)))<br>\(Self.cell(LedgerText.findingLine(item, review))) | \(Self.cell(evidence)) |\n"
        }
        out += "\n"
        for item in items {
            let notes = ReportText.notes(item.finding)
            let questions = ReportText.questions(in: item.guidance)
            guard !notes.isEmpty || !questions.isEmpty else { continue }
            out += "**\(Self.inline(item.title))** · questions for supervision\n\n"
            for (label, note) in notes { out += "> Note \(Self.inline(label)): \(Self.inline(note))\n>\n" }
            if !notes.isEmpty {
                out.removeLast(2)
                out += "\n"
            }
            for question in questions { out += "- \(Self.inline(question))\n" }
            out += "\n"
        }
    }

    private func trajectory(_ points: [TrajectoryPoint], measures: [MeasureSpec], into out: inout String) {
        guard !points.isEmpty else { return }
        let used = ReportText.measuresUsed(points, of: measures)
        out +=
            "| Date | Session | Attendance | "
            + used.map { Self.cell($0.spec.name.uppercased()) + " |" }.joined(separator: " ") + " Marks |\n"
        out += "|---|---:|---|" + String(repeating: "---:|", count: used.count) + "---|\n"
        for point in points {
            out +=
                "| \(point.date) | \(point.session.map(String.init) ?? "") | \(ReportText.attendance(point.attendance)) | "
            for column in used { out += (point.measures[column.index].map(ReportText.number) ?? "") + " | " }
            out += Self.cell(ReportText.marks(point).joined(separator: "; ")) + " |\n"
        }
        out += "\n"
        for spec in used.map(\.spec) where spec.isRiskItem {
            out += "_\(Self.inline(spec.name.uppercased())) is \(Self.inline(ReportText.riskNote(spec)))._\n\n"
        }
    }

    private func dataQuality(_ review: Review, into out: inout String) {
        out += "## Data quality\n\n"
        if review.dataQuality.leftOut.isEmpty {
            out += "No records were left out.\n\n"
        } else {
            out +=
                "\(ReportText.plural(review.census.recordsLeftOut, "record")) left out:\n\n| Errors | Reason |\n|---:|---|\n"
            for item in review.dataQuality.leftOut { out += "| \(item.count) | \(Self.cell(item.reason)) |\n" }
            out += "\n"
            for error in review.recordErrors { out += "- `\(Self.code(error.description))`\n" }
            if let hidden = ReportText.errorsNotShown(review) { out += "- \(hidden)\n" }
            out += "\n"
        }
        for failure in review.evaluationFailures {
            out += "- Could not evaluate: \(Self.inline(failure.description))\n"
        }
        if !review.evaluationFailures.isEmpty { out += "\n" }
        if !review.dataQuality.bookingsRecorded { out += ReportText.bookingsNotRecorded + "\n\n" }
        if review.dataQuality.unjudged.isEmpty {
            out += "Every rule could judge every record it read.\n"
        } else {
            out += ReportText.unjudgedHeading(review) + "\n\n"
            out += "| Rule | Records |\n|---|---:|\n"
            for item in review.dataQuality.unjudged {
                out += "| \(Self.cell(item.title)) (\(Self.cell(item.rule))) | \(item.records) |\n"
            }
        }
    }

    /// Text inside a table cell: one line, pipes and HTML escaped so the table keeps its shape.
    public static func cell(_ text: String) -> String {
        inline(text).replacingPipes
    }

    /// Running text: one line, with characters Markdown or embedded HTML would act on escaped.
    public static func inline(_ text: String) -> String {
        // By UTF-8 bytes, as `HTMLEscaping` escapes: every special byte wherever it stands (by
        // `Character`, a `*` or `[` followed by a combining mark went out as it was).
        UTF8Rewriting.rewrite(
            text, where: isInlineSpecial,
            by: { byte, bytes, next, out in
                switch byte {
                case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "\r"):
                    out.append(UInt8(ascii: " "))
                    UTF8Rewriting.takeLineFeed(after: bytes, at: &next)
                case UInt8(ascii: "\n"), UInt8(ascii: "\t"): out.append(UInt8(ascii: " "))
                default:
                    // `\` `` ` `` `*` `_` `[` `]`: escaped with a backslash.
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                }
            })
    }

    private static func isInlineSpecial(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\n"),
            UInt8(ascii: "\r"), UInt8(ascii: "\t"):
            return true
        default: return false
        }
    }

    /// Text inside a code span outside tables: backticks cannot be escaped there, so they become spaces.
    static func code(_ text: String) -> String {
        String(text.map { $0 == "`" || $0.isNewline ? " " : $0 })
    }
}

extension String {
    /// Every `|` escaped, by bytes (a `|` followed by a combining mark too, which would
    /// otherwise split the table cell).
    fileprivate var replacingPipes: String {
        UTF8Rewriting.rewrite(
            self, where: { $0 == UInt8(ascii: "|") },
            by: { byte, _, _, out in
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            })
    }
}
