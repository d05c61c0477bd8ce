import AttuneCore
import AttuneReporters

/// Writes a `FindingDiff` for `attune diff`: plain text for a terminal, Markdown for a
/// pull-request comment, JSON for tools. Counts come first, then per rule and per therapist,
/// then each finding added, removed or changed.
///
/// ```swift
/// let text = FindingDiffWriter(title: "rules@main → rules").render(diff, as: .markdown)
/// ```
public struct FindingDiffWriter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, json
    }

    /// What was compared, in words (`base: rules at main; head: rules`).
    public var title: String
    /// Records compared and the as-of date, for the summary.
    public var records: Int
    public var asOf: Day

    /// Finding rows a Markdown diff lists at most.
    static let markdownRows = 150

    public init(title: String, records: Int, asOf: Day) {
        self.title = title
        self.records = records
        self.asOf = asOf
    }

    public func render(_ diff: FindingDiff, as format: Format) -> String {
        switch format {
        case .text: return text(diff)
        case .markdown: return markdown(diff)
        case .json: return json(diff)
        }
    }

    private func counts(_ diff: FindingDiff) -> String {
        "\(diff.added.count) added, \(diff.removed.count) removed, \(diff.changed.count) changed, \(diff.unchanged) unchanged"
    }

    static func subject(_ finding: Finding) -> String {
        switch finding.subject {
        case .episode(let client, let episode): return "\(client) (episode \(episode), \(finding.therapist))"
        case .therapist(let therapist): return "caseload of \(therapist)"
        }
    }

    static func span(_ finding: Finding) -> String {
        "\(finding.severity) \(finding.opened)–\(finding.closed.map(\.description) ?? "open")"
    }

    static func changeText(_ change: FindingDiff.Change) -> String {
        change.fields.map { field -> String in
            switch field {
            case "severity": return "severity \(change.base.severity) → \(change.head.severity)"
            case "opened": return "opened \(change.base.opened) → \(change.head.opened)"
            case "closed":
                return
                    "closed \(change.base.closed.map(\.description) ?? "open") → \(change.head.closed.map(\.description) ?? "open")"
            default: return "message \"\(change.base.message)\" → \"\(change.head.message)\""
            }
        }.joined(separator: "; ")
    }

    // MARK: Text

    private func text(_ diff: FindingDiff) -> String {
        var lines = ["attune diff: \(title)", "\(records) records as of \(asOf): \(counts(diff))"]
        if diff.isEmpty {
            lines.append("No finding changed.")
            return lines.joined(separator: "\n") + "\n"
        }
        for (heading, tallies) in [("By rule", diff.byRule), ("By therapist", diff.byTherapist)] {
            lines.append("")
            lines.append("\(heading):")
            let width = tallies.map(\.name.count).max() ?? 0
            for tally in tallies {
                lines.append(
                    "  " + tally.name + String(repeating: " ", count: width - tally.name.count)
                        + "  +\(tally.added) -\(tally.removed) ~\(tally.changed)")
            }
        }
        if !diff.added.isEmpty {
            lines +=
                ["", "Added:"]
                + diff.added.map { "  + \($0.rule)  \(Self.subject($0))  \(Self.span($0))  \($0.message)" }
        }
        if !diff.removed.isEmpty {
            lines +=
                ["", "Removed:"]
                + diff.removed.map { "  - \($0.rule)  \(Self.subject($0))  \(Self.span($0))  \($0.message)" }
        }
        if !diff.changed.isEmpty {
            lines +=
                ["", "Changed:"]
                + diff.changed.map { "  ~ \($0.head.rule)  \(Self.subject($0.head))  \(Self.changeText($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    private func markdown(_ diff: FindingDiff) -> String {
        var out = "### Attune: what this rule change does to the findings\n\n"
        out += "\(MarkdownReporter.inline(title)); \(records) records as of \(asOf).\n\n"
        out += "**\(counts(diff))**\n"
        if diff.isEmpty {
            return out + "\nNo finding changed.\n"
        }
        for (heading, tallies) in [("Rule", diff.byRule), ("Therapist", diff.byTherapist)] {
            out += "\n| \(heading) | added | removed | changed |\n|---|---:|---:|---:|\n"
            for tally in tallies {
                out +=
                    "| \(MarkdownReporter.cell(tally.name)) | \(tally.added) | \(tally.removed) | \(tally.changed) |\n"
            }
        }
        var rows: [String] = []
        for finding in diff.added {
            rows.append(
                "| added | \(MarkdownReporter.cell(finding.rule)) | \(MarkdownReporter.cell(Self.subject(finding))) | \(MarkdownReporter.cell(Self.span(finding) + ": " + finding.message)) |"
            )
        }
        for finding in diff.removed {
            rows.append(
                "| removed | \(MarkdownReporter.cell(finding.rule)) | \(MarkdownReporter.cell(Self.subject(finding))) | \(MarkdownReporter.cell(Self.span(finding) + ": " + finding.message)) |"
            )
        }
        for change in diff.changed {
            rows.append(
                "| changed | \(MarkdownReporter.cell(change.head.rule)) | \(MarkdownReporter.cell(Self.subject(change.head))) | \(MarkdownReporter.cell(Self.changeText(change))) |"
            )
        }
        out += "\n<details><summary>Each finding</summary>\n\n"
        out += "| | Rule | Subject | Finding |\n|---|---|---|---|\n"
        // A pull-request comment has a size limit; the counts above stay whole.
        out += rows.prefix(Self.markdownRows).map { $0 + "\n" }.joined()
        if rows.count > Self.markdownRows {
            out += "\n… and \(rows.count - Self.markdownRows) more (`--format text` or `json` lists them all).\n"
        }
        return out + "\n</details>\n"
    }

    // MARK: JSON

    private func json(_ diff: FindingDiff) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("schema")
        writer.string("attune.diff/1")
        writer.key("title")
        writer.string(title)
        writer.key("records")
        writer.integer(records)
        writer.key("as_of")
        writer.string(asOf.description)
        writer.key("counts")
        writer.beginObject()
        writer.key("added")
        writer.integer(diff.added.count)
        writer.key("removed")
        writer.integer(diff.removed.count)
        writer.key("changed")
        writer.integer(diff.changed.count)
        writer.key("unchanged")
        writer.integer(diff.unchanged)
        writer.endObject()
        for (key, tallies) in [("by_rule", diff.byRule), ("by_therapist", diff.byTherapist)] {
            writer.key(key)
            writer.beginArray()
            for tally in tallies {
                writer.beginObject()
                writer.key("name")
                writer.string(tally.name)
                writer.key("added")
                writer.integer(tally.added)
                writer.key("removed")
                writer.integer(tally.removed)
                writer.key("changed")
                writer.integer(tally.changed)
                writer.endObject()
            }
            writer.endArray()
        }
        for (key, findings) in [("added", diff.added), ("removed", diff.removed)] {
            writer.key(key)
            writer.beginArray()
            for finding in findings { Self.write(finding, &writer) }
            writer.endArray()
        }
        writer.key("changed")
        writer.beginArray()
        for change in diff.changed {
            writer.beginObject()
            writer.key("fields")
            writer.beginArray()
            for field in change.fields { writer.string(field) }
            writer.endArray()
            writer.key("base")
            Self.write(change.base, &writer)
            writer.key("head")
            Self.write(change.head, &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.newline()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func write(_ finding: Finding, _ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("rule")
        writer.string(finding.rule)
        writer.key("therapist")
        writer.string(finding.therapist)
        writer.key("client")
        writer.string(finding.subject.client)
        writer.key("episode")
        writer.string(finding.subject.episode)
        writer.key("severity")
        writer.string(finding.severity.rawValue)
        writer.key("opened")
        writer.string(finding.opened.description)
        writer.key("closed")
        writer.string(finding.closed?.description)
        writer.key("message")
        writer.string(finding.message)
        writer.endObject()
    }
}
