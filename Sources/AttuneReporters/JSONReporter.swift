import AttuneCore

/// `attune.report/1`: the review for integrations. Stable field names and order; every field of
/// the finding shape of rules.md, plus status, the census, record errors and data quality.
/// docs/report-schema.md documents it and docs/report-schema.json is its JSON Schema; fields may
/// be added within version 1, never renamed or removed.
///
/// ```json
/// {"schema": "attune.report/1", "period": {"start": "2026-11-23", "end": "2026-11-29"}, "findings": [...]}
/// ```
public struct JSONReporter: StreamingReporter {
    public static let format = "json"
    public static let summary = "the whole review, for other programs"

    /// Bytes held before they are handed on; a setting so that tests can cut a report into many pieces.
    public var chunkSize = ReportChunks.defaultSize
    /// Findings, and clients with their trajectories, a thread writes at a time with `ReportOptions.jobs`
    /// above 1: each piece is about 150 KB, so that the threads meet (a round of pieces) rarely.
    /// Settings, so that tests can cut a report into many pieces.
    public var findingsPerPiece = 128
    public var clientsPerPiece = 32

    public init() {}

    public func render(_ review: Review, options: ReportOptions) -> String {
        ReportChunks.collect { render(review, options: options, output: $0) }
    }

    /// Written straight into bytes, no `JSON` tree, and handed on a chunk at a time: a large review's
    /// report is tens of megabytes.
    /// With `options.jobs` above 1, the findings and the therapists are written on that many
    /// threads, a few at a time each, and handed on in order: the same bytes.
    public func render(_ review: Review, options: ReportOptions, output: (UnsafeRawBufferPointer) -> Void) {
        var json = JSONWriter(capacity: chunkSize + 64 * 1024)
        write(review, jobs: options.jobs, into: &json, output: output)
        json.newline()
        json.flush(over: 0, to: output)
    }

    func write(
        _ review: Review, jobs: Int = 1, into json: inout JSONWriter, output: (UnsafeRawBufferPointer) -> Void
    ) {
        json.beginObject()
        header(review, into: &json)
        findings(review, jobs: jobs, into: &json, output: output)
        therapists(review, jobs: jobs, into: &json, output: output)
        measures(review, into: &json)
        errors(review, into: &json)
        dataQuality(review, into: &json)
        ledger(review, into: &json, output: output)
        json.endObject()
    }

    /// Schema, period, warnings, packs, filters and census: what the review covers.
    private func header(_ review: Review, into json: inout JSONWriter) {
        json.key(literal: "schema")
        json.string(Review.schema)
        json.key(literal: "period")
        json.beginObject()
        json.key(literal: "start")
        json.string(review.period.lowerBound.description)
        json.key(literal: "end")
        json.string(review.period.upperBound.description)
        json.key(literal: "as_of")
        json.string(review.asOf.description)
        json.key(literal: "iso_week")
        json.string(review.isoWeek)
        json.key(literal: "data_start")
        json.string(review.data?.lowerBound.description)
        json.key(literal: "data_end")
        json.string(review.data?.upperBound.description)
        json.endObject()
        json.key(literal: "warnings")
        json.beginArray()
        for warning in review.warnings { json.string(warning) }
        json.endArray()
        json.key(literal: "packs")
        json.beginArray()
        for pack in review.packs {
            json.beginObject()
            json.key(literal: "name")
            json.string(pack.name)
            json.key(literal: "version")
            json.string(pack.version)
            json.endObject()
        }
        json.endArray()
        json.key(literal: "filters")
        json.beginObject()
        json.key(literal: "min_severity")
        json.string(review.minimumSeverity.rawValue)
        json.key(literal: "therapists")
        json.beginArray()
        for therapist in review.therapistFilter { json.string(therapist) }
        json.endArray()
        json.key(literal: "include_notes")
        json.bool(review.includesNotes)
        json.endObject()
        json.key(literal: "census")
        json.beginObject()
        json.key(literal: "therapists")
        json.integer(review.census.therapists)
        json.key(literal: "clients")
        json.integer(review.census.clients)
        json.key(literal: "episodes")
        json.integer(review.census.episodes)
        json.key(literal: "files")
        json.integer(review.census.files)
        json.key(literal: "files_unreadable")
        json.integer(review.census.filesUnreadable)
        json.key(literal: "records_read")
        json.integer(review.census.recordsRead)
        json.key(literal: "records_left_out")
        json.integer(review.census.recordsLeftOut)
        json.key(literal: "records_in_period")
        json.integer(review.census.recordsInPeriod)
        json.endObject()
    }

