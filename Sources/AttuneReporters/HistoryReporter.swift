import AttuneCore

/// `attune history`: the ledger's figures per therapist and ISO week — findings opened, closed,
/// discussed, and supervision latency (days from opening to first discussion, median) — as text,
/// CSV, JSON (`attune.history/1`) or a self-contained HTML page with a chart per therapist.
///
/// ```swift
/// let csv = HistoryReporter.render(history, format: "csv")
/// ```
public enum HistoryReporter {
    public static let formats = ["text", "csv", "json", "html"]
    public static let schema = "attune.history/1"

    public static func render(_ history: LedgerHistory, format: String) -> String {
        switch format {
        case "csv": return csv(history)
        case "json": return json(history)
        case "html": return html(history)
        default: return text(history)
        }
    }

    static func latency(_ week: LedgerHistory.Week) -> String {
        week.medianLatency.map(ReportText.number) ?? "–"
    }

    static func text(_ history: LedgerHistory) -> String {
        var out = "Attune supervision history · \(ReportText.plural(history.reviews, "review")) recorded\n"
        if history.totals.isEmpty { return out + "No findings in the ledger yet.\n" }
        out +=
            "Latency: days from a finding opening to its first discussion (median, for findings first discussed that week).\n"
        let header =
            "week".padding(10) + "opened".leftPadded(8) + "closed".leftPadded(8) + "discussed".leftPadded(11)
            + "latency".leftPadded(9) + "\n"
        func rows(_ weeks: [LedgerHistory.Week]) {
            out += header
            for week in weeks {
                out +=
                    week.week.padding(10) + String(week.opened).leftPadded(8) + String(week.closed).leftPadded(8)
                    + String(week.discussed).leftPadded(11) + latency(week).leftPadded(9) + "\n"
            }
        }
        out += "\nAll therapists\n"
        rows(history.totals)
        for therapist in history.therapists {
            out += "\n\(therapist)\n"
            rows(history.rows.filter { $0.therapist == therapist })
        }
        return out
    }

    static func csv(_ history: LedgerHistory) -> String {
        var out = "therapist,week,week_start,opened,closed,discussed,first_discussed,median_latency_days\r\n"
        for week in history.totals + history.rows {
            let fields = [
                week.therapist.map(CSVReporter.inert) ?? "all", week.week, week.monday.description, String(week.opened),
                String(week.closed), String(week.discussed), String(week.latencies.count),
                week.medianLatency.map(ReportText.number) ?? "",
            ]
            out += fields.map(CSVReporter.field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func json(_ history: LedgerHistory) -> String {
        var json = JSONWriter()
        func weeks(_ weeks: [LedgerHistory.Week]) {
            json.beginArray()
            for week in weeks {
                json.beginObject()
                json.key("week")
                json.string(week.week)
                json.key("start")
                json.string(week.monday.description)
                json.key("opened")
                json.integer(week.opened)
                json.key("closed")
                json.integer(week.closed)
                json.key("discussed")
                json.integer(week.discussed)
                json.key("first_discussed")
                json.integer(week.latencies.count)
                json.key("median_latency_days")
                if let median = week.medianLatency { json.number(median) } else { json.null() }
                json.endObject()
            }
            json.endArray()
        }
        json.beginObject()
        json.key("schema")
        json.string(schema)
        json.key("reviews")
        json.integer(history.reviews)
        json.key("therapist_filter")
        json.beginArray()
        for therapist in history.therapistFilter { json.string(therapist) }
        json.endArray()
        json.key("totals")
        weeks(history.totals)
        json.key("therapists")
        json.beginArray()
        for therapist in history.therapists {
            json.beginObject()
            json.key("id")
            json.string(therapist)
            json.key("weeks")
            weeks(history.rows.filter { $0.therapist == therapist })
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.newline()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static func html(_ history: LedgerHistory) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out +=
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        out += "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"robots\" content=\"noindex\">\n"
        out +=
            "<title>Supervision history</title>\n<style>\n\(HTMLStyle.css)\(HistoryChart.css)</style>\n</head>\n<body>\n"
        out +=
            "<header class=\"report-header\"><p class=\"confidential\"><span>Confidential · clinical supervision</span>"
            + "<span>Pseudonymised</span></p>\n<h1>Supervision history</h1>\n"
        out += "<p class=\"period\">\(ReportText.plural(history.reviews, "review")) recorded"
        if let first = history.totals.first, let last = history.totals.last {
            out += " · \(first.week) to \(last.week)"
        }
        out +=
            "</p>\n<p class=\"filters\">Per ISO week: findings opened, closed and discussed in supervision, and the supervision "
            + "latency — days from a finding opening to its first discussion (median of the findings first discussed that week).</p>\n</header>\n"
        if history.totals.isEmpty {
            out += "<p>No findings in the ledger yet.</p>\n"
        } else {
            figure("All therapists", history.totals, into: &out)
            for therapist in history.therapists {
                figure("Therapist " + therapist, history.rows.filter { $0.therapist == therapist }, into: &out)
            }
        }
        out += "</body>\n</html>\n"
        return out
    }

    static func figure(_ title: String, _ weeks: [LedgerHistory.Week], into out: inout String) {
        let id = "h-" + HTMLEscaping.identifier(title)
        out +=
            "<section aria-labelledby=\"\(id)\"><div class=\"section-title\"><h2 id=\"\(id)\">\(HTMLEscaping.text(title))</h2></div>\n"
        out += "<figure class=\"history\">\n" + HistoryChart(weeks: weeks, title: title).svg() + "</figure>\n"
        out +=
            "<details class=\"sessions\"><summary>Figures</summary><table><thead><tr><th scope=\"col\">Week</th>"
            + "<th scope=\"col\" class=\"num\">Opened</th><th scope=\"col\" class=\"num\">Closed</th><th scope=\"col\" class=\"num\">Discussed</th>"
            + "<th scope=\"col\" class=\"num\">Median latency, days</th></tr></thead><tbody>\n"
        for week in weeks {
            out +=
                "<tr><td>\(week.week)</td><td class=\"num\">\(week.opened)</td><td class=\"num\">\(week.closed)</td>"
                + "<td class=\"num\">\(week.discussed)</td><td class=\"num\">\(latency(week))</td></tr>\n"
        }
        out += "</tbody></table></details>\n</section>\n"
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
