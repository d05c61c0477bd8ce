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
        var caseloads: (therapists: [String], attended: [String: [String: [Day]]])?
        var therapistSlots = TherapistSlots(names: [])
        // Positions of each read rule's findings, so that a rule reading findings looks only at
        // those of its inputs, not at every finding once per rule.
        var findingsOfRule: [String: [Int]]?
        var lastReader: [String: Int] = [:]
        for (position, rule) in rules.enumerated() {
            for input in rule.kind.findingsDetector?.inputRules ?? [] { lastReader[input] = position }
        }
        var historyPlans: [String: [Int]] = [:]
        for (position, plan) in plans.enumerated() where plan.isRead {
            historyPlans[plan.rule.id, default: []].append(position)
        }
        for (rulePosition, rule) in rules.enumerated() where rule.kind.timelineDetector == nil {
            guard let kind = rule.kind.findingsDetector else { continue }
            if caseloads == nil {
                let found = Self.attendedDates(of: timelines, jobs: options.jobs)
                caseloads = found
                therapistSlots = TherapistSlots(names: found.therapists)
                findingsOfRule = Self.positions(ofRules: lastReader.keys.sorted(), in: findings)
            }
            let names = caseloads?.therapists ?? []
            // Where each therapist's findings are, not copies: each is made only while it is read.
            let inputs = Set(kind.inputRules)
            var byTherapist = [[ReadSource]](repeating: [], count: names.count)
            for position in inputs.flatMap({ findingsOfRule?[$0] ?? [] }) {
                let therapist =
                    position < findings.count
                    ? findings[position].therapistIdentifier : made[position - findings.count].therapistIdentifier
                if let slot = therapistSlots.slot(of: therapist) { byTherapist[slot].append(.finding(position)) }
            }
            for plan in inputs.flatMap({ historyPlans[$0] ?? [] }) {
                for entry in history[plan].indices {
                    let finding = history[plan][entry]
                    let timeline = timelines[Int(finding.timeline)]
                    let record = finding.therapistRecord >= 0 ? Int(finding.therapistRecord) : timeline.count - 1
                    guard record >= 0, let slot = therapistSlots.slot(of: timeline.therapistID(ofRecord: record))
                    else { continue }
                    byTherapist[slot].append(.history(plan: Int32(plan), entry: Int32(entry)))
                }
            }
            let outcomes = self.caseloads(
                names, rule: rule, kind: kind, sources: byTherapist, findings: findings, made: made,
                timelineOfFinding: timelineOfFinding, history: history, attended: caseloads?.attended ?? [:],
                plans: plans, timelines: timelines, options: options)
            made.reserveCapacity(
                outcomes.reduce(made.count) { total, outcome in
                    guard case .success(let found) = outcome else { return total }
                    return total + found.count
                })
            for (therapist, outcome) in zip(names, outcomes) {
                switch outcome {
                case .success(let found):
                    for finding in found {
                        findingsOfRule?[rule.id, default: []].append(findings.count + made.count)
                        made.append(finding)
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

    /// The positions of the findings of each of `ruleIDs`, in order. A finding's rule is found by
    /// its id's number: rule ids are kebab-case (ASCII), so each has one spelling, and equal
    /// text is an equal number.
    static func positions(ofRules ruleIDs: [String], in findings: FindingRuns) -> [String: [Int]] {
        let interned = ruleIDs.map(InternedIdentifier.init)
        var lists = [[Int]](repeating: [], count: ruleIDs.count)
        var position = 0
        for run in findings.runs {
            run.withUnsafeBufferPointer { run in
                for index in run.indices {
                    let id = run[index].ruleIdentifier
                    if let slot = interned.firstIndex(of: id) { lists[slot].append(position) }
                    position += 1
                }
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(ruleIDs, lists))
    }

    /// Each therapist id's position among the caseloads' therapists, found as text
    /// (`CanonicalIdentifier`), so ids that spell one name differently share it.
    struct TherapistSlots {
        private let slotOf: [CanonicalIdentifier: Int]
        private var last: (id: InternedIdentifier, slot: Int?)?

        init(names: [String]) {
            slotOf = Dictionary(
                names.enumerated().map { (CanonicalIdentifier(InternedIdentifier($1)), $0) },
                uniquingKeysWith: { a, _ in a })
        }

        /// nil for a therapist with no caseload (no timeline of theirs).
        mutating func slot(of id: InternedIdentifier) -> Int? {
            // Findings of one client come together, and a client's therapist seldom changes.
            if let last, last.id == id { return last.slot }
            let slot = slotOf[CanonicalIdentifier(id)]
            last = (id, slot)
            return slot
        }
    }

    /// Every therapist in the timelines (sorted), and each one's clients' attended dates (sorted):
    /// what a caseload rule is given besides findings.
    ///
    /// Two passes, each on up to `jobs` threads: the timelines, cut into contiguous ranges, are
    /// read into runs of one therapist (no lookups); then each therapist's runs become its
    /// clients' dates, a therapist per thread at a time. The dates are those of one pass over
    /// every timeline, whatever the number of jobs: no thread's dictionaries are merged into another's.
    static func attendedDates(
        of timelines: [Timeline], jobs: Int, timelinesPerJob: Int = timelinesPerAttendedJob
    ) -> (therapists: [String], attended: [String: [String: [Day]]]) {
        let readers = max(1, min(jobs, timelines.count / max(1, timelinesPerJob)))
        var parts = [AttendedRuns](repeating: AttendedRuns(), count: readers)
        parts.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendableBuffer(buffer)
            Parallel.ranges(readers, timelines.count) { job, range in
                slots.buffer[job] = AttendedRuns(of: timelines[range], startingAt: range.lowerBound)
            }
        }
        // A therapist may be spelled by more than one id (`IdentifierSpelling`): one slot per
        // therapist as a string, which is what the caseload is keyed by (`CanonicalIdentifier`).
        var slotOf: [CanonicalIdentifier: Int] = [:]
        var names: [String] = []
        for part in parts {
            for id in part.therapists where slotOf[CanonicalIdentifier(id)] == nil {
                slotOf[CanonicalIdentifier(id)] = names.count
                names.append(id.text)
            }
        }
        // Each therapist's runs, in timeline order, their dates in one list for all the parts.
        var runsOfSlot = [[AttendedRuns.Run]](repeating: [], count: names.count)
        var dates: [Day] = []
        for index in parts.indices {
            let base = Int32(dates.count)
            for var run in parts[index].runs {
                run.first += base
                runsOfSlot[slotOf[CanonicalIdentifier(run.therapist)]!].append(run)
            }
            // The first part's list is taken, not copied; each part's goes once it is added.
            if index == 0 { dates = parts[index].takeDates() } else { dates += parts[index].takeDates() }
        }
        parts = []
        var clientsOfSlot = [[String: [Day]]](repeating: [:], count: names.count)
        let runsOf = runsOfSlot
        dates.withUnsafeMutableBufferPointer { dates in
            // Read only, by every thread: a pointer, so that no thread counts references to the list.
            let dates = UnsafeSendableBuffer(dates)
            clientsOfSlot.withUnsafeMutableBufferPointer { buffer in
                let slots = UnsafeSendableBuffer(buffer)
                Parallel.forEach(Parallel.largestFirst(runsOf.map(\.count)), jobs: jobs) { slot in
                    var clients: [String: [Day]] = [:]
                    clients.reserveCapacity(runsOf[slot].count)
                    for run in runsOf[slot] {
                        let first = Int(run.first)
                        clients[timelines[Int(run.timeline)].client, default: []]
                            .append(contentsOf: dates.buffer[first..<first + Int(run.count)])
                    }
                    Self.sortInPlace(&clients)
                    slots.buffer[slot] = clients
                }
            }
        }
        var attended: [String: [String: [Day]]] = [:]
        attended.reserveCapacity(names.count)
        for (name, clients) in zip(names, clientsOfSlot) where !clients.isEmpty { attended[name] = clients }
        return (names.sorted(), attended)
    }

    /// Below this many timelines a job, reading the runs on more threads costs more than it saves.
    static let timelinesPerAttendedJob = 4096

    /// Sorts each client's dates in place: sorted copies would hold every attended date twice
    /// for a moment. The positions are walked by hand: a dictionary still referenced (as by
    /// `values.indices`) is copied, with every list in it, at the first change.
    static func sortInPlace(_ clients: inout [String: [Day]]) {
        var client = clients.startIndex
        while client != clients.endIndex {
            clients.values[client].sort()
            client = clients.index(after: client)
        }
    }

    /// What one reading rule's kind says of each therapist's caseload, as findings, in the order
    /// of `therapists` (as `sources` is). The arrays are parameters, not copies: the threads read
    /// them, nothing changes them meanwhile, and nothing holds them once this returns.
    private func caseloads(
        _ therapists: [String], rule: Rule, kind: any FindingsDetector, sources: [[ReadSource]],
        findings: FindingRuns, made: [Finding], timelineOfFinding: [Int32], history: [[HistoryFinding]],
        attended: [String: [String: [Day]]], plans: [Plan], timelines: [Timeline], options: Options
    ) -> [Result<[Finding], EvaluationError>] {
        let caseload: @Sendable (Int) -> Result<[Finding], EvaluationError> = { index in
            let therapist = therapists[index]
            let view = CaseloadView(
                therapist: therapist,
                findings: readFindings(
                    sources[index], findings: findings, made: made, timelineOfFinding: timelineOfFinding,
                    history: history, plans: plans, timelines: timelines),
                asOf: options.asOf, attended: attended[therapist] ?? [:], coverage: rule.coverage)
            do throws(EvaluationError) {
                // Made here, on the caseload's thread: writing a message out is most of a finding's cost.
                return .success(try kind.detect(in: view).map { caseloadFinding(rule, therapist, $0) })
            } catch {
                return .failure(error)
            }
        }
        var outcomes = [Result<[Finding], EvaluationError>](
            repeating: .success([]), count: therapists.count)
        outcomes.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendableBuffer(buffer)
            Parallel.forEach(Array(therapists.indices), jobs: options.jobs) { slots.buffer[$0] = caseload($0) }
        }
        return outcomes
    }
}
