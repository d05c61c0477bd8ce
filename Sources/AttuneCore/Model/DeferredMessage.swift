/// A timeline rule's message template, written out for each of its findings when that finding's
/// message is read.
///
/// A written message is a sentence or two (157 bytes on average in the benchmark's review), and a
/// review holds every finding open in its period at once: at a million records, 20 MB of
/// messages, each read once, when the report is written. So a finding the engine makes holds its
/// rule's `DeferredMessage` (one for all of the rule's findings), its timeline and the index of
/// its last evidence record, and its message is written from those and its own fields. A
/// timeline never changes, so the expressions read the same values whenever they are evaluated.
///
/// Each placeholder is looked up as the engine always has: `opened` and `closed` (the finding's
/// own); then the kind's values (`evidence`); then `client`, `episode`, `therapist` and
/// `sessions`; then the rule's expressions (`{measures.srs}`, `{srs_cutoff}`) on the last
/// evidence record.
///
/// ```swift
/// let recipe = DeferredMessage(rule)
/// recipe.render(for: finding, timeline: timeline, row: last)   // "SRS 31 on 2026-11-24, below …"
/// ```
final class DeferredMessage: Sendable {
    let template: MessageTemplate
    let expressions: [String: CompiledExpression]

    init(_ rule: Rule) {
        template = rule.message
        expressions = rule.messageExpressions
    }

    /// `row`: the index of the last evidence record in `timeline`, -1 when there is none.
    func render(for finding: Finding, timeline: Timeline, row: Int32) -> String {
        template.render { name -> Value? in
            switch name {
            case "opened": return .date(finding.opened)
            case "closed": return finding.closed.map(Value.date) ?? .string("open")
            default: break
            }
            if let value = finding.evidence[name] { return value }
            switch name {
            case "client": return finding.subject.client.map(Value.string)
            case "episode": return finding.subject.episode.map(Value.string)
            case "therapist": return .string(finding.therapist)
            case "sessions": return .string(finding.records.map(\.date.description).joined(separator: ", "))
            default: break
            }
            guard row >= 0, let expression = expressions[name] else { return nil }
            // A placeholder that cannot be evaluated shows as itself rather than failing the
            // finding; a field the record leaves out says so, rather than reading as a value ("none").
            guard let value = try? expression.evaluate(EvaluationRow(timeline: timeline, index: Int(row))) else {
                return nil
            }
            return value.isNull ? .string("not recorded") : value
        }
    }
}
