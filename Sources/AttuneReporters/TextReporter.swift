import AttuneCore

/// The review for the terminal: per therapist, clients most severe first, each finding with its
/// status, message, evidence and the questions to ask; readable at 80 columns; colour by
/// severity only when asked (a terminal without NO_COLOR).
///
/// ```text
/// T-02 · 4 of 7 clients to discuss
///   C-1010
///     HIGH    new      Unresolved rupture
///                      mixed rupture on 2026-10-19 not repaired within 2 sessions
/// ```
public struct TextReporter: Reporter {
    public static let format = "text"

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        var out = TextWriter(options: options)
        out.line(out.bold("Attune supervision review") + "  \(review.period.lowerBound) to \(review.period.upperBound)")
        out.line("As of \(review.asOf) · packs: " + review.packs.map { "\($0.name) \($0.version)" }.joined(separator: ", "))
        let c = review.census
        out.line("\(c.therapists) therapists · \(c.clients) clients · \(c.episodes) episodes · \(c.recordsRead) records read · \(c.recordsLeftOut) left out")
        if review.minimumSeverity > .info { out.line("Showing findings of severity \(review.minimumSeverity.rawValue) and above.") }
        out.blank()

        if review.therapists.isEmpty {
            out.line("Nothing to report for this period.")
            out.blank()
        }
        for therapist in review.therapists {
            let clients = therapist.clients.count
            out.rule(out.bold("\(therapist.id)") + " · \(clients) of \(therapist.clientCount) client\(therapist.clientCount == 1 ? "" : "s") to discuss")
            for client in therapist.clients {
                out.line("  " + out.bold(client.client) + (client.episode == "1" ? "" : " (episode \(client.episode))"))
                for item in client.findings { finding(item, into: &out) }
                trajectory(client.trajectory, measures: review.measures, into: &out)
                out.blank()
            }
            if !therapist.caseload.isEmpty {
                out.line("  " + out.bold("Caseload"))
                for item in therapist.caseload { finding(item, into: &out) }
                out.blank()
            }
        }

        if !review.recordErrors.isEmpty || !review.dataQuality.unjudged.isEmpty || !review.evaluationFailures.isEmpty {
            out.rule(out.bold("Data quality"))
            if !review.recordErrors.isEmpty {
                out.line("  \(review.census.recordsLeftOut) record\(review.census.recordsLeftOut == 1 ? "" : "s") left out:")
                for error in review.recordErrors { out.wrapped(error.description, indent: 4, hanging: 6) }
            }
            for failure in review.evaluationFailures { out.wrapped("could not evaluate: \(failure)", indent: 2, hanging: 4) }
            if !review.dataQuality.unjudged.isEmpty {
                out.line("  Records a rule could not judge because a measure was missing:")
                for (rule, count) in review.dataQuality.unjudged { out.line("    \(rule): \(count)") }
            }
            out.blank()
        }
        return out.text
    }

    private func finding(_ item: ReportedFinding, into out: inout TextWriter) {
        let severity = item.finding.severity
        let label = out.colour(severity.rawValue.uppercased().padding(9), severity)
        let status = item.status.rawValue.padding(9)
        out.line("    \(label) \(status)\(item.title)")
        let indent = 4 + 9 + 1 + 9
        out.wrapped(item.finding.message, indent: indent)
        let period = item.finding.closed.map { $0 == item.finding.opened ? "on \(item.finding.opened)" : "\(item.finding.opened) to \($0)" }
            ?? "open since \(item.finding.opened)"
        out.wrapped(period + (item.finding.records.isEmpty ? "" : "; evidence: " + item.finding.records.map(\.label).joined(separator: ", ")), indent: indent)
        if let clients = item.finding.evidence["clients"] { out.wrapped("clients: \(clients.displayText)", indent: indent) }
        for record in item.finding.records {
            if let note = record.note { out.wrapped("note \(record.date): \(note)", indent: indent) }
        }
        let questions = item.guidance.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        for question in questions { out.wrapped("? " + question, indent: indent, hanging: indent + 2) }
    }

    private func trajectory(_ points: [TrajectoryPoint], measures: [MeasureSpec], into out: inout TextWriter) {
        let used = measures.filter { spec in points.contains { $0.measures[spec.name] != nil } }.prefix(4)
        guard !points.isEmpty else { return }
        var header = "    " + "date".padding(11) + "seen".padding(6)
        for spec in used { header += spec.name.uppercased().padding(7) }
        header += "marks"
        out.line(out.dim(header))
        for point in points.suffix(12) {
            var row = "    " + point.date.description.padding(11)
            let seen: String
            switch point.attendance {
            case .attended: seen = "yes"
            case .cancelled: seen = "canc"
            case .lateCancel: seen = "late"
            case .noShow: seen = "DNA"
            }
            row += seen.padding(6)
            for spec in used { row += (point.measures[spec.name].map(Value.format) ?? "·").padding(7) }
            var marks: [String] = []
            if let rupture = point.rupture { marks.append("rupture \(rupture.type.rawValue) \(rupture.intensity)/5 \(rupture.resolution.rawValue)") }
            if let repair = point.repair { marks.append("repair \(repair.rawValue)") }
            row += marks.joined(separator: "; ")
            out.line(String(row.prefix(out.options.width)).trimmingTrailingSpaces)
        }
    }
}

/// Accumulates lines, wrapping at the report width and colouring when allowed.
struct TextWriter {
    let options: ReportOptions
    var text = ""

    init(options: ReportOptions) {
        self.options = options
    }

    mutating func line(_ line: String) { text += line + "\n" }
    mutating func blank() { text += "\n" }

    mutating func rule(_ title: String) {
        line(title)
        line(dim(String(repeating: "─", count: min(options.width, 78))))
    }

    /// Words to the width; `hanging` indents continuation lines.
    mutating func wrapped(_ content: String, indent: Int, hanging: Int? = nil) {
        let width = max(options.width, indent + 20)
        var current = String(repeating: " ", count: indent)
        var hasWord = false
        for word in content.split(separator: " ", omittingEmptySubsequences: true) {
            if hasWord, current.count + 1 + word.count > width {
                line(current)
                current = String(repeating: " ", count: hanging ?? indent)
                hasWord = false
            }
            current += (hasWord ? " " : "") + word
            hasWord = true
        }
        if hasWord { line(current) }
    }

    func bold(_ text: String) -> String { options.colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { options.colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    func colour(_ text: String, _ severity: Severity) -> String {
        guard options.colour else { return text }
        let code: String
        switch severity {
        case .critical: code = "1;37;41"
        case .high: code = "1;31"
        case .medium: code = "33"
        case .low: code = "36"
        case .info: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}

extension Substring {
    var trimmingSpaces: String {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
