import AttuneCore

/// The supervision ledger in the HTML report: a finding's state under its dates, a ledger section
/// (summary, actions due, snoozed findings) before data quality, and the appendix of dismissed
/// findings at the end. Only a review run with `--ledger` has any of it.
///
/// ```swift
/// HTMLLedger.section(review, into: &html)
/// ```
package enum HTMLLedger {
    package static let css = """
        .ledger-state { margin-top: 6px; font-size: 13px; }
        .ledger-state .state { display: inline-block; padding: 0 6px; margin-right: 6px; border: 1px solid var(--ink); border-radius: 3px;
          font-size: 11px; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; }
        .ledger-state .state-discussed { background: var(--good); border-color: var(--good); color: #fff; }
        .ledger-state .state-open { background: var(--paper); }
        .ledger-state .resurfaced { font-weight: 600; }
        .ledger .summary { font-size: 14px; margin-bottom: 10px; }
        .ledger h3 { margin: 14px 0 6px; }
        .appendix { break-before: page; }
        .appendix td:first-child, .ledger td:first-child { white-space: nowrap; }

        """

    package static func state(_ item: ReportedFinding, review: Review, into out: inout String) {
        guard let ledger = review.ledger else { return }
        let status = ledger.status(of: item.finding)
        out +=
            "<p class=\"ledger-state\"><span class=\"state state-\(status.state.rawValue)\">\(status.state.rawValue)</span>"
        if let resurfaced = status.resurfaced {
            out += "<span class=\"resurfaced\">Back in the list: \(e(resurfaced)).</span> "
        }
        out += status.decision.map { e(HTMLReporter.capitalized($0.summary)) } ?? "No decision in the ledger yet."
        out += "</p>\n"
    }

    package static func section(_ review: Review, into out: inout String) {
        guard let ledger = review.ledger, let summary = LedgerText.summary(review) else { return }
        out += "<section class=\"ledger\" aria-labelledby=\"ledger\">\n"
        out += "<div class=\"section-title\"><h2 id=\"ledger\">Supervision ledger</h2></div>\n"
        out += "<p class=\"summary\">\(e(summary))</p>\n"
        out += "<h3>Actions due</h3>\n"
        if ledger.actionsDue.isEmpty {
            out += "<p>No agreed action is due by \(review.asOf).</p>\n"
        } else {
            out +=
                "<table><thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Therapist</th><th scope=\"col\">Client</th>"
                + "<th scope=\"col\">Finding</th><th scope=\"col\">Action</th><th scope=\"col\">Agreed</th></tr></thead><tbody>\n"
            for action in ledger.actionsDue {
                out +=
                    "<tr><td>\(action.due)</td><td>\(e(action.therapist))</td><td>\(e(action.subject))</td>"
                    + "<td>\(e(action.title)) <code>\(action.finding)</code></td><td>\(e(action.action))</td>"
                    + "<td>\(action.agreedOn), \(e(action.by))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "<h3>Snoozed (\(ledger.snoozed.count))</h3>\n"
        if ledger.snoozed.isEmpty {
            out += "<p>No finding of this review is snoozed.</p>\n"
        } else {
            out += "<p>Not in the lists above until their date, unless their severity rises.</p>\n"
            table(ledger.snoozed, review: review, into: &out)
        }
        out += "</section>\n"
    }

    static func appendix(_ review: Review, into out: inout String) {
        guard let ledger = review.ledger, !ledger.dismissed.isEmpty else { return }
        out += "<section class=\"appendix\" aria-labelledby=\"dismissed\">\n"
        out +=
            "<div class=\"section-title\"><h2 id=\"dismissed\">Appendix: dismissed findings</h2>"
            + "<span class=\"sub\">\(ReportText.plural(ledger.dismissed.count, "finding")) judged not relevant, with the reason</span></div>\n"
        table(ledger.dismissed, review: review, into: &out)
        out += "</section>\n"
    }

    static func table(_ items: [ReportedFinding], review: Review, into out: inout String) {
        out +=
            "<table><thead><tr><th scope=\"col\">Therapist</th><th scope=\"col\">Client</th><th scope=\"col\">Severity</th>"
            + "<th scope=\"col\">Finding</th><th scope=\"col\">Decision</th></tr></thead><tbody>\n"
        for item in items {
            let finding = item.finding
            out +=
                "<tr><td>\(e(finding.therapist))</td><td>\(e(LedgerText.subject(finding)))</td><td>\(finding.severity.rawValue)</td>"
                + "<td>\(e(item.title)) <code>\(finding.id)</code><br>\(e(ReportText.dates(of: finding)))</td>"
                + "<td>\(e(review.ledger?.status(of: finding).decision?.summary ?? ""))</td></tr>\n"
        }
        out += "</tbody></table>\n"
    }

    static func e(_ text: String) -> String { HTMLEscaping.text(text) }
}
