import AttuneCore
import AttuneLedger
import AttuneReporters
import Foundation

/// The pages of `attune serve`, rendered on the server from the HTML report's own pieces (its
/// escaping, stylesheet, sections and charts) with links between them and the decision forms.
/// No page needs JavaScript, and none has any: every action is a link or a form.
///
/// ```swift
/// let html = ServePages(shown: shown, csrf: session.csrf, supervisor: "A. Supervisor").glance()
/// ```
struct ServePages {
    var shown: ReviewStore.Shown
    var csrf: String
    var supervisor: String
    var today: Day

    var review: Review { shown.review }

    /// The report's renderer, linking therapists and findings to their pages.
    var reporter: HTMLReporter {
        var reporter = HTMLReporter()
        let week = shown.week
        reporter.therapistLink = { "/therapist?id=\(Self.query($0))&week=\(week)" }
        reporter.findingFooter = { item in
            "<p class=\"open-finding\"><a href=\"/finding?id=\(item.finding.id)&amp;week=\(week)\">"
                + "Open this finding: evidence, history, and record a decision</a></p>\n"
        }
        return reporter
    }

    // MARK: - Pages

    /// The week at a glance: therapists, most severe first, with the clients to discuss.
    func glance() -> String {
        var body = ""
        reporter.header(review, into: &body)
        reporter.overview(review, into: &body)
        HTMLLedger.section(review, into: &body)
        reporter.dataQuality(review, into: &body)
        return page(title: "Week \(shown.week) at a glance", body: body)
    }

    func therapist(_ id: String) throws(ServeError) -> String {
        var body = ""
        if let therapist = review.therapists.first(where: { $0.id == id }) {
            reporter.section(therapist, review: review, into: &body)
        } else if review.quietTherapists.contains(id) {
            body +=
                "<section class=\"therapist\"><div class=\"section-title\"><h2>Therapist \(e(id))</h2></div>"
                + "<p>Nothing to discuss in week \(e(shown.week)).</p></section>\n"
        } else {
            let known = review.therapists.map(\.id) + review.quietTherapists
            throw .notFound("No therapist '\(id)' in week \(shown.week)\(Suggestion.phrase(for: id, in: known)).")
        }
        return page(title: "Therapist \(id) · week \(shown.week)", body: body)
    }

    /// A finding with its evidence and questions (when it is in this week's review), what the
    /// ledger holds about it, and the forms to record a decision.
    func finding(_ id: String, ledgerFinding: LedgerFinding, recorded: Bool) -> String {
        var body =
            "<section class=\"finding-page\">\n<div class=\"section-title\"><h2>\(e(ledgerFinding.title))</h2>"
            + "<span class=\"sub\">\(e(ledgerFinding.subject)) · therapist "
            + "<a href=\"/therapist?id=\(a(Self.query(ledgerFinding.therapist)))&amp;week=\(shown.week)\">\(e(ledgerFinding.therapist))</a>"
            + " · id <code>\(ledgerFinding.id)</code></span></div>\n"
        if recorded { body += "<p class=\"notice\" role=\"status\">Decision recorded in the ledger.</p>\n" }
        if let item = shown.base.allFindings.first(where: { $0.finding.id == id }) {
            HTMLReporter().finding(item, owner: e(ledgerFinding.subject), review: review, into: &body)
        } else {
            body +=
                "<p>This finding is not in week \(e(shown.week))'s review; below is what the ledger holds about it.</p>\n"
        }
        body += history(ledgerFinding)
        body += forms(ledgerFinding)
        body += "</section>\n"
        return page(title: "Finding \(id) · week \(shown.week)", body: body)
    }

    func error(_ error: ServeError) -> String {
        page(
            title: "Error \(error.status)",
            body: "<section><h2>Error \(error.status)</h2><p class=\"error\">\(e(error.description))</p></section>\n")
    }

    // MARK: - Pieces

