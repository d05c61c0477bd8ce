/// Runs the engine over a batch of records and assembles the `Review`.
///
/// ```swift
/// let review = ReviewBuilder(ruleSet: ruleSet).build(batch: batch, request: request)
/// ```
public struct ReviewBuilder: Sendable {
    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
    }

    /// The as-of date a request resolves to: given, or the latest record date (the end of
    /// `data`, the records' `dataRange`), or nil with no records.
    public static func asOf(for request: ReviewRequest, data: ClosedRange<Day>?) -> Day? {
        request.asOf ?? data?.upperBound
    }

    /// The period a request resolves to, or nil when it starts after it ends (`--since` after
    /// as-of). `data` is the records' `dataRange`, found once by the caller rather than in a pass
    /// over the records for each question (about 8 ms a pass at a million records).
    public static func period(for request: ReviewRequest, data: ClosedRange<Day>?) -> ClosedRange<Day>? {
        let asOf = asOf(for: request, data: data) ?? Day(number: 0)
        let since = request.since ?? asOf.adding(days: -6)
        return since <= asOf ? since...asOf : nil
    }

    /// Runs the engine as of the period's end; a period that starts after it ends shrinks to its last day
    /// (the CLI refuses such a request before it gets here).
    /// Takes the batch: its records move into the timelines (pass it with `consume` to keep one copy of them).
    public func build(
        batch: consuming RecordBatch, request: ReviewRequest, timer: PhaseTimer = PhaseTimer(notesMemory: false)
    ) -> Review {
        let data = Self.dataRange(of: batch.records)
        let asOf = Self.asOf(for: request, data: data) ?? Day(number: 0)
        let period = Self.period(for: request, data: data) ?? asOf...asOf
        // Days after the latest record are days without data, not days without sessions: rules
        // that count days (gaps, windows running out) are judged no later than the data's end.
        let judgedThrough = data.map { min($0.upperBound, asOf) } ?? asOf
        var records: [SessionRecord] = []
        swap(&records, &batch.records)
        // The timelines take the array: its records are ordered in place, never copied.
        let timelines = timer.measure("group") {
            Engine.timelines(taking: &records, asOf: judgedThrough, jobs: request.jobs)
        }
        let engine = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
        var output = timer.measure("evaluate") {
            engine.run(
                timelines: timelines,
                options: Engine.Options(
                    asOf: judgedThrough, includeNotes: request.includeNotes,
                    jobs: request.jobs, keepsFindingsOpenSince: period.lowerBound))
        }
        return timer.measure("assemble") {
            assemble(output: &output, timelines: timelines, batch: batch, period: period, data: data, request: request)
        }
    }

    /// The first and the latest record date, or nil with no records.
    public static func dataRange(of records: [SessionRecord]) -> ClosedRange<Day>? {
        guard var first = records.first?.date else { return nil }
        var last = first
        for record in records {
            if record.date < first { first = record.date }
            if record.date > last { last = record.date }
        }
        return first...last
    }

    /// new: opened in the period; closed: stopped holding in the period (a point finding, opened and
    /// closed the same day, counts as new); ongoing: opened before the period and open at its end.
    /// The caller has already checked the finding was open at some time in the period.
    public static func status(of finding: Finding, in period: ClosedRange<Day>) -> ReportedFinding.Status {
        if let closed = finding.closed, closed != finding.opened, period.contains(closed) { return .closed }
        if finding.opened >= period.lowerBound { return .new }
        return .ongoing
    }

    /// Empties the engine's findings once the reported ones are made from them.
    func assemble(
        output: inout Engine.Output, timelines: [Timeline], batch: RecordBatch, period: ClosedRange<Day>,
        data: ClosedRange<Day>?, request: ReviewRequest
    ) -> Review {
        // What a reported finding shows of its rule, not the whole rule (copied out at every lookup).
        // By the ids' numbers, looked up for each finding: rule ids are kebab-case (ASCII), one
        // spelling each.
        let wordsOfRule = Dictionary(
            ruleSet.rules.map {
                (InternedIdentifier($0.id), Boxed(ReportedFinding.RuleWords(title: $0.title, guidance: $0.guidance)))
            },
            uniquingKeysWith: { a, _ in a })
        let wanted = Set(request.therapists)
        let census = Self.census(of: timelines, period: period, wanted: wanted, jobs: request.jobs)

        // Findings grouped by therapist and by client episode, in arrays found through one lookup
        // per finding: what the report shows, and nothing per record. A first pass finds each
        // finding's place and counts each list's findings, so that every list is allocated once
        // at its size: grown by appending, the lists kept up to twice the room they need while
        // the engine's findings were still held (the review's peak memory).
        var sections: [TherapistReview] = []
        var sectionIndex: [CanonicalIdentifier: Int] = [:]
        var groups: [(section: Int, client: String, episode: String, findings: [ReportedFinding])] = []
        var groupSizes: [Int] = []
        var caseloadSizes: [Int] = []
        var groupIndex: [GroupKey: Int] = [:]
        var runs = output.takeFindingRuns()
        // Per finding, in order: its group (0...), its therapist's caseload list (-2 - section),
        // or `notReported`.
        let notReported = Int32(-1)
        var places: [Int32] = []
        places.reserveCapacity(runs.reduce(0) { $0 + $1.count })
        // The last finding's ids and place: a client's findings come together, so most findings
        // are placed by comparing ids as numbers. Equal numbers are equal text; unequal ones may
        // still be equal text, and go to the lookups, which compare text (`CanonicalIdentifier`).
        var lastTherapist: (id: InternedIdentifier, section: Int)?
        var lastEpisode:
            (therapist: InternedIdentifier, client: InternedIdentifier, episode: InternedIdentifier, group: Int)?
        for run in runs.indices {
            // Fields read in place: `let finding = runs[run][position]` copied every finding whole.
            runs[run].withUnsafeBufferPointer { run in
                for position in run.indices {
                    guard run[position].severity >= request.minimumSeverity,
                        run[position].isOpen(during: period.lowerBound, period.upperBound),
                        wanted.isEmpty || wanted.contains(run[position].therapist)
                    else {
                        places.append(notReported)
                        continue
                    }
                    let therapistID = run[position].therapistIdentifier
                    let section: Int
                    if let lastTherapist, lastTherapist.id == therapistID {
                        section = lastTherapist.section
                    } else {
                        let key = CanonicalIdentifier(therapistID)
                        if let known = sectionIndex[key] {
                            section = known
                        } else {
                            let therapist = therapistID.text
                            section = sections.count
                            sectionIndex[key] = section
                            sections.append(
                                TherapistReview(
                                    id: therapist, clients: [], caseload: [],
                                    clientCount: census.clientsByTherapist[therapist] ?? 0))
                            caseloadSizes.append(0)
                        }
                        lastTherapist = (therapistID, section)
                    }
                    let subject = run[position].subjectIdentifiers
                    guard let episodeID = subject.episode else {
                        caseloadSizes[section] += 1
                        places.append(Int32(-2 - section))
                        continue
                    }
                    let group: Int
                    if let lastEpisode, lastEpisode.therapist == therapistID, lastEpisode.client == subject.client,
                        lastEpisode.episode == episodeID
                    {
                        group = lastEpisode.group
                    } else {
                        let key = GroupKey(
                            therapist: CanonicalIdentifier(therapistID), client: CanonicalIdentifier(subject.client),
                            episode: CanonicalIdentifier(episodeID))
                        if let known = groupIndex[key] {
                            group = known
                        } else {
                            group = groups.count
                            groupIndex[key] = group
                            groups.append((section, subject.client.text, episodeID.text, []))
                            groupSizes.append(0)
                        }
                        lastEpisode = (therapistID, subject.client, episodeID, group)
                    }
                    groupSizes[group] += 1
                    places.append(Int32(group))
                }
            }
        }
        groupIndex = [:]
        for group in groups.indices { groups[group].findings.reserveCapacity(groupSizes[group]) }
        for section in sections.indices { sections[section].caseload.reserveCapacity(caseloadSizes[section]) }
        // Each finding is moved into its reported finding, not copied: the engine's runs of
        // findings are taken one at a time, each reversed and taken from the end (`popLast` moves
        // an element out of an array held once), and each run's buffer goes once it is used up,
        // so the findings are never held twice, as a list and as reported findings.
        var next = places.count
        while var pending = runs.popLast() {
            next -= pending.count
            var place = next + pending.count
            while let finding = pending.popLast() {
                place -= 1
                let destination = Int(places[place])
                guard destination != Int(notReported) else { continue }
                let words =
                    wordsOfRule[finding.ruleIdentifier]
                    ?? Boxed(ReportedFinding.RuleWords(title: finding.rule, guidance: ""))
                let status = Self.status(of: finding, in: period)
                // Consumed: passed as it was, the finding was copied (a count for every
                // reference it holds) and the original released.
                let item = ReportedFinding(finding: consume finding, status: status, words: words)
                if destination >= 0 {
                    groups[destination].findings.append(item)
                } else {
                    sections[-2 - destination].caseload.append(item)
                }
            }
        }
        // Taken from the end, each list holds its findings last first: back in the engine's order.
        for group in groups.indices { groups[group].findings.reverse() }
        for section in sections.indices { sections[section].caseload.reverse() }
        // Each therapist's clients, with their trajectories, made and put in order on `jobs` threads:
        // a section's work touches only its own groups and clients.
        var groupsOfSection = [[Int]](repeating: [], count: sections.count)
        for index in groups.indices { groupsOfSection[groups[index].section].append(index) }
        let sectionOrder = Parallel.largestFirst(groupsOfSection.map(\.count))
        let sectionGroups = groupsOfSection
        sections.withUnsafeMutableBufferPointer { sections in
            let sections = UnsafeSendableBuffer(sections)
            groups.withUnsafeMutableBufferPointer { groups in
                let groups = UnsafeSendableBuffer(groups)
                Parallel.forEach(sectionOrder, jobs: request.jobs) { section in
                    sections.buffer[section].clients.reserveCapacity(sectionGroups[section].count)
                    for index in sectionGroups[section] {
                        // Held once, by the client review below: moved out of the group, not copied.
                        var findings: [ReportedFinding] = []
                        swap(&findings, &groups.buffer[index].findings)
                        Self.sortByPriority(&findings)
                        let (client, episode) = (groups.buffer[index].client, groups.buffer[index].episode)
                        let timeline = Self.timelineIndex(client: client, episode: episode, in: timelines)
                        sections.buffer[section].clients.append(
                            ClientReview(
                                client: client, episode: episode, therapist: sections.buffer[section].id,
                                findings: findings,
                                trajectory: timeline.map { trajectory(timelines[$0]) } ?? Trajectory()))
                    }
                    Self.sortClients(&sections.buffer[section].clients)
                    Self.sortByPriority(&sections.buffer[section].caseload)
                }
            }
        }
        var therapists = sections
        therapists = therapists.map { ($0.highestSeverity ?? .info, $0) }
            .sorted { Self.therapistPriority($0.1, severity: $0.0, $1.1, severity: $1.0) }.map(\.1)

        var reasons: [String: Int] = [:]
        for error in batch.errors { reasons[error.message, default: 0] += 1 }
        let unjudged = output.unjudged.filter { $0.value > 0 }
            .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map {
                DataQuality.Unjudged(
                    rule: $0.key, title: wordsOfRule[InternedIdentifier($0.key)]?.value.title ?? $0.key,
                    records: $0.value)
            }
        let reportedTherapists = Set(therapists.map(\.id))
        let unreported = census.clientsByTherapist.keys.filter {
            (wanted.isEmpty || wanted.contains($0)) && !reportedTherapists.contains($0)
        }
        // Nothing found where nothing was recorded is not a quiet week: those are listed apart.
        let quiet = unreported.filter { census.seenInPeriod.contains($0) }
        let unrecorded = unreported.filter { !census.seenInPeriod.contains($0) }
        return Review(
            period: period,
            packs: ruleSet.packs.map { ($0.name, $0.version) },
            census: Census(
                therapists: census.clientsByTherapist.count, clients: census.clients,
                episodes: timelines.count, recordsRead: batch.itemsRead, recordsLeftOut: batch.leftOut,
                files: batch.files.count, filesUnreadable: batch.unreadableFiles,
                recordsInPeriod: census.recordsInPeriod),
            data: data,
            therapists: therapists,
            recordErrors: batch.errors,
            evaluationFailures: output.failures,
            dataQuality: DataQuality(
                leftOut: reasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                    DataQuality.LeftOut(reason: $0.key, count: $0.value)
                },
                unjudged: unjudged, errorsNotShown: batch.errorsNotShown,
                // Decided once for the whole input when the timelines were made (`Engine.timelines`).
                bookingsRecorded: timelines.first?.bookingsRecorded ?? true),
            minimumSeverity: request.minimumSeverity,
            therapistFilter: request.therapists,
            quietTherapists: quiet.sorted(),
            therapistsWithoutRecords: unrecorded.sorted(),
            includesNotes: request.includeNotes,
            measures: ruleSet.vocabulary.measures)
    }

    /// What the census and the sections need to know of every record.
    struct RecordCensus {
        /// Therapist → clients with a record of theirs.
        var clientsByTherapist: [String: Int] = [:]
        var clients = 0
        /// Records in the period (of the therapists wanted).
        var recordsInPeriod = 0
        /// Therapists (wanted) with a record in the period.
        var seenInPeriod = Set<String>()
    }

    /// The census of the timelines, counted in chunks on `jobs` threads. Timelines come in client
    /// order, so a client's timelines are next to each other: a chunk starts at a new client, and
    /// clients are counted as they change, with no set of them all.
    static func census(
        of timelines: [Timeline], period: ClosedRange<Day>, wanted: Set<String>, jobs: Int,
        timelinesPerChunk: Int = 1_024
    ) -> RecordCensus {
        var starts = [0]
        let chunks = min(jobs * 4, timelines.count / timelinesPerChunk)
        for chunk in 1..<max(1, chunks) {
            var start = max(starts[starts.count - 1], timelines.count * chunk / chunks)
            while start > 0, start < timelines.count, timelines[start].client == timelines[start - 1].client {
                start += 1
            }
            if start < timelines.count, start > starts[starts.count - 1] { starts.append(start) }
        }
        starts.append(timelines.count)
        let bounds = starts
        var parts = [RecordCensus](repeating: RecordCensus(), count: starts.count - 1)
        parts.withUnsafeMutableBufferPointer { parts in
            let parts = UnsafeSendableBuffer(parts)
            Parallel.forEach(Array(parts.buffer.indices), jobs: jobs) { chunk in
                parts.buffer[chunk] = census(
                    of: timelines[bounds[chunk]..<bounds[chunk + 1]], period: period, wanted: wanted)
            }
        }
        var total = RecordCensus()
        for part in parts {
            total.clientsByTherapist.merge(part.clientsByTherapist, uniquingKeysWith: +)
            total.clients += part.clients
            total.recordsInPeriod += part.recordsInPeriod
            total.seenInPeriod.formUnion(part.seenInPeriod)
        }
        return total
    }

    /// The census of a run of timelines that starts at a client's first timeline and ends at a client's last.
    static func census(of timelines: ArraySlice<Timeline>, period: ClosedRange<Day>, wanted: Set<String>)
        -> RecordCensus
    {
        var census = RecordCensus()
        // The therapists of the client at hand: nearly always one.
        var therapists: [String] = []
        func countClient() {
            for therapist in therapists { census.clientsByTherapist[therapist, default: 0] += 1 }
            therapists.removeAll(keepingCapacity: true)
        }
        // The last record's therapist, as an id and as text, and whether it is wanted: a client's
        // records mostly have one therapist, so the text is made and looked up only when the id
        // changes (equal ids are equal text).
        var last: (id: InternedIdentifier, therapist: String, isWanted: Bool)?
        var lastSeen: InternedIdentifier?
        for position in timelines.indices {
            let timeline = timelines[position]
            if position == timelines.startIndex
                || timelines[position - 1].clientID != timeline.clientID
                    && timelines[position - 1].client != timeline.client
            {
                countClient()
                census.clients += 1
                last = nil  // the new client's therapists are listed afresh
            }
            // Fields read in place: a `for record in` loop would copy every record whole.
            timeline.records.withUnsafeBufferPointer { records in
                for index in records.indices {
                    let id = records[index].therapistID
                    if last?.id != id {
                        let therapist = id.text
                        last = (id, therapist, wanted.isEmpty || wanted.contains(therapist))
                        if !therapists.contains(therapist) { therapists.append(therapist) }
                    }
                    guard let last, records[index].date >= period.lowerBound, last.isWanted else { continue }
                    census.recordsInPeriod += 1
                    if lastSeen != id {
                        census.seenInPeriod.insert(last.therapist)
                        lastSeen = id
                    }
                }
            }
        }
        countClient()
        return census
    }

    /// Where the timeline of a client episode is among timelines in (client, episode) order
    /// (`Engine.timelines`): the first with that key, or nil.
    static func timelineIndex(client: String, episode: String, in timelines: [Timeline]) -> Int? {
        var low = 0
        var high = timelines.count
        while low < high {
            let middle = (low + high) / 2
            if (timelines[middle].client, timelines[middle].episode) < (client, episode) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low < timelines.count, timelines[low].client == client, timelines[low].episode == episode else {
            return nil
        }
        return low
    }

    /// Most severe first; then the most findings; then by client and episode. Each client's most
    /// severe finding is found once rather than in every comparison, and the clients are moved
    /// into order, not copied (a client review holds its findings and trajectory).
    static func sortClients(_ clients: inout [ClientReview]) {
        guard clients.count > 1 else { return }
        let severities = clients.indices.map { ClientReview.highestSeverity(of: clients[$0].findings) }
        var source = clients.indices.sorted { a, b in
            if severities[a] != severities[b] { return severities[a] > severities[b] }
            let (countA, countB) = (clients[a].findings.count, clients[b].findings.count)
            if countA != countB { return countA > countB }
            return (clients[a].client, clients[a].episode) < (clients[b].client, clients[b].episode)
        }.map { Int32(truncatingIfNeeded: $0) }
        Engine.permute(&clients, bySource: &source)
    }

    /// Most severe first; then the most to discuss; then by id.
    static func therapistPriority(_ a: TherapistReview, _ b: TherapistReview) -> Bool {
        therapistPriority(a, severity: a.highestSeverity ?? .info, b, severity: b.highestSeverity ?? .info)
    }

    /// The same order, with each therapist's most severe finding already found.
    static func therapistPriority(
        _ a: TherapistReview, severity sa: Severity, _ b: TherapistReview, severity sb: Severity
    ) -> Bool {
        if sa != sb { return sa > sb }
        let ca = a.clients.count + a.caseload.count
        let cb = b.clients.count + b.caseload.count
        if ca != cb { return ca > cb }
        return a.id < b.id
    }

    /// Puts `items` in `findingPriority`'s order: the positions are sorted, then each finding is
    /// moved once, in place (a finding is a large value: sorting them whole, or handing one to a
    /// comparison, copies it and retains every reference it holds).
    static func sortByPriority(_ items: inout [ReportedFinding]) {
        guard items.count > 1 else { return }
        var source = items.indices.sorted { findingPriority(items, $0, $1) }.map { Int32(truncatingIfNeeded: $0) }
        Engine.permute(&items, bySource: &source)
    }

    /// Most severe first; then open before closed; then newest. Reads the two findings' fields
    /// in place.
    static func findingPriority(_ items: [ReportedFinding], _ a: Int, _ b: Int) -> Bool {
        let (severityA, severityB) = (items[a].finding.severity, items[b].finding.severity)
        if severityA != severityB { return severityA > severityB }
        let aOpen = items[a].finding.closed == nil
        let bOpen = items[b].finding.closed == nil
        if aOpen != bOpen { return aOpen }
        let (openedA, openedB) = (items[a].finding.opened, items[b].finding.opened)
        if openedA != openedB { return openedA > openedB }
        return items[a].finding.rule < items[b].finding.rule
    }

    /// A client episode of one therapist, hashed as its parts.
    /// A reported finding's group: its therapist and episode, each compared as text, as
    /// `String` would (`CanonicalIdentifier`).
    struct GroupKey: Hashable {
        var therapist: CanonicalIdentifier
        var client: CanonicalIdentifier
        var episode: CanonicalIdentifier
    }

    /// The timeline's records as the review shows them, read from the shared records, not copied.
    /// Notes never appear here: with `--include-notes` they go only into findings' evidence.
    func trajectory(_ timeline: Timeline) -> Trajectory {
        Trajectory(records: timeline.records)
    }
}
