/// Runs rules over timelines and turns what kinds report into findings.
///
/// Timeline rules run per (client, episode), in parallel across timelines; rules that read
/// other rules' findings (`caseload`) run after the rules they read. Output order does not
/// depend on the number of jobs.
///
/// ```swift
/// let engine = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
/// let output = engine.run(timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
/// ```
public struct Engine: Sendable {
    public struct Options: Sendable {
        public var asOf: Day
        /// Copy the evidence records' notes into findings (`--include-notes`).
        public var includeNotes: Bool
        /// Worker threads for timeline evaluation; 1 runs on the calling thread.
        public var jobs: Int
        /// Count, per rule, the records it could not judge because something it reads was not recorded.
        public var countsUnjudged: Bool
        /// When set, keep only findings open at some time from this day to as-of. Of the others,
        /// those of rules that other rules read are kept as their readers' history (`HistoryFinding`:
        /// where, when, and values only for readers that read them) until the last reader has run.
        /// A review reports nothing else: on a large service most findings are old.
        public var keepsFindingsOpenSince: Day?

        public init(
            asOf: Day, includeNotes: Bool = false, jobs: Int = 1, countsUnjudged: Bool = true,
            keepsFindingsOpenSince: Day? = nil
        ) {
            self.asOf = asOf
            self.includeNotes = includeNotes
            self.jobs = max(1, jobs)
            self.countsUnjudged = countsUnjudged
            self.keepsFindingsOpenSince = keepsFindingsOpenSince
        }
    }

    /// A rule that could not be evaluated on a timeline: reported, never a crash.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var rule: String
        public var client: String
        public var episode: String
        public var location: SourceLocation?
        public var message: String

        public init(rule: String, client: String, episode: String, location: SourceLocation?, message: String) {
            self.rule = rule
            self.client = client
            self.episode = episode
            self.location = location
            self.message = message
        }