    private func history(_ finding: LedgerFinding) -> String {
        var out =
            "<h3>In the ledger</h3>\n<p>Opened \(finding.opened)"
            + (finding.closed.map { ", closed \($0)" } ?? "") + "; latest severity \(finding.severity.rawValue).</p>\n"
        out +=
            "<table><caption>What reviews saw</caption><thead><tr><th scope=\"col\">Review</th><th scope=\"col\">As of</th>"
            + "<th scope=\"col\">Status</th><th scope=\"col\">Severity</th><th scope=\"col\">Closed</th></tr></thead><tbody>\n"
        for change in finding.changes {
            out +=
                "<tr><td>#\(change.review)</td><td>\(change.asOf)</td><td>\(e(change.status))</td><td>\(change.severity.rawValue)</td>"
                + "<td>\(change.closed.map { "\($0)" } ?? "")</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if finding.decisions.isEmpty {
            out += "<p>No decision yet.</p>\n"
        } else {
            out +=
                "<table><caption>Decisions, oldest first</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Decision</th>"
                + "<th scope=\"col\">Recorded</th></tr></thead><tbody>\n"
            for decision in finding.decisions {
                out +=
                    "<tr><td>\(decision.sequence)</td><td>\(e(HTMLReporter.capitalized(decision.summary)))</td>"
                    + "<td>\(e(decision.recordedAt))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out
    }

    private func forms(_ finding: LedgerFinding) -> String {
        func form(_ kind: LedgerDecision.Kind, _ legend: String, _ fields: String) -> String {
            let prefix = kind.rawValue
            return
                "<form method=\"post\" action=\"/decide\" class=\"decision\">\n<fieldset><legend>\(legend)</legend>\n"
                + "<input type=\"hidden\" name=\"csrf\" value=\"\(a(csrf))\">"
                + "<input type=\"hidden\" name=\"finding\" value=\"\(finding.id)\">"
                + "<input type=\"hidden\" name=\"kind\" value=\"\(prefix)\">"
                + "<input type=\"hidden\" name=\"week\" value=\"\(shown.week)\">\n"
                + fields
                + field(prefix, "by", "By", type: "text", value: supervisor, required: true)
                + field(
                    prefix, "on", "On (the day of the decision)", type: "date", value: today.description, required: true
                )
                + "<button type=\"submit\">\(legend)</button>\n</fieldset></form>\n"
        }
        var out = "<h3>Record a decision</h3>\n<div class=\"decisions\">\n"
        out += form(
            .discuss, "Mark discussed",
            textArea("discuss", "note", "Note: what was said or agreed", required: true)
                + field("discuss", "action", "Action agreed (optional)", type: "text")
                + field("discuss", "due", "Action due (optional)", type: "date"))
        out += form(
            .snooze, "Snooze",
            field("snooze", "until", "Until", type: "date", required: true)
                + textArea("snooze", "reason", "Reason", required: true))
        out += form(
            .dismiss, "Dismiss", textArea("dismiss", "reason", "Reason: why it is not relevant", required: true))
        out += form(.reopen, "Reopen", textArea("reopen", "reason", "Reason (optional)"))
        return out + "</div>\n"
    }

    private func field(
        _ form: String, _ name: String, _ label: String, type: String, value: String = "", required: Bool = false
    ) -> String {
        "<p><label for=\"\(form)-\(name)\">\(label)</label> <input id=\"\(form)-\(name)\" name=\"\(name)\" type=\"\(type)\""
            + (value.isEmpty ? "" : " value=\"\(a(value))\"") + (required ? " required" : "")
            + " maxlength=\"2000\"></p>\n"
    }

    private func textArea(_ form: String, _ name: String, _ label: String, required: Bool = false) -> String {
        "<p><label for=\"\(form)-\(name)\">\(label)</label><br><textarea id=\"\(form)-\(name)\" name=\"\(name)\" rows=\"3\" cols=\"60\""
            + (required ? " required" : "") + " maxlength=\"4000\"></textarea></p>\n"
    }

    /// The frame every page shares: navigation, the week picker, the reload button, and what
    /// reading the files said.
    func page(title: String, body: String) -> String {
        var out =
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n"
            + "<title>\(e(title))</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
        out += navigation()
        if !shown.problems.isEmpty {
            out +=
                "<section class=\"problems\" aria-labelledby=\"problems\"><h2 id=\"problems\">Reading the packs and records</h2><ul>"
            for problem in shown.problems { out += "<li><code>\(e(problem))</code></li>" }
            out += "</ul></section>\n"
        }
        out += "<main>\n" + body + "</main>\n"
        out +=
            "<footer class=\"report-footer\"><p>Attune supervision review · files read \(e(shown.loadedAt)) · "
            + "pseudonymised records; findings are prompts for supervision, not diagnoses."
            + (review.includesNotes
                ? " Session notes are shown: keep this page as confidential as the notes themselves." : "")
            + "</p></footer>\n</body>\n</html>\n"
        return out
    }

    private func navigation() -> String {
        var out =
            "<nav class=\"serve-nav\" aria-label=\"Pages\"><a href=\"/?week=\(shown.week)\">Week at a glance</a>"
            + "<a href=\"/history\">History</a><a href=\"/print?week=\(shown.week)\">Print view</a>\n"
        out +=
            "<form method=\"get\" action=\"/\" class=\"week-picker\"><label for=\"week\">Week</label> <select id=\"week\" name=\"week\">"
        for week in shown.weeks.isEmpty ? [shown.week] : shown.weeks {
            out += "<option value=\"\(week)\"\(week == shown.week ? " selected" : "")>\(week)</option>"
        }
        out += "</select> <button type=\"submit\">Show week</button></form>\n"
        out +=
            "<form method=\"post\" action=\"/reload\" class=\"reload\"><input type=\"hidden\" name=\"csrf\" value=\"\(a(csrf))\">"
            + "<input type=\"hidden\" name=\"week\" value=\"\(shown.week)\"><button type=\"submit\">Reload records and packs</button></form>\n"
        return out + "</nav>\n"
    }

    /// The stylesheet at /style.css: the report's, the ledger's, and the few rules of the pages.
    static let css =
        HTMLStyle.css + HTMLLedger.css + """
            .serve-nav { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; padding: 8px 0 14px; margin-bottom: 14px;
              border-bottom: 1px solid var(--rule); font-size: 14px; }
            .serve-nav form { margin: 0; }
            .serve-nav .reload { margin-left: auto; }
            a:focus, button:focus, input:focus, select:focus, textarea:focus { outline: 3px solid var(--ink); outline-offset: 2px; }
            .problems { border: 2px solid var(--high); padding: 8px 12px; margin-bottom: 14px; }
            .problems h2 { font-size: 16px; }
            .notice { border-left: 4px solid var(--good); padding: 4px 10px; margin: 10px 0; font-weight: 600; }
            .error { border-left: 4px solid var(--high); padding: 4px 10px; }
            .open-finding { margin-top: 6px; font-size: 14px; }
            .decisions { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 12px; }
            .decision fieldset { border: 1px solid var(--rule); padding: 8px 12px; }
            .decision legend { font-weight: 600; }
            .decision p { margin: 6px 0; }
            .decision textarea, .decision input[type=text] { width: 100%; }
            caption { text-align: left; font-weight: 600; padding: 10px 0 4px; }
            @media print { .serve-nav, .decisions, .open-finding { display: none; } }

            """

    /// A value for a query string: everything but unreserved characters percent-encoded.
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private func e(_ text: String) -> String { HTMLEscaping.text(text) }
    private func a(_ text: String) -> String { HTMLEscaping.attribute(text) }
}
