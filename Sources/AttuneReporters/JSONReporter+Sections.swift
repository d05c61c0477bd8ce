import AttuneCore

extension JSONReporter {
    /// The ledger's part: counts, the findings set aside (same shape as `findings`), actions due.
    func ledger(_ review: Review, into json: inout JSONWriter, output: (UnsafeRawBufferPointer) -> Void) {
        guard let ledger = review.ledger else { return }
        let counts = ledger.counts(in: review)
        json.key(literal: "ledger")
        json.beginObject()
        json.key(literal: "review_number")
        json.integer(ledger.reviewNumber)
        json.key(literal: "counts")
        json.beginObject()
        for state in FindingLedgerStatus.State.allCases {
            json.key(state.rawValue)
            json.integer(counts[state] ?? 0)
        }
        json.endObject()
        for (key, items) in [("snoozed", ledger.snoozed), ("dismissed", ledger.dismissed)] {
            json.key(key)
            json.beginArray()
            for item in items {
                finding(item, ledger: ledger, into: &json)
                json.flush(over: chunkSize, to: output)
            }
            json.endArray()
        }
        json.key(literal: "actions_due")
        json.beginArray()
        for action in ledger.actionsDue {
            json.beginObject()
            json.key(literal: "finding")
            json.string(action.finding)
            json.key(literal: "rule")
            json.string(action.rule)
            json.key(literal: "title")
            json.string(action.title)
            json.key(literal: "therapist")
            json.string(action.therapist)
            json.key(literal: "client")
            json.string(action.client)
            json.key(literal: "episode")
            json.string(action.episode)
            json.key(literal: "action")
            json.string(action.action)
            json.key(literal: "due")
            json.string(action.due.description)
            json.key(literal: "agreed_on")
            json.string(action.agreedOn.description)
            json.key(literal: "by")
            json.string(action.by)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    /// `measureKeys`: each of `Review.measures`, by its index there, with its place in name order.
    func client(_ client: ClientReview, measureKeys: [(rank: Int, key: JSONKey)], into json: inout JSONWriter) {
        json.beginObject()
        json.key(literal: "client")
        json.string(client.client)
        json.key(literal: "episode")
        json.string(client.episode)
        json.key(literal: "highest_severity")
        json.string(client.highestSeverity.rawValue)
        json.key(literal: "trajectory")
        json.beginArray()
        // Read in place, once per client: this runs on the report's threads (`Trajectory.forEachPoint`).
        // The keys through a pointer: iterating the list itself would count a reference to it at
        // every point, a count the threads writing other clients contend for.
        measureKeys.withUnsafeBufferPointer { measureKeys in
            client.trajectory.forEachPoint { point in trajectoryPoint(point, measureKeys: measureKeys, into: &json) }
        }
        json.endArray()
        json.endObject()
    }

    /// One point of a client's trajectory: the session, its scores by measure name, its rupture and repair.
    private func trajectoryPoint(
        _ point: TrajectoryPoint, measureKeys: UnsafeBufferPointer<(rank: Int, key: JSONKey)>,
        into json: inout JSONWriter
    ) {
        json.beginObject()
        json.key(literal: "date")
        json.date(point.date)
        json.key(literal: "session")
        json.integer(point.session)
        json.key(literal: "attendance")
        json.string(point.attendance.rawValue)
        json.key(literal: "measures")
        json.beginObject()
        // The scores the point has (a few), put in name order as they come, rather than a look
        // for each of the review's measures in turn.
        withUnsafeTemporaryAllocation(of: (index: Int, value: Double).self, capacity: point.measures.count) {
            scores in
            var found = 0
            point.measures.forEachScore { index, value in
                guard index < measureKeys.count else { return }
                var slot = found
                while slot > 0, measureKeys[scores[slot - 1].index].rank > measureKeys[index].rank {
                    scores[slot] = scores[slot - 1]
                    slot -= 1
                }
                scores[slot] = (index, value)
                found += 1
            }
            for score in scores.prefix(found) {
                json.key(measureKeys[score.index].key)
                json.number(score.value)
            }
        }
        json.endObject()
        if let rupture = point.rupture {
            json.key(literal: "rupture")
            json.beginObject()
            json.key(literal: "type")
            json.string(rupture.type.rawValue)
            json.key(literal: "intensity")
            json.integer(rupture.intensity)
            json.key(literal: "resolution")
            json.string(rupture.resolution.rawValue)
            if let reporter = rupture.reportedBy {
                json.key(literal: "reported_by")
                json.string(reporter.rawValue)
            }
            json.key(literal: "markers")
            json.beginArray()
            for marker in rupture.markers { json.string(marker) }
            json.endArray()
            json.endObject()
        }
        if let repair = point.repair {
            json.key(literal: "repair")
            json.string(repair.rawValue)
        }
        json.endObject()
    }

    func diagnostic(_ diagnostic: Diagnostic, into json: inout JSONWriter) {
        json.beginObject()
        json.sourceLocation(diagnostic.location)
        json.key(literal: "severity")
        json.string(diagnostic.severity.rawValue)
        json.key(literal: "message")
        json.string(diagnostic.message)
        json.endObject()
    }
}

extension JSONWriter {
    /// `file`, `line` and `column` of a place in the input (null when there is none), as every
    /// part of the JSON report writes them.
    mutating func sourceLocation(_ location: SourceLocation?) {
        key(literal: "file")
        string(location?.file)
        key(literal: "line")
        integer(location?.line)
        key(literal: "column")
        integer(location?.column)
    }
}
