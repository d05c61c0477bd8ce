import AttuneCore

/// What `attune explain` shows for one rule: per (client, episode) timeline, record by record,
/// the value of each of the rule's expressions with the record paths it read, what the kind
/// said about its state there, and where findings opened and closed.
///
/// ```swift
/// let explanation = try Explainer(ruleSet: ruleSet).explain(ruleID: "alliance-drop", records: batch.records,
///                                                           client: "C-1042", episode: nil, asOf: nil)
/// print(explanation.text())
/// ```
public struct Explanation: Sendable {
    /// One expression evaluated on one record.
    public struct Evaluation: Sendable {
        /// The rule key (`where`, `match`, `until`, `signal 'missed session'`).
        public var key: String
        public var source: String
        /// The value, or the evaluation error's message.
        public var value: Result<Value, EvaluationError>
        /// The record paths it read, with their values, in the order first read.
        public var reads: [(path: String, value: Value)]
    }

    /// One record of the timeline.
    public struct Step: Sendable {
        public var index: Int
        public var record: SessionRecord
        /// False when `where` left the record out: the kind never saw it.
        public var seenByKind: Bool
        public var evaluations: [Evaluation]
        /// What the kind reported about its state at this record.
        public var trace: [String]
        /// Findings opening or closing on or after this record (and before the next).
        public var events: [String]
    }

    /// One (client, episode) timeline, or for a caseload rule one therapist.
    public struct Section: Sendable {
        public var heading: String
        public var steps: [Step]
        /// Lines that belong to no record: caseload inputs, findings dated after the last record.
        public var notes: [String]
        public var findings: [Finding]
        public var failure: String?
    }

    public var rule: Rule
    public var asOf: Day
    public var sections: [Section]

    /// The explanation as the terminal shows it.
    public func text() -> String {
        var lines: [String] = []
        lines.append("rule \(rule.id) (\(rule.kindName), \(rule.severity.rawValue)) — \(rule.title)")
        lines.append(
            "  from \(rule.location)" + (rule.enabled ? "" : "; switched off in the packs, explained as if on"))
        if let condition = rule.whereExpression { lines.append("  where: \(condition.source)") }
        for declared in rule.declaration.expressions {
            if let expression = rule.expressions[declared.name] {
                lines.append("  \(declared.name): \(expression.source)")
            }
        }
        let params = rule.declaration.parameters.compactMap { parameter in
            rule.parameters[parameter.name].map { "\(parameter.name) \(RuleDocumentation.parameterText($0))" }
        }
        if !params.isEmpty { lines.append("  params: " + params.joined(separator: ", ")) }
        lines.append("  as of \(asOf)")
        for section in sections {
            lines.append("")
            lines.append(section.heading)
            for step in section.steps {
                let record = step.record
                var header = "  \(record.date)"
                if let session = record.session { header += "  session \(session)" }
                header += "  \(record.attendance.rawValue)  (\(record.source))"
                lines.append(header)
                for evaluation in step.evaluations {
                    let value: String
                    switch evaluation.value {
                    case .success(let result): value = result.description
                    case .failure(let error): value = "error: \(error.message)"
                    }
                    var line = "    \(evaluation.key) = \(value)"
                    if !evaluation.reads.isEmpty {
                        line += "   [" + evaluation.reads.map(Self.shown).joined(separator: ", ") + "]"
                    }
                    lines.append(line)
                }
                if !step.seenByKind { lines.append("    (left out by where: the kind does not see this record)") }
                lines += step.trace.map { "    kind: \($0)" }
                lines += step.events.map { "    \($0)" }
            }
            lines += section.notes.map { "  \($0)" }
            if let failure = section.failure { lines.append("  ! could not evaluate: \(failure)") }
            if section.findings.isEmpty {
                lines.append("  no finding")
            } else {
                lines.append("  \(section.findings.count) finding\(section.findings.count == 1 ? "" : "s"):")
                for finding in section.findings {
                    lines.append(
                        "    - opened \(finding.opened), " + (finding.closed.map { "closed \($0)" } ?? "still open")
                            + ": \(finding.message)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `measures.srs = 20`; a free-text field (notes) only says whether it is there: `explain`
    /// has no `--include-notes`, and notes never appear where they were not asked for.
    static func shown(_ read: (path: String, value: Value)) -> String {
        guard RecordPath.isFreeText(read.path), !read.value.isNull else { return "\(read.path) = \(read.value)" }
        return "\(read.path) = (free text, not shown)"
    }
}
