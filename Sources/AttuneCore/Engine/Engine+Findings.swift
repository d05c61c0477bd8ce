extension Engine {
    /// A timeline rule's finding from what its kind reported: its evidence records (their notes
    /// only when asked for) and its message with the placeholders filled.
    public func finding(_ rule: Rule, _ timeline: Timeline, _ draft: FindingDraft, includeNotes: Bool) -> Finding {
        let evidence = draft.evidence.map { Finding.EvidenceRecord(timeline.records[$0], includeNote: includeNotes) }
        let therapist = draft.evidence.last.map { timeline.records[$0].therapist } ?? timeline.therapist
        // The kind's values come first, except `opened` and `closed`, which are the finding's own;
        // then the engine's defaults; then the rule's expression placeholders on the last evidence
        // record. Looked up only for the placeholders the message has.
        let message = rule.message.render { name -> Value? in
            switch name {
            case "opened": return .date(draft.opened)
            case "closed": return draft.closed.map(Value.date) ?? .string("open")
            default: break
            }
            if let value = draft.values[name] { return value }
            switch name {
            case "client": return .string(timeline.client)
            case "episode": return .string(timeline.episode)
            case "therapist": return .string(therapist)
            case "sessions": return .string(evidence.map(\.date.description).joined(separator: ", "))
            default: break
            }
            guard let last = draft.evidence.last, let expression = rule.messageExpressions[name] else { return nil }
            // A placeholder that cannot be evaluated shows as itself rather than failing the finding;
            // a field the record leaves out says so, rather than reading as a value ("none").
            guard let value = try? expression.evaluate(EvaluationRow(timeline: timeline, index: last)) else {
                return nil
            }
            return value.isNull ? .string("not recorded") : value
        }
        return Finding(
            rule: rule.id, severity: rule.severity,
            subject: .episode(client: timeline.client, episode: timeline.episode),
            therapist: therapist, opened: draft.opened, closed: draft.closed, records: evidence,
            message: message, evidence: FindingValues(draft.values), expectedBand: draft.expectedBand)
    }

    /// What a rule reading findings sees of a finding a review will not report.
    func readFinding(_ entry: HistoryFinding, of rule: Rule, in timeline: Timeline) -> ReadFinding {
        ReadFinding(
            rule: rule.id, subject: .episode(client: timeline.client, episode: timeline.episode),
            opened: entry.opened, closed: entry.closed, values: entry.values ?? [:])
    }

    func caseloadFinding(_ rule: Rule, _ therapist: String, _ draft: FindingDraft) -> Finding {
        var values = draft.values
        values["therapist"] = .string(therapist)
        values["opened"] = .date(draft.opened)
        values["closed"] = draft.closed.map(Value.date) ?? .string("open")
        return Finding(
            rule: rule.id, severity: rule.severity, subject: .therapist(therapist), therapist: therapist,
            opened: draft.opened, closed: draft.closed, records: [],
            message: rule.message.render(values), evidence: FindingValues(draft.values))
    }
}