    /// Every reported finding, therapist by therapist, client by client, then the caseload's.
    private func findings(
        _ review: Review, jobs: Int, into json: inout JSONWriter, output: (UnsafeRawBufferPointer) -> Void
    ) {
        json.key(literal: "findings")
        json.beginArray()
        // Where each finding is, in report order: therapist, client (-1: the caseload's), finding.
        var places: [(therapist: Int32, client: Int32, finding: Int32)] = []
        for (t, therapist) in review.therapists.enumerated() {
            for (c, client) in therapist.clients.enumerated() {
                for f in client.findings.indices { places.append((Int32(t), Int32(c), Int32(f))) }
            }
            for f in therapist.caseload.indices { places.append((Int32(t), -1, Int32(f))) }
        }
        var findings = ParallelJSONArray(count: places.count, jobs: jobs)
        findings.elementsPerPiece = findingsPerPiece
        findings.write(into: &json, flushOver: chunkSize, to: output) {
            index, json in
            let place = places[index]
            let therapist = review.therapists[Int(place.therapist)]
            let item =
                place.client < 0
                ? therapist.caseload[Int(place.finding)]
                : therapist.clients[Int(place.client)].findings[Int(place.finding)]
            finding(item, ledger: review.ledger, into: &json)
        }
        json.endArray()
    }

    /// Each therapist's clients with their trajectories; then those quiet or without records.
    private func therapists(
        _ review: Review, jobs: Int, into json: inout JSONWriter, output: (UnsafeRawBufferPointer) -> Void
    ) {
        json.key(literal: "therapists")
        json.beginArray()
        // Trajectory scores are written by measure name, in name order: each measure's place in
        // that order, found once, with its key, made once: a point's are written without looking
        // at the names again.
        let nameOrder = review.measures.indices.sorted { review.measures[$0].name < review.measures[$1].name }
        var measureKeys = review.measures.map { (rank: 0, key: JSONKey($0.name)) }
        for (rank, index) in nameOrder.enumerated() { measureKeys[index].rank = rank }
        // One element per client, whose trajectory is most of the report: the first of a therapist's
        // opens the therapist's object, the last closes it; a therapist without clients is one element.
        var places: [(therapist: Int32, client: Int32)] = []
        for (t, therapist) in review.therapists.enumerated() {
            if therapist.clients.isEmpty { places.append((Int32(t), -1)) }
            for c in therapist.clients.indices { places.append((Int32(t), Int32(c))) }
        }
        // Where a piece starting inside a therapist's clients begins: after a client, two levels in.
        let insideClients = json.branch(insideArrayAt: "clients")
        let arrayStart = json.branch(afterValues: false)
        var clients = ParallelJSONArray(count: places.count, jobs: jobs)
        clients.elementsPerPiece = clientsPerPiece
        // A piece starting at a therapist's second client or later starts inside its object.
        let startingAt = { (index: Int) in
            places[index].client > 0 ? insideClients : arrayStart.branch(afterValues: index > 0)
        }
        clients.write(into: &json, flushOver: chunkSize, to: output, startingAt: startingAt) { index, json in
            let place = places[index]
            let therapist = review.therapists[Int(place.therapist)]
            if place.client <= 0 {
                json.beginObject()
                json.key(literal: "id")
                json.string(therapist.id)
                json.key(literal: "highest_severity")
                json.string(therapist.highestSeverity?.rawValue)
                json.key(literal: "clients_in_caseload")
                json.integer(therapist.clientCount)
                json.key(literal: "clients")
                json.beginArray()
            }
            if place.client >= 0 {
                client(therapist.clients[Int(place.client)], measureKeys: measureKeys, into: &json)
            }
            if place.client < 0 || Int(place.client) == therapist.clients.count - 1 {
                json.endArray()
                json.endObject()
            }
        }
        json.endArray()
        json.key(literal: "quiet_therapists")
        json.beginArray()
        for therapist in review.quietTherapists { json.string(therapist) }
        json.endArray()
        json.key(literal: "therapists_without_records")
        json.beginArray()
        for therapist in review.therapistsWithoutRecords { json.string(therapist) }
        json.endArray()
    }

    private func measures(_ review: Review, into json: inout JSONWriter) {
        json.key(literal: "measures")
        json.beginArray()
        for spec in review.measures {
            json.beginObject()
            json.key(literal: "name")
            json.string(spec.name)
            json.key(literal: "title")
            json.string(spec.title)
            json.key(literal: "min")
            json.number(spec.range.lowerBound)
            json.key(literal: "max")
            json.number(spec.range.upperBound)
            json.key(literal: "better")
            json.string(spec.better.rawValue)
            json.key(literal: "cutoff")
            if let cutoff = spec.cutoff { json.number(cutoff) } else { json.null() }
            json.endObject()
        }
        json.endArray()
    }

