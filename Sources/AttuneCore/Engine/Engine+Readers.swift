extension Engine {
    /// Runs the rules that read findings (`FindingsDetector`: the caseload kind), in the rules'
    /// order, one therapist's caseload at a time; caseloads are independent, so they are judged on
    /// up to `options.jobs` threads. Their findings are returned in the rules' order, then
    /// therapist order, and failures appended in that order too, whatever the number of jobs. A
    /// reader's finding is read at its position after the timeline rules' `findings`. Each read
    /// rule's history is let go once the last rule reading it has run.
    func runReaders(
        findings: FindingRuns, failures: inout [Failure], history: inout [[HistoryFinding]],
        timelineOfFinding: [Int32], plans: [Plan], timelines: [Timeline], options: Options
    ) -> [Finding] {
        var made: [Finding] = []
        var therapists: [String]?
        // Positions of each rule's findings, so that a rule reading findings looks only at those
        // of its inputs, not at every finding once per rule.
        var findingsOfRule: [String: [Int]]?
        var attendedByTherapist: [String: [String: [Day]]]?
        var lastReader: [String: Int] = [:]
        for (position, rule) in rules.enumerated() {
            for input in (rule.kind as? any FindingsDetector)?.inputRules ?? [] { lastReader[input] = position }
        }
        var historyPlans: [String: [Int]] = [:]
        for (position, plan) in plans.enumerated() where plan.isRead {
            historyPlans[plan.rule.id, default: []].append(position)
        }
        for (rulePosition, rule) in rules.enumerated() where !(rule.kind is any TimelineDetector) {
            guard let kind = rule.kind as? any FindingsDetector else { continue }
            if findingsOfRule == nil {
                var positions: [String: [Int]] = [:]
                // By index: enumerating would copy every finding.
                for position in findings.indices { positions[findings[position].rule, default: []].append(position) }
                findingsOfRule = positions
            }
            // Where each therapist's findings are, not copies: each is made only while it is read.
            let inputs = Set(kind.inputRules)
            var byTherapist: [String: [ReadSource]] = [:]
            for position in inputs.flatMap({ findingsOfRule?[$0] ?? [] }) {
                let therapist =
                    position < findings.count ? findings[position].therapist : made[position - findings.count].therapist
                byTherapist[therapist, default: []].append(.finding(position))
            }
            for plan in inputs.flatMap({ historyPlans[$0] ?? [] }) {
                for (entry, finding) in history[plan].enumerated() {
                    let timeline = timelines[Int(finding.timeline)]
                    let therapist =
                        finding.therapistRecord >= 0
                        ? timeline.records[Int(finding.therapistRecord)].therapist : timeline.therapist
                    byTherapist[therapist, default: []].append(.history(plan: Int32(plan), entry: Int32(entry)))
                }
            }
            if therapists == nil {
                var seen = Set<String>()
                var attended: [String: [String: [Day]]] = [:]
                for timeline in timelines {
                    // A timeline is one client's, and its therapist seldom changes: each run of
                    // one therapist is added at once, not looked up record by record.
                    timeline.records.withUnsafeBufferPointer { records in
                        var start = 0
                        var dates: [Day] = []
                        while start < records.count {
                            let therapistID = records[start].therapistID
                            let therapist = therapistID.text
                            var end = start
                            dates.removeAll(keepingCapacity: true)
                            while end < records.count,
                                records[end].therapistID == therapistID || records[end].therapistID.text == therapist
                            {
                                // A stored field: a computed one (`attended`) would copy the record whole.
                                if records[end].attendance == .attended { dates.append(records[end].date) }
                                end += 1
                            }
                            seen.insert(therapist)
                            if !dates.isEmpty {
                                attended[therapist, default: [:]][timeline.client, default: []]
                                    .append(contentsOf: dates)
                            }
                            start = end
                        }
                    }
                }
                therapists = seen.sorted()
                Self.sortInPlace(&attended)
                attendedByTherapist = attended
            }
            let names = therapists ?? []
            let outcomes = caseloads(
                names, rule: rule, kind: kind, sources: byTherapist, findings: findings, made: made,
                timelineOfFinding: timelineOfFinding, history: history, attended: attendedByTherapist ?? [:],
                plans: plans, timelines: timelines, options: options)
            made.reserveCapacity(
                outcomes.reduce(made.count) { total, outcome in
                    guard case .success(let drafts) = outcome else { return total }
                    return total + drafts.count
                })
            for (therapist, outcome) in zip(names, outcomes) {
                switch outcome {
                case .success(let drafts):
                    for draft in drafts {
                        findingsOfRule?[rule.id, default: []].append(findings.count + made.count)
                        made.append(caseloadFinding(rule, therapist, draft))
                    }
                case .failure(let error):
                    failures.append(
                        Failure(
                            rule: rule.id, client: "", episode: "", location: rule.location,
                            message: "therapist \(therapist)'s caseload: \(error.message)"))
                }
            }
            for input in inputs where lastReader[input] == rulePosition {
                for plan in historyPlans[input] ?? [] { history[plan] = [] }
            }
        }
        return made
    }

    /// Sorts each client's dates in place: sorted copies would hold every attended date twice
    /// for a moment. Each therapist's clients are taken out while sorted, and the positions are
    /// walked by hand: a dictionary still referenced (as by `values.indices`) is copied, with
    /// every list in it, at the first change.
    static func sortInPlace(_ attended: inout [String: [String: [Day]]]) {
        var therapist = attended.startIndex
        while therapist != attended.endIndex {
            var clients: [String: [Day]] = [:]
            swap(&clients, &attended.values[therapist])
            var client = clients.startIndex
            while client != clients.endIndex {
                clients.values[client].sort()
                client = clients.index(after: client)
            }
            swap(&clients, &attended.values[therapist])
            therapist = attended.index(after: therapist)
        }
    }

    /// What one reading rule's kind says of each therapist's caseload, in the order of
    /// `therapists`. The arrays are parameters, not copies: the threads read them, nothing
    /// changes them meanwhile, and nothing holds them once this returns.
    private func caseloads(
        _ therapists: [String], rule: Rule, kind: any FindingsDetector, sources: [String: [ReadSource]],
        findings: FindingRuns, made: [Finding], timelineOfFinding: [Int32], history: [[HistoryFinding]],
        attended: [String: [String: [Day]]], plans: [Plan], timelines: [Timeline], options: Options
    ) -> [Result<[FindingDraft], EvaluationError>] {
        let caseload: @Sendable (Int) -> Result<[FindingDraft], EvaluationError> = { index in
            let therapist = therapists[index]
            let view = CaseloadView(
                therapist: therapist,
                findings: readFindings(
                    sources[therapist] ?? [], findings: findings, made: made, timelineOfFinding: timelineOfFinding,
                    history: history, plans: plans, timelines: timelines),
                asOf: options.asOf, attended: attended[therapist] ?? [:], coverage: rule.coverage)
            do throws(EvaluationError) {
                return .success(try kind.detect(in: view))
            } catch {
                return .failure(error)
            }
        }
        var outcomes = [Result<[FindingDraft], EvaluationError>](
            repeating: .success([]), count: therapists.count)
        outcomes.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendableBuffer(buffer)
            Parallel.forEach(Array(therapists.indices), jobs: options.jobs) { slots.buffer[$0] = caseload($0) }
        }
        return outcomes
    }
}
