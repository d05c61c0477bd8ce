import AttuneCore

extension JSONReporter {
    /// The ledger's part: counts, the findings set aside (same shape as `findings`), actions due.
    func ledger(_ review: Review, into json: inout JSONWriter, output: (UnsafeRawBufferPointer) -> Void) {
        guard let ledger = review.ledger else { return }
        let counts = ledger.counts(in: review)
        json.key("ledger")
        json.beginObject()
        json.key("review_number")
        json.integer(ledger.reviewNumber)
        json.key("counts")
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
        json.key("actions_due")
        json.beginArray()
        for action in ledger.actionsDue {
            json.beginObject()
            json.key("finding")
            json.string(action.finding)
            json.key("rule")
            json.string(action.rule)
            json.key("title")
            json.string(action.title)
            json.key("therapist")
            json.string(action.therapist)
            json.key("client")
            json.string(action.client)
            json.key("episode")
            json.string(action.episode)
            json.key("action")
            json.string(action.action)
            json.key("due")
            json.string(action.due.description)
            json.key("agreed_on")
            json.string(action.agreedOn.description)
            json.key("by")
            json.string(action.by)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    func client(
        _ client: ClientReview, measures: [MeasureSpec], byName measuresByName: [Int], into json: inout JSONWriter
    ) {
        json.beginObject()
        json.key("client")
        json.string(client.client)
        json.key("episode")
        json.string(client.episode)
        json.key("highest_severity")
        json.string(client.highestSeverity.rawValue)
        json.key("trajectory")
        json.beginArray()
        // Read in place, once per client: this runs on the report's threads (`Trajectory.forEachPoint`).
        client.trajectory.forEachPoint { point in
            json.beginObject()
            json.key("date")
            json.date(point.date)
            json.key("session")
            json.integer(point.session)
            json.key("attendance")
            json.string(point.attendance.rawValue)
            json.key("measures")
            json.beginObject()
            for index in measuresByName {
                guard let value = point.measures[index] else { continue }
                json.key(measures[index].name)
                json.number(value)
            }
            json.endObject()
            if let rupture = point.rupture {
                json.key("rupture")
                json.beginObject()
                json.key("type")
                json.string(rupture.type.rawValue)
                json.key("intensity")
                json.integer(rupture.intensity)
                json.key("resolution")
                json.string(rupture.resolution.rawValue)
                if let reporter = rupture.reportedBy {
                    json.key("reported_by")
                    json.string(reporter.rawValue)
                }
                json.key("markers")
                json.beginArray()
                for marker in rupture.markers { json.string(marker) }
                json.endArray()
                json.endObject()
            }
            if let repair = point.repair {
                json.key("repair")
                json.string(repair.rawValue)
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    func diagnostic(_ diagnostic: Diagnostic, into json: inout JSONWriter) {
        json.beginObject()
        json.sourceLocation(diagnostic.location)
        json.key("severity")
        json.string(diagnostic.severity.rawValue)
        json.key("message")
        json.string(diagnostic.message)
        json.endObject()
    }
}

extension JSONWriter {
    /// `file`, `line` and `column` of a place in the input (null when there is none), as every
    /// part of the JSON report writes them.
    mutating func sourceLocation(_ location: SourceLocation?) {
        key("file")
        string(location?.file)
        key("line")
        integer(location?.line)
        key("column")
        integer(location?.column)
    }
}
