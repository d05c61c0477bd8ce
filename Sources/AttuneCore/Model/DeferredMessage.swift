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
    /// The template's parts with where each placeholder's value comes from, found once for all
    /// of the rule's findings: names are not compared again for each finding.
    private let plan: [Part]

    private enum Part: Sendable {
        case text(String)
        case opened
        case closed
        /// A value of the finding's kind, if it has one by this name; else `fallback`.
        case named(String, fallback: Fallback)
    }

    /// Where a placeholder that is not a value of the finding's kind is read.
    private enum Fallback: Sendable {
        case client, episode, therapist, sessions
        case expression(CompiledExpression)
        case unknown
    }

    init(_ rule: Rule) {
        template = rule.message
        expressions = rule.messageExpressions
        plan = template.parts.map { [expressions] part in
            switch part {
            case .text(let text): return .text(text)
            case .placeholder("opened", _): return .opened
            case .placeholder("closed", _): return .closed
            case .placeholder(let name, _): return .named(name, fallback: Self.fallback(for: name, in: expressions))
            }
        }
    }

    /// `row`: the index of the last evidence record in `timeline`, -1 when there is none.
    ///
    /// As `template.render { value(named: $0, …) }`, with its pieces copied once into a message
    /// made at its size (joining them one by one was a fifth of writing a JSON report).
    func render(for finding: Finding, timeline: Timeline, row: Int32) -> String {
        let count = plan.count
        guard count > 0 else { return "" }
        return withUnsafeTemporaryAllocation(of: String.self, capacity: count) { pieces in
            let start = pieces.baseAddress!
            var bytes = 0
            for (index, part) in plan.enumerated() {
                let piece: String
                switch part {
                case .text(let text): piece = text
                case .opened: piece = finding.opened.description
                case .closed: piece = finding.closed?.description ?? "open"
                case .named(let name, let fallback):
                    piece =
                        (finding.evidence[name] ?? value(of: fallback, for: finding, timeline: timeline, row: row))?
                        .displayText ?? "{\(name)}"
                }
                bytes += piece.utf8.count
                (start + index).initialize(to: piece)
            }
            defer { start.deinitialize(count: count) }
            // Past the limit, the template cuts the message (rare: values that are long lists).
            guard bytes <= MessageTemplate.maxRenderedLength else {
                return template.render { value(named: $0, for: finding, timeline: timeline, row: row) }
            }
            // One piece is the message as it is (a template's own text, shared, not copied).
            if count == 1 { return start.pointee }
            return String(unsafeUninitializedCapacity: bytes) { message in
                var written = 0
                for index in 0..<count {
                    let utf8 = start[index].utf8
                    let copied = utf8.withContiguousStorageIfAvailable { piece in
                        if let base = piece.baseAddress {
                            (message.baseAddress! + written).initialize(from: base, count: piece.count)
                        }
                        return piece.count
                    }
                    if let copied {
                        written += copied
                    } else {
                        for byte in utf8 {
                            message[written] = byte
                            written += 1
                        }
                    }
                }
                return written
            }
        }
    }

    private func value(of fallback: Fallback, for finding: Finding, timeline: Timeline, row: Int32) -> Value? {
        switch fallback {
        case .client: return finding.subject.client.map(Value.string)
        case .episode: return finding.subject.episode.map(Value.string)
        case .therapist: return .string(finding.therapist)
        case .sessions: return .string(finding.records.map(\.date.description).joined(separator: ", "))
        case .unknown: return nil
        case .expression(let expression):
            guard row >= 0 else { return nil }
            // A placeholder that cannot be evaluated shows as itself rather than failing the
            // finding; a field the record leaves out says so, rather than reading as a value ("none").
            guard let value = try? expression.evaluate(EvaluationRow(timeline: timeline, index: Int(row))) else {
                return nil
            }
            return value.isNull ? .string("not recorded") : value
        }
    }

    /// The value of placeholder `name`, looked up in the order the type's comment gives.
    private func value(named name: String, for finding: Finding, timeline: Timeline, row: Int32) -> Value? {
        switch name {
        case "opened": return .date(finding.opened)
        case "closed": return finding.closed.map(Value.date) ?? .string("open")
        default: break
        }
        if let value = finding.evidence[name] { return value }
        return value(of: Self.fallback(for: name, in: expressions), for: finding, timeline: timeline, row: row)
    }

    /// Where placeholder `name` is read when the finding's kind has no value by that name.
    private static func fallback(for name: String, in expressions: [String: CompiledExpression]) -> Fallback {
        switch name {
        case "client": .client
        case "episode": .episode
        case "therapist": .therapist
        case "sessions": .sessions
        default: expressions[name].map(Fallback.expression) ?? .unknown
        }
    }
}
