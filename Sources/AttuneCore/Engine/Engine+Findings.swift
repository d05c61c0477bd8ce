extension Engine {
    /// A timeline rule's finding from what its kind reported: its evidence records (their notes
    /// only when asked for) and its message, written out when it is read (`DeferredMessage`).
    public func finding(_ rule: Rule, _ timeline: Timeline, _ draft: FindingDraft, includeNotes: Bool) -> Finding {
        finding(rule, ruleID: InternedIdentifier(rule.id), message: nil, timeline, draft, includeNotes: includeNotes)
    }

    /// `message`: the rule's deferred message, made once per rule (`Plan`).
    func finding(
        _ rule: Rule, ruleID: InternedIdentifier, message: DeferredMessage?, _ timeline: Timeline,
        _ draft: FindingDraft, includeNotes: Bool
    ) -> Finding {
        let records = timeline.records
        let evidence = draft.evidence.map { Finding.EvidenceRecord(records[$0], includeNote: includeNotes) }
        let therapist = (draft.evidence.last.map { records[$0] } ?? records.last)?.therapistID ?? InternedIdentifier("")
        let row = draft.evidence.last.map { Int32(truncatingIfNeeded: $0) } ?? -1
        return Finding(
            rule: ruleID, severity: rule.severity,
            subject: (timeline.clientID, timeline.episodeID),
            therapist: therapist, opened: draft.opened, closed: draft.closed, records: evidence,
            message: .deferred(message ?? DeferredMessage(rule), timeline, row: row),
            evidence: draft.values, expectedBand: draft.expectedBand)
    }

    /// What a rule reading findings sees of a finding a review will not report.
    func readFinding(_ entry: HistoryFinding, of rule: Rule, in timeline: Timeline) -> ReadFinding {
        ReadFinding(
            rule: rule.id, subject: .episode(client: timeline.client, episode: timeline.episode),
            opened: entry.opened, closed: entry.closed, values: entry.values ?? [:])
    }

    func caseloadFinding(_ rule: Rule, _ therapist: String, _ draft: FindingDraft) -> Finding {
        var values = draft.values.dictionary
        values["therapist"] = .string(therapist)
        values["opened"] = .date(draft.opened)
        values["closed"] = draft.closed.map(Value.date) ?? .string("open")
        return Finding(
            rule: rule.id, severity: rule.severity, subject: .therapist(therapist), therapist: therapist,
            opened: draft.opened, closed: draft.closed, records: [],
            message: rule.message.render(values), evidence: draft.values)
    }
}