    /// Records that could not be read, and rules that could not be evaluated.
    private func errors(_ review: Review, into json: inout JSONWriter) {
        json.key(literal: "record_errors")
        json.beginArray()
        for error in review.recordErrors { diagnostic(error, into: &json) }
        json.endArray()
        json.key(literal: "evaluation_errors")
        json.beginArray()
        for failure in review.evaluationFailures {
            json.beginObject()
            json.key(literal: "rule")
            json.string(failure.rule)
            json.key(literal: "client")
            json.string(failure.client)
            json.key(literal: "episode")
            json.string(failure.episode)
            json.sourceLocation(failure.location)
            json.key(literal: "message")
            json.string(failure.message)
            json.endObject()
        }
        json.endArray()
    }

    /// What was left out, whether bookings are recorded, and what could not be judged.
    private func dataQuality(_ review: Review, into json: inout JSONWriter) {
        json.key(literal: "data_quality")
        json.beginObject()
        json.key(literal: "left_out")
        json.beginArray()
        for item in review.dataQuality.leftOut {
            json.beginObject()
            json.key(literal: "reason")
            json.string(item.reason)
            json.key(literal: "errors")
            json.integer(item.count)
            json.endObject()
        }
        json.endArray()
        json.key(literal: "bookings_recorded")
        json.bool(review.dataQuality.bookingsRecorded)
        json.key(literal: "unjudged")
        json.beginArray()
        for item in review.dataQuality.unjudged {
            json.beginObject()
            json.key(literal: "rule")
            json.string(item.rule)
            json.key(literal: "title")
            json.string(item.title)
            json.key(literal: "records")
            json.integer(item.records)
            json.endObject()
        }
        json.endArray()
        json.key(literal: "errors_not_shown")
        json.integer(review.dataQuality.errorsNotShown)
        json.endObject()
    }

    func finding(_ item: ReportedFinding, ledger: ReviewLedger?, into json: inout JSONWriter) {
        let finding = item.finding
        json.beginObject()
        json.key(literal: "id")
        json.string(finding.id)
        json.key(literal: "rule")
        json.string(finding.rule)
        json.key(literal: "title")
        json.string(item.title)
        json.key(literal: "severity")
        json.string(finding.severity.rawValue)
        json.key(literal: "status")
        json.string(item.status.rawValue)
        json.key(literal: "subject")
        json.beginObject()
        switch finding.subject {
        case .episode(let client, let episode):
            json.key(literal: "client")
            json.string(client)
            json.key(literal: "episode")
            json.string(episode)
        case .therapist(let therapist):
            json.key(literal: "therapist")
            json.string(therapist)
        }
        json.endObject()
        json.key(literal: "therapist")
        json.string(finding.therapist)
        json.key(literal: "opened")
        json.date(finding.opened)
        json.key(literal: "closed")
        json.date(finding.closed)
        json.key(literal: "records")
        json.beginArray()
        for record in finding.records {
            json.beginObject()
            json.key(literal: "date")
            json.date(record.date)
            json.key(literal: "session")
            json.integer(record.session)
            json.sourceLocation(record.source)
            if let note = record.note {
                json.key(literal: "note")
                json.string(note)
            }
            json.endObject()
        }
        json.endArray()
        json.key(literal: "message")
        json.string(finding.message)
        json.key(literal: "evidence")
        json.beginObject()
        for (key, value) in finding.evidence {  // Kept in name order (`FindingValues`).
            json.key(key)
            json.value(value)
        }
        json.endObject()
        json.key(literal: "guidance")
        json.string(item.guidance)
        if let ledger {
            let status = ledger.status(of: finding)
            json.key(literal: "ledger")
            json.beginObject()
            json.key(literal: "state")
            json.string(status.state.rawValue)
            json.key(literal: "decision")
            if let decision = status.decision { self.decision(decision, into: &json) } else { json.null() }
            json.key(literal: "resurfaced")
            json.string(status.resurfaced)
            json.endObject()
        }
        json.endObject()
    }

    func decision(_ decision: LedgerDecision, into json: inout JSONWriter) {
        json.beginObject()
        json.key(literal: "sequence")
        json.integer(decision.sequence)
        json.key(literal: "kind")
        json.string(decision.kind.rawValue)
        json.key(literal: "on")
        json.string(decision.on.description)
        json.key(literal: "recorded_at")
        json.string(decision.recordedAt)
        json.key(literal: "by")
        json.string(decision.by)
        json.key(literal: "note")
        json.string(decision.note)
        json.key(literal: "action")
        json.string(decision.action)
        json.key(literal: "due")
        json.string(decision.due?.description)
        json.key(literal: "until")
        json.string(decision.until?.description)
        json.key(literal: "reason")
        json.string(decision.reason)
        json.endObject()
    }

}
