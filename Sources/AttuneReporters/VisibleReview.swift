import AttuneCore

/// The review with every piece of text from input files and packs passed through
/// `VisibleText.escaped`: what the text, Markdown, HTML and CSV reports render, so that no value can
/// colour, move or hide what a person reads (`\e[31m`, `\r`, a bidi override). Line breaks stay,
/// as each report lays them out in its own way (never as a line of its own that could pass for a
/// diagnostic). JSON keeps the exact values, written with JSON's own escapes.
///
/// ```swift
/// let safe = VisibleReview.escaping(review)
/// ```
enum VisibleReview {
    static func escaping(_ review: Review) -> Review {
        var review = review
        review.packs = review.packs.map { (text($0.name), text($0.version)) }
        review.therapists = review.therapists.map(therapist)
        review.recordErrors = review.recordErrors.map(diagnostic)
        review.evaluationFailures = review.evaluationFailures.map { failure in
            var failure = failure
            failure.rule = text(failure.rule)
            failure.client = text(failure.client)
            failure.episode = text(failure.episode)
            failure.location = failure.location.map(location)
            failure.message = text(failure.message)
            return failure
        }
        review.dataQuality.leftOut = review.dataQuality.leftOut.map { item in
            var item = item
            item.reason = VisibleText.escaped(item.reason)  // a diagnostic's message: one line
            return item
        }
        review.dataQuality.unjudged = review.dataQuality.unjudged.map { item in
            var item = item
            item.rule = text(item.rule)
            item.title = text(item.title)
            return item
        }
        review.therapistFilter = review.therapistFilter.map(text)
        review.quietTherapists = review.quietTherapists.map(text)
        review.measures = review.measures.map { spec in
            var spec = spec
            spec.name = text(spec.name)
            spec.title = text(spec.title)
            return spec
        }
        return review
    }

    /// Line breaks stay: each report already lays them out (as a space, or as the next question).
    private static func text(_ value: String) -> String { VisibleText.escaped(value, keepingLineBreaks: true) }

    private static func location(_ location: SourceLocation) -> SourceLocation {
        var location = location
        location.file = text(location.file)
        return location
    }

    private static func diagnostic(_ diagnostic: Diagnostic) -> Diagnostic {
        var diagnostic = diagnostic
        diagnostic.message = VisibleText.escaped(diagnostic.message)  // one line, as on standard error
        diagnostic.location = location(diagnostic.location)
        return diagnostic
    }

    private static func therapist(_ therapist: TherapistReview) -> TherapistReview {
        var therapist = therapist
        therapist.id = text(therapist.id)
        therapist.clients = therapist.clients.map { client in
            var client = client
            client.client = text(client.client)
            client.episode = text(client.episode)
            client.therapist = text(client.therapist)
            client.findings = client.findings.map(reported)
            client.trajectory = client.trajectory.map { point in
                var point = point
                point.measures = Dictionary(uniqueKeysWithValues: point.measures.map { (text($0.key), $0.value) })
                if let markers = point.rupture?.markers { point.rupture?.markers = markers.map(text) }
                return point
            }
            return client
        }
        therapist.caseload = therapist.caseload.map(reported)
        return therapist
    }

    private static func reported(_ item: ReportedFinding) -> ReportedFinding {
        var item = item
        item.title = text(item.title)
        item.guidance = text(item.guidance)
        var finding = item.finding
        finding.rule = text(finding.rule)
        switch finding.subject {
        case .episode(let client, let episode): finding.subject = .episode(client: text(client), episode: text(episode))
        case .therapist(let id): finding.subject = .therapist(text(id))
        }
        finding.therapist = text(finding.therapist)
        finding.message = text(finding.message)
        finding.records = finding.records.map { record in
            var record = record
            record.client = text(record.client)
            record.episode = text(record.episode)
            record.source = location(record.source)
            record.note = record.note.map { text($0) }
            return record
        }
        finding.evidence = finding.evidence.mapValues(value)
        item.finding = finding
        return item
    }

    private static func value(_ value: Value) -> Value {
        switch value {
        case .string(let string): return .string(text(string))
        case .list(let items): return .list(items.map(Self.value))
        default: return value
        }
    }
}