        public var description: String {
            // A rule reading findings fails per therapist, which its message names.
            let subject = client.isEmpty && episode.isEmpty ? "" : " client \(client) episode \(episode)"
            return "\(location.map { "\($0): " } ?? "")rule \(rule) could not evaluate\(subject): \(message)"
        }
    }

    public struct Output: Sendable {
        /// The findings in order: the runs joined (a copy, unless there is one run).
        public var findings: [Finding] {
            get { runs.count == 1 ? runs[0] : Array(runs.joined()) }
            set { runs = [newValue] }
        }
        /// The findings in order, in runs (`FindingRuns`): a review takes them one run at a time.
        var runs: [[Finding]]
        public var failures: [Failure]
        /// Rule id → records it could not judge because something it reads was not recorded.
        public var unjudged: [String: Int]

        /// The findings' runs, leaving none: each can be let go as soon as it is used.
        mutating func takeFindingRuns() -> [[Finding]] {
            defer { runs = [] }
            return runs
        }
    }

    public let rules: [Rule]
    public let vocabulary: Vocabulary

    /// `rules` are the active rules; rules reading findings are ordered after their inputs here,
    /// in time linear in the rules and references (a 1,000-rule chain is no slower than 1,000 rules).
    public init(rules: [Rule], vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        self.rules =
            rules.filter { $0.kind.timelineDetector != nil }
            + Self.dependencyOrder(rules.filter { $0.kind.timelineDetector == nil })
    }

    /// Rules reading findings, each after the rules it reads, otherwise in file order; rules in a
    /// cycle (a lint error) run last, in file order.
    static func dependencyOrder(_ rules: [Rule]) -> [Rule] {
        var positions: [String: [Int]] = [:]
        for (position, rule) in rules.enumerated() { positions[rule.id, default: []].append(position) }
        var waiting = [Int](repeating: 0, count: rules.count)
        var dependents = [[Int]](repeating: [], count: rules.count)
        for (position, rule) in rules.enumerated() {
            for input in Set(rule.inputRules) {
                for inputPosition in positions[input] ?? [] {
                    dependents[inputPosition].append(position)
                    waiting[position] += 1
                }
            }
        }
        var ready = rules.indices.filter { waiting[$0] == 0 }
        var next = 0
        while next < ready.count {
            for dependent in dependents[ready[next]] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { ready.append(dependent) }
            }
            next += 1
        }
        return ready.map { rules[$0] } + rules.indices.filter { waiting[$0] > 0 }.map { rules[$0] }
    }

    /// Groups records into timelines, leaving out those after `asOf`.
    ///
    /// Whether bookings are recorded is decided once for the whole input: when no record of it
    /// carries `next_appointment`, the export does not record bookings, and no rule may read
    /// "nothing booked" as a warning sign.
    public static func timelines(from records: [SessionRecord], asOf: Day?) -> [Timeline] {
        timelines(from: records, asOf: asOf, bookingsRecorded: records.contains { $0.nextAppointment != nil })
    }

    /// As above, with the bookings question answered by the caller (explain: by the whole input,
    /// when it looks at one client's records).
    public static func timelines(from records: [SessionRecord], asOf: Day?, bookingsRecorded: Bool) -> [Timeline] {
        var records = records
        return timelines(taking: &records, asOf: asOf, bookingsRecorded: bookingsRecorded)
    }

    /// Groups records into timelines, taking the array (it is left empty): its records are put
    /// in timeline order in place and every timeline holds a run of that one array, so a large
    /// review holds its input once, never a grouped copy beside it. Besides the records, grouping
    /// needs 8 bytes a record for a moment (each record's group, then where it goes).
    public static func timelines(taking records: inout [SessionRecord], asOf: Day?, jobs: Int = 1) -> [Timeline] {
        let bookingsRecorded = records.contains { $0.nextAppointment != nil }
        return timelines(taking: &records, asOf: asOf, bookingsRecorded: bookingsRecorded, jobs: jobs)
    }

    static func timelines(taking records: inout [SessionRecord], asOf: Day?, bookingsRecorded: Bool, jobs: Int = 1)
        -> [Timeline]
    {
        var all: [SessionRecord] = []
        swap(&all, &records)
        // Positions are 32-bit: 2^31 records would take hundreds of gigabytes before getting here.
        precondition(all.count <= Int(Int32.max), "too many records for one review")
        var (groupOf, keys, ids, counts) = groups(of: all, asOf: asOf, jobs: jobs)
        // Groups in subject order; each group's run starts where the previous one ends.
        let order = keys.indices.sorted { (keys[$0].client, keys[$0].episode) < (keys[$1].client, keys[$1].episode) }
        var starts = [Int](repeating: 0, count: keys.count)
        var kept = 0
        for group in order {
            starts[group] = kept
            kept += counts[group]
        }
        // `source[i]`: the position in the input of the record that goes to position i. Records
        // after `asOf` go after every run, and are dropped.
        var source = [Int32](repeating: 0, count: all.count)
        var next = starts
        var dropped = kept
        for position in all.indices {
            let group = Int(groupOf[position])
            if group >= 0 {
                source[next[group]] = Int32(truncatingIfNeeded: position)
                next[group] += 1
            } else {
                source[dropped] = Int32(truncatingIfNeeded: position)
                dropped += 1
            }
        }
        groupOf = []
        next = []
        // Within a run the positions are in input order, the last tie-break of timeline order.
        source.withUnsafeMutableBufferPointer { source in
            all.withUnsafeBufferPointer { records in
                for group in keys.indices where counts[group] > 1 {
                    var run = UnsafeMutableBufferPointer(
                        rebasing: source[starts[group]..<(starts[group] + counts[group])])
                    run.sort { a, b in
                        Timeline.precedes(records[Int(a)], records[Int(b)], inputOrder: a < b)
                    }
                }
            }
        }
        permute(&all, bySource: &source)
        all.removeLast(all.count - kept)
        let storage = TimelineRecords.Storage(all)
        all = []
        // Each timeline works out its attended numbers and baselines on its own: on `jobs` threads.
        let groupsInOrder = order
        keys = []
        let (runStarts, runIDs, runCounts) = (starts, ids, counts)
        return [Timeline](unsafeUninitializedCapacity: order.count) { buffer, initialized in
            let slots = UnsafeSendableBuffer(buffer)
            Parallel.ranges(min(jobs, max(1, order.count / 256)), order.count) { _, range in
                for position in range {
                    let group = groupsInOrder[position]
                    (slots.buffer.baseAddress! + position).initialize(
                        to: Timeline(
                            clientID: runIDs[group].client, episodeID: runIDs[group].episode,
                            ordered: TimelineRecords(storage, base: runStarts[group], count: runCounts[group]),
                            bookingsRecorded: bookingsRecorded))
                }
            }
            initialized = groupsInOrder.count
        }
    }

    /// Each record's group (-1 after `asOf`), the groups' keys in order of first appearance,
    /// and their sizes. Found in contiguous chunks of the records on `jobs` threads, each with its
    /// own table; the chunks' keys are then numbered in chunk order, which is the order of first
    /// appearance in the whole input, so the groups are the same for any number of jobs.
    /// Each group's `ids` are those of the record that named it first, as its key's strings are.
    static func groups(of records: [SessionRecord], asOf: Day?, jobs: Int, recordsPerJob: Int = 50_000) -> (
        groupOf: [Int32], keys: [EpisodeKey], ids: [GroupIDs], counts: [Int]
    ) {
        let jobs = max(1, min(jobs, records.count / recordsPerJob))
        var groupOf = [Int32](repeating: -1, count: records.count)
        var chunks = [(keys: [EpisodeKey], ids: [GroupIDs], counts: [Int])](repeating: ([], [], []), count: jobs)
        groupOf.withUnsafeMutableBufferPointer { groupOf in
            let groupOf = UnsafeSendableBuffer(groupOf)
            chunks.withUnsafeMutableBufferPointer { chunks in
                let chunks = UnsafeSendableBuffer(chunks)
                Parallel.ranges(jobs, records.count) { chunk, range in
                    chunks.buffer[chunk] = localGroups(of: records, range, asOf: asOf, into: groupOf)
                }
            }
        }
        guard jobs > 1 else { return (groupOf, chunks[0].keys, chunks[0].ids, chunks[0].counts) }
        // Number the chunks' groups as one table would have, then renumber each chunk's records.
        var keys: [EpisodeKey] = []
        var ids: [GroupIDs] = []
        var counts: [Int] = []
        var groupByKey: [EpisodeKey: Int32] = [:]
        var global: [[Int32]] = []
        for chunk in chunks {
            global.append(
                chunk.keys.indices.map { local in
                    let key = chunk.keys[local]
                    if let known = groupByKey[key] {
                        counts[Int(known)] += chunk.counts[local]
                        return known
                    }
                    let group = Int32(keys.count)
                    groupByKey[key] = group
                    keys.append(key)
                    ids.append(chunk.ids[local])
                    counts.append(chunk.counts[local])
                    return group
                })
        }
        let numbering = global
        groupOf.withUnsafeMutableBufferPointer { groupOf in
            let groupOf = UnsafeSendableBuffer(groupOf)
            Parallel.ranges(jobs, records.count) { chunk, range in
                for position in range where groupOf.buffer[position] >= 0 {
                    groupOf.buffer[position] = numbering[chunk][Int(groupOf.buffer[position])]
                }
            }
        }
        return (groupOf, keys, ids, counts)
    }

    /// A group's client and episode as interned ids.
    typealias GroupIDs = (client: InternedIdentifier, episode: InternedIdentifier)

    /// The groups of `range` of the records, numbered from 0 in order of first appearance there.
    private static func localGroups(
        of records: [SessionRecord], _ range: Range<Int>, asOf: Day?, into groupOf: UnsafeSendableBuffer<Int32>
    ) -> (keys: [EpisodeKey], ids: [GroupIDs], counts: [Int]) {
        var keys: [EpisodeKey] = []
        var ids: [GroupIDs] = []
        var counts: [Int] = []
        var groupByKey: [EpisodeKey: Int32] = [:]
        // Exports list a client's records together more often than not: the previous record's
        // group answers without hashing.
        // Compared by the ids' numbers: the same number is the same id (a different number may
        // still be a canonically equal spelling, which the key's lookup finds).
        var previous: (client: InternedIdentifier, episode: InternedIdentifier, group: Int32)?
        // Fields read in place: `let record = records[position]` would copy every record whole.
        records.withUnsafeBufferPointer { records in
            for position in range {
                if let asOf, records[position].date > asOf { continue }
                let group: Int32
                if let previous, previous.client == records[position].clientID,
                    previous.episode == records[position].episodeID
                {
                    group = previous.group
                } else {
                    let key = EpisodeKey(client: records[position].client, episode: records[position].episode)
                    if let known = groupByKey[key] {
                        group = known
                    } else {
                        group = Int32(keys.count)
                        groupByKey[key] = group
                        keys.append(key)
                        ids.append((records[position].clientID, records[position].episodeID))
                        counts.append(0)
                    }
                    previous = (records[position].clientID, records[position].episodeID, group)
                }
                groupOf.buffer[position] = group
                counts[Int(group)] += 1
            }
        }
        return (keys, ids, counts)
    }

    /// Puts `elements[source[i]]` at position i for every i, in place (following each cycle of
    /// the permutation with swaps, which move elements without copying them); `source` ends as
    /// the identity.
    static func permute<Element>(_ elements: inout [Element], bySource source: inout [Int32]) {
        precondition(elements.count == source.count)
        elements.withUnsafeMutableBufferPointer { elements in
            source.withUnsafeMutableBufferPointer { source in
                for start in source.indices where Int(source[start]) != start {
                    // Position `current` holds the element that started the cycle.
                    var current = start
                    while true {
                        let next = Int(source[current])
                        source[current] = Int32(truncatingIfNeeded: current)
                        if next == start { break }
                        elements.swapAt(current, next)
                        current = next
                    }
                }
            }
        }
    }

    /// A timeline rule with what evaluating it needs, looked up once per run. A class, so that
    /// handing it to each timeline costs one reference count, not one per field of the rule.
    final class Plan: Sendable {
        let rule: Rule
        let kind: any TimelineDetector
        /// The kind as a batching kind, when it is one: looked up once, not per timeline.
        let batcher: (any BatchTimelineDetector)?
        let context: RuleTimeline.Context
        /// The rule's id, interned once for all its findings.
        let ruleID: InternedIdentifier
        /// The message template its findings share, each written out when it is read.
        let message: DeferredMessage

        /// Other rules read this rule's findings, so all of them are kept.
        let isRead: Bool
        /// A reader reads their values, so those of its history are kept too.
        let valuesAreRead: Bool
        /// Where the records passing the rule's `where` are kept for the timeline at hand, shared
        /// with every rule whose `where` has the same text; nil without a `where`.
        let whereSlot: Int?

        init?(_ rule: Rule, vocabulary: Vocabulary, isRead: Bool, valuesAreRead: Bool, whereSlot: Int?) {
            guard let kind = rule.kind.timelineDetector else { return nil }
            self.rule = rule
            self.kind = kind
            batcher = kind.batchTimelineDetector
            self.isRead = isRead
            self.valuesAreRead = valuesAreRead
            self.whereSlot = whereSlot
            context = RuleTimeline.Context(rule: rule, vocabulary: vocabulary, tracer: nil)
            ruleID = InternedIdentifier(rule.id)
            message = DeferredMessage(rule)
        }
    }

    /// Slots for the rules' `where` conditions: one per distinct text. Every rule's expressions
    /// are compiled against the engine's vocabulary, so the same text passes the same records;
    /// most rules of a pack share one `where` (`attendance == 'attended'`), which is then
    /// evaluated once per record instead of once per rule. An instrumented rule (coverage) counts
    /// its own evaluations and keeps a slot of its own.
    static func whereSlots(_ rules: [Rule]) -> [Int?] {
        var slotOfText: [String: Int] = [:]
        var count = 0
        return rules.map { rule -> Int? in
            guard let condition = rule.whereExpression else { return nil }
            if rule.coverage == nil, let known = slotOfText[condition.source] { return known }
            defer { count += 1 }
            if rule.coverage == nil { slotOfText[condition.source] = count }
            return count
        }
    }

    public func run(timelines: [Timeline], options: Options) -> Output {
        let read = Set(rules.flatMap(\.inputRules))
        let valuesRead = Set(
            rules.filter { $0.kind.findingsDetector?.readsValues ?? false }.flatMap(\.inputRules))
        let timelineRules = rules.filter { $0.kind.timelineDetector != nil }
        let whereSlots = Self.whereSlots(timelineRules)
        let plans = zip(timelineRules, whereSlots).compactMap { rule, slot in
            Plan(
                rule, vocabulary: vocabulary, isRead: read.contains(rule.id),
                valuesAreRead: valuesRead.contains(rule.id),
                whereSlot: slot)
        }
        let hasReaders = rules.contains { $0.kind.findingsDetector != nil }
        // Timelines differ in length and in what their rules find, so the workers take chunks of
        // them in turn rather than one fixed share each; a batching kind (a plugin) is handed a
        // whole chunk per call. What a chunk's timelines gave is gathered in one set of lists,
        // in timeline order, in the chunk's own slot.
        let chunk = plans.contains { $0.batcher != nil } ? Self.timelinesPerBatch : 256
        var perChunk = [TimelineResults](
            repeating: TimelineResults(plans: 0, keepsTimelines: false), count: (timelines.count + chunk - 1) / chunk)
        perChunk.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendableBuffer(buffer)
            Parallel.chunks(options.jobs, timelines.count, size: chunk) { range in
                // One probe per chunk, reset for each rule: probes are never shared between threads.
                let probe = options.countsUnjudged ? EvaluationProbe() : nil
                var results = TimelineResults(plans: plans.count, keepsTimelines: hasReaders)
                evaluate(plans, on: timelines, range, options: options, probe: probe, into: &results)
                slots.buffer[range.lowerBound / chunk] = results
            }
        }
        let timelineFindingCount = perChunk.reduce(0) { $0 + $1.findings.count }
        var findings = FindingRuns(expecting: timelineFindingCount)
        // Each timeline finding's timeline, for the order readers see findings in.
        var timelineOfFinding: [Int32] = []
        if hasReaders { timelineOfFinding.reserveCapacity(timelineFindingCount) }
        // By plan position: each read rule's findings that the review will not report, each list
        // made at its size.
        var historyCounts = [Int](repeating: 0, count: plans.count)
        for results in perChunk {
            for entry in results.history { historyCounts[Int(entry.plan)] += 1 }
        }
        var history = historyCounts.map { count in
            var entries: [HistoryFinding] = []
            entries.reserveCapacity(count)
            return entries
        }
        var failures: [Failure] = []
        var unjudgedCounts = [Int](repeating: 0, count: plans.count)
        for index in perChunk.indices {
            // Taken out of its slot, so that what it holds goes as soon as it is joined.
            var results = TimelineResults(plans: 0, keepsTimelines: false)
            swap(&results, &perChunk[index])
            timelineOfFinding += results.timelineOfFinding
            // Moved, not copied: each finding held once, and no reference counted twice.
            findings.append(movingFrom: &results.findings)
            for entry in results.history { history[Int(entry.plan)].append(entry) }
            failures += results.failures
            for (plan, count) in results.unjudged.enumerated() { unjudgedCounts[plan] += count }
        }
        perChunk = []
        var unjudged: [String: Int] = [:]
        for rule in rules { unjudged[rule.id] = 0 }
        for (plan, count) in zip(plans, unjudgedCounts) { unjudged[plan.rule.id, default: 0] += count }

        // Each timeline's findings are sorted already; timelines given in subject order (as
        // `timelines(from:asOf:)` makes them) then need no sort of the whole list.
        let timelineFindingsSorted = zip(timelines, timelines.dropFirst()).allSatisfy { a, b in
            (a.client, a.episode) < (b.client, b.episode)
        }
        var readerFindings = runReaders(
            findings: findings, failures: &failures, history: &history, timelineOfFinding: timelineOfFinding,
            plans: plans, timelines: timelines, options: options)
        timelineOfFinding = []
        // The timeline rules' findings are all open in the period (`keep`); of the readers',
        // those that are not (the history they needed was never reported) go before the join.
        let outsidePeriod: (Finding) -> Bool = { finding in
            guard let since = options.keepsFindingsOpenSince else { return false }
            return finding.opened > options.asOf || (finding.closed.map { $0 < since } ?? false)
        }
        var runs = findings.takeRuns()
        if timelineFindingsSorted {
            // Therapist subjects sort after every episode subject: the readers' findings are a last run.
            readerFindings.sort(by: Engine.findingOrder)
            readerFindings.removeAll(where: outsidePeriod)
            if !readerFindings.isEmpty { runs.append(readerFindings) }
        } else {
            // Joined into one list to be sorted, each finding moved once.
            var all: [Finding] = []
            all.reserveCapacity(timelineFindingCount + readerFindings.count)
            runs.reverse()
            while var run = runs.popLast() { all.append(movingFrom: &run) }
            all.append(movingFrom: &readerFindings)
            all.sort(by: Engine.findingOrder)
            all.removeAll(where: outsidePeriod)
            runs = [all]
        }
        return Output(runs: runs, failures: failures, unjudged: unjudged)
    }

    /// Whether `findings` are in `findingOrder` (equal neighbours allowed).
    static func inOrder(_ findings: ArraySlice<Finding>) -> Bool {
        var index = findings.startIndex + 1
        while index < findings.endIndex {
            if findingOrder(findings[index], findings[index - 1]) { return false }
            index += 1
        }
        return true
    }

    /// Subject, then rule, then opening date: stable for any number of jobs.
    public static func findingOrder(_ a: Finding, _ b: Finding) -> Bool {
        // Ids compared as numbers first: equal numbers are equal text, and most findings compared
        // share a subject. Only where the numbers differ is the text made and compared.
        let (subjectA, subjectB) = (a.subjectIdentifiers, b.subjectIdentifiers)
        if subjectA.client != subjectB.client || subjectA.episode != subjectB.episode, a.subject != b.subject {
            return a.subject < b.subject
        }
        if a.ruleIdentifier != b.ruleIdentifier, a.rule != b.rule { return a.rule < b.rule }
        if a.opened != b.opened { return a.opened < b.opened }
        return (a.closed?.number ?? .max) < (b.closed?.number ?? .max)
    }

    /// Where a finding a rule reads is: among the run's findings, or in a read rule's history.
    enum ReadSource {
        case finding(Int)
        case history(plan: Int32, entry: Int32)
    }

    /// One therapist's findings as a reader sees them, in the order of the timelines' findings
    /// (timeline, then rule, opening and closing date, as `findingOrder` sorts each timeline's),
    /// which is the order of a scan over every finding, history included; then the findings of
    /// rules that read findings (`made`, at positions after `findings`), in the order they were made.
    func readFindings(
        _ sources: [ReadSource], findings: FindingRuns, made: [Finding], timelineOfFinding: [Int32],
        history: [[HistoryFinding]],
        plans: [Plan], timelines: [Timeline]
    ) -> [ReadFinding] {
        var keyed: [(timeline: Int, opened: Day, closed: Int32, sequence: Int, finding: ReadFinding)] = []
        keyed.reserveCapacity(sources.count)
        for source in sources {
            switch source {
            case .finding(let position):
                let finding = position < findings.count ? findings[position] : made[position - findings.count]
                // Findings of reading rules come after every timeline's, in the order they were made.
                let timeline =
                    position < timelineOfFinding.count
                    ? Int(timelineOfFinding[position]) : timelines.count + position
                keyed.append(
                    (timeline, finding.opened, finding.closed?.number ?? .max, position, ReadFinding(finding)))
            case .history(let plan, let entry):
                let finding = history[Int(plan)][Int(entry)]
                let timeline = Int(finding.timeline)
                keyed.append(
                    (
                        timeline, finding.opened, finding.closed?.number ?? .max, Int(entry),
                        readFinding(finding, of: plans[Int(plan)].rule, in: timelines[timeline])
                    ))
            }
        }
        // Within a timeline a history finding and a reported one never tie (one closed before
        // the period, the other not): the sequence orders findings of one kind only.
        keyed.sort { a, b in
            if a.timeline != b.timeline { return a.timeline < b.timeline }
            if a.finding.rule != b.finding.rule { return a.finding.rule < b.finding.rule }
            if a.opened != b.opened { return a.opened < b.opened }
            if a.closed != b.closed { return a.closed < b.closed }
            return a.sequence < b.sequence
        }
        return keyed.map(\.finding)
    }

    /// What the timeline rules gave on a run of timelines (a worker's chunk), in timeline order:
    /// one set of lists per chunk, not per timeline, so that few lists are made and joined.
    struct TimelineResults: Sendable {
        var findings: [Finding] = []
        /// Each finding's timeline, kept when rules read findings (the order readers see them in).
        var timelineOfFinding: [Int32] = []
        let keepsTimelines: Bool
        /// Findings of read rules the review will not report, their timelines set.
        var history: [HistoryFinding] = []
        var failures: [Failure] = []
        /// Records not judged, per rule (by position in the run's plans).
        var unjudged: [Int]

        init(plans: Int, keepsTimelines: Bool) {
            unjudged = [Int](repeating: 0, count: plans)
            self.keepsTimelines = keepsTimelines
        }
    }

    /// The most timelines a batching kind (a plugin) is handed in one call: enough that a call's
    /// fixed cost is spread thin (entering WasmKit costs about as much as a hundred timelines'
    /// records), few enough that a request stays under a megabyte or two.
    public static let timelinesPerBatch = 1024

    /// What a kind said of one timeline, with what its probe saw: the records it could not
    /// judge, and the record it was on when it failed. A batching kind's come from its batch.
    struct BatchOutcome {
        var drafts: Result<[FindingDraft], EvaluationError>
        var unjudged: Int
        var lastRecord: Int?
    }

    /// Runs every timeline rule on the timelines in `range`, handing each result to `deliver`:
    /// batching kinds get up to `timelinesPerBatch` timelines a call, the others one at a time.
    func evaluate(
        _ plans: [Plan], on timelines: [Timeline], _ range: Range<Int>, options: Options, probe: EvaluationProbe?,
        into results: inout TimelineResults
    ) {
        var passing = PassingRecords(slots: plans.reduce(0) { max($0, ($1.whereSlot ?? -1) + 1) })
        guard plans.contains(where: { $0.batcher != nil }) else {
            for index in range {
                evaluate(plans, on: timelines, index, options: options, probe: probe, passing: &passing, into: &results)
            }
            return
        }
        var start = range.lowerBound
        while start < range.upperBound {
            let batch = start..<min(range.upperBound, start + Self.timelinesPerBatch)
            let outcomes: [[BatchOutcome]?] = plans.map { plan in
                plan.batcher.map { batchOutcomes($0, plan, timelines[batch], options: options) }
            }
            for index in batch {
                let offset = index - batch.lowerBound
                evaluate(
                    plans, on: timelines, index, options: options, probe: probe, passing: &passing, into: &results,
                    batched: { position in outcomes[position]?[offset] })
            }
            start = batch.upperBound
        }
    }

    /// One rule's findings on a batch of timelines, from one call of its kind. Each timeline has
    /// a probe of its own, so what it could not judge is counted as if it ran alone.
    private func batchOutcomes(
        _ batcher: any BatchTimelineDetector, _ plan: Plan, _ timelines: ArraySlice<Timeline>, options: Options
    ) -> [BatchOutcome] {
        var outcomes: [BatchOutcome] = []
        outcomes.reserveCapacity(timelines.count)
        var probes: [EvaluationProbe?] = []
        var views: [RuleTimeline] = []
        var positions: [Int] = []
        for timeline in timelines {
            let probe = options.countsUnjudged ? EvaluationProbe() : nil
            do {
                views.append(try ruleTimeline(plan.rule, plan.context, timeline, asOf: options.asOf, probe: probe))
                positions.append(outcomes.count)
                outcomes.append(BatchOutcome(drafts: .success([]), unjudged: 0, lastRecord: nil))
            } catch {
                outcomes.append(
                    BatchOutcome(
                        drafts: .failure(error), unjudged: probe?.unjudgedRecords.count ?? 0,
                        lastRecord: probe?.lastRecord))
            }
            probes.append(probe)
        }
        guard !views.isEmpty else { return outcomes }
        var results = batcher.detect(in: views)
        if results.count != views.count {
            let wrong = EvaluationError("the kind gave \(results.count) results for \(views.count) timelines")
            results = Array(repeating: .failure(wrong), count: views.count)
        }
        for (position, result) in zip(positions, results) {
            outcomes[position] = BatchOutcome(
                drafts: result, unjudged: probes[position]?.unjudgedRecords.count ?? 0,
                lastRecord: probes[position]?.lastRecord)
        }
        return outcomes
    }

    /// Runs every timeline rule on one timeline (`timelines[index]`), adding what they give to
    /// `results`, its findings in `findingOrder`; `probe` (reset per rule) counts records not
    /// judged. `passing`: the chunk's records passing each `where`, started again here for this
    /// timeline. `batched` gives what a batching kind already said of this timeline.
    func evaluate(
        _ plans: [Plan], on timelines: [Timeline], _ index: Int, options: Options, probe: EvaluationProbe?,
        passing: inout PassingRecords, into results: inout TimelineResults,
        batched: (Int) -> BatchOutcome? = { _ in nil }
    ) {
        let timeline = timelines[index]
        let first = results.findings.count
        passing.start()
        // One view of the timeline for all its rules (`RuleTimeline.show`), made at the first.
        var view: RuleTimeline?
        for (position, plan) in plans.enumerated() {
            let outcome =
                batched(position)
                ?? self.outcome(plan, on: timeline, options: options, probe: probe, passing: &passing, view: &view)
            switch outcome.drafts {
            case .success(let drafts):
                keep(drafts, plan, position, timeline, Int32(index), options: options, into: &results)
            case .failure(let error):
                results.failures.append(
                    Failure(
                        rule: plan.rule.id, client: timeline.client, episode: timeline.episode,
                        location: outcome.lastRecord.map { timeline.records[$0].source }, message: error.message))
            }
            results.unjudged[position] += outcome.unjudged
        }
        let found = results.findings.count - first
        // Rules run in order and each kind reports in date order, so the findings are often in
        // order already: checked first, as sorting copies them.
        if found > 1, !Self.inOrder(results.findings[first...]) {
            results.findings[first...].sort(by: Engine.findingOrder)
        }
        if results.keepsTimelines { results.timelineOfFinding += repeatElement(Int32(index), count: found) }
    }

    /// What one timeline rule's kind says of one timeline, called on its own; `probe` is reset
    /// for the rule and read after it. `view`: the timeline's view, made by the first rule that
    /// needs one and shown to the next.
    private func outcome(
        _ plan: Plan, on timeline: Timeline, options: Options, probe: EvaluationProbe?,
        passing: inout PassingRecords, view: inout RuleTimeline?
    ) -> BatchOutcome {
        probe?.restart()
        let drafts: Result<[FindingDraft], EvaluationError>
        // What `keep` drops: a kind may skip making it (no rule reads this one's history).
        let drops = plan.isRead ? nil : options.keepsFindingsOpenSince
        do {
            let indices: [Int]
            if let slot = plan.whereSlot {
                indices = try passing.indices(slot, of: plan.rule, on: timeline, probe: probe)
            } else {
                indices = passing.all(of: timeline, probe: probe)
            }
            if view == nil {
                view = RuleTimeline(
                    timeline: timeline, indices: indices, asOf: options.asOf, context: plan.context, probe: probe,
                    dropsFindingsClosedBefore: drops)
            } else {
                view!.show(indices, to: plan.context, dropsFindingsClosedBefore: drops)
            }
            drafts = .success(try plan.kind.detect(in: view!))
        } catch {
            drafts = .failure(error)
        }
        return BatchOutcome(drafts: drafts, unjudged: probe?.unjudgedRecords.count ?? 0, lastRecord: probe?.lastRecord)
    }

    /// Keeps what a kind reported on a timeline that the review can report.
    private func keep(
        _ drafts: [FindingDraft], _ plan: Plan, _ position: Int, _ timeline: Timeline, _ timelineIndex: Int32,
        options: Options, into result: inout TimelineResults
    ) {
        for draft in drafts {
            if let since = options.keepsFindingsOpenSince,
                draft.opened > options.asOf || (draft.closed.map { $0 < since } ?? false)
            {
                // Never reported; a rule that reads this one still sees where and when it was.
                if plan.isRead {
                    result.history.append(
                        HistoryFinding(
                            plan: Int32(position), timeline: timelineIndex,
                            therapistRecord: draft.evidence.last.map { Int32(truncatingIfNeeded: $0) } ?? -1,
                            opened: draft.opened, closed: draft.closed,
                            values: plan.valuesAreRead ? draft.values.dictionary : nil))
                }
                continue
            }
            result.findings.append(
                finding(
                    plan.rule, ruleID: plan.ruleID, message: plan.message, timeline, draft,
                    includeNotes: options.includeNotes))
        }
    }

    /// The records of `timeline` that pass the rule's `where`, packaged for its kind.
    public func ruleTimeline(
        _ rule: Rule, _ timeline: Timeline, asOf: Day, probe: EvaluationProbe?,
        tracer: (@Sendable (Int, String) -> Void)?
    ) throws(EvaluationError) -> RuleTimeline {
        try ruleTimeline(
            rule, RuleTimeline.Context(rule: rule, vocabulary: vocabulary, tracer: tracer), timeline, asOf: asOf,
            probe: probe)
    }

    func ruleTimeline(
        _ rule: Rule, _ context: RuleTimeline.Context, _ timeline: Timeline, asOf: Day,
        probe: EvaluationProbe?
    ) throws(EvaluationError) -> RuleTimeline {
        let indices = try Self.passing(rule.whereExpression, timeline, probe: probe)
        return RuleTimeline(timeline: timeline, indices: indices, asOf: asOf, context: context, probe: probe)
    }

    /// Indices of the records of `timeline` that pass `condition` (all of them without one),
    /// leaving on the probe the last record looked at: the one that failed, if one did.
    static func passing(_ condition: CompiledExpression?, _ timeline: Timeline, probe: EvaluationProbe?)
        throws(EvaluationError) -> [Int]
    {
        var indices: [Int] = []
        try passing(condition, timeline, probe: probe, into: &indices)
        return indices
    }

    /// The same, into `indices` (emptied first, its storage kept).
    static func passing(
        _ condition: CompiledExpression?, _ timeline: Timeline, probe: EvaluationProbe?, into indices: inout [Int]
    ) throws(EvaluationError) {
        guard let condition else { return everyIndex(of: timeline, probe: probe, into: &indices) }
        indices.removeAll(keepingCapacity: true)
        indices.reserveCapacity(timeline.count)
        for index in 0..<timeline.count {
            probe?.lastRecord = index
            if try condition.holds(on: timeline, at: index, probe: probe) {
                indices.append(index)
            }
        }
    }

    /// What `passing` gives without a condition: every index, the probe on the last record.
    static func everyIndex(of timeline: Timeline, probe: EvaluationProbe?, into indices: inout [Int]) {
        leaveOnLastRecord(probe, of: timeline)
        indices.removeAll(keepingCapacity: true)
        indices.append(contentsOf: 0..<timeline.count)
    }

    /// Where a condition that held on every record it looked at leaves the probe.
    static func leaveOnLastRecord(_ probe: EvaluationProbe?, of timeline: Timeline) {
        probe?.lastRecord = timeline.count > 0 ? timeline.count - 1 : nil
    }

    /// The records of one timeline passing each `where` slot (`whereSlots`), found by the first
    /// rule that needs them and handed to the others as if they had found them themselves: the
    /// same indices, or the same error with the probe on the same record. One per worker's
    /// chunk of timelines, started again for each (`start`): the lists keep their storage from
    /// one timeline to the next, where a list made for each timeline cost an allocation and its
    /// release some 54,000 times at 100k records.
    struct PassingRecords {
        /// Per slot, what is known of the timeline at hand.
        private var found: [Found]
        /// Per slot, its indices (when `passed`); kept from timeline to timeline for their storage.
        private var lists: [[Int]]
        /// Every index of a timeline of `all.count` records, for rules without a `where`: the
        /// same for any timeline of that length.
        private var all: [Int] = []

        init(slots: Int) {
            found = Array(repeating: .notYet, count: slots)
            lists = Array(repeating: [], count: slots)
        }

        private enum Found {
            /// No rule asked yet.
            case notYet
            /// In the slot's list.
            case passed
            case failed(Failed)
        }

        private struct Failed: Error {
            var error: EvaluationError
            var record: Int?
        }

        /// Forgets the last timeline. The lists are uniquely held again by then (the view that
        /// showed them to the kinds has gone), so refilling them reuses their storage.
        mutating func start() {
            for slot in found.indices { found[slot] = .notYet }
        }

        /// Every index of the timeline, with the probe where `Engine.everyIndex` leaves it.
        mutating func all(of timeline: Timeline, probe: EvaluationProbe?) -> [Int] {
            if all.count == timeline.count {
                Engine.leaveOnLastRecord(probe, of: timeline)
            } else {
                Engine.everyIndex(of: timeline, probe: probe, into: &all)
            }
            return all
        }

        mutating func indices(_ slot: Int, of rule: Rule, on timeline: Timeline, probe: EvaluationProbe?)
            throws(EvaluationError) -> [Int]
        {
            switch found[slot] {
            case .passed:
                Engine.leaveOnLastRecord(probe, of: timeline)
                return lists[slot]
            case .failed(let failed):
                probe?.lastRecord = failed.record
                throw failed.error
            case .notYet:
                do {
                    try Engine.passing(rule.whereExpression, timeline, probe: probe, into: &lists[slot])
                    found[slot] = .passed
                    return lists[slot]
                } catch {
                    found[slot] = .failed(Failed(error: error, record: probe?.lastRecord))
                    throw error
                }
            }
        }
    }
}
