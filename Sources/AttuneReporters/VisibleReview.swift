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
        review.evaluationFailures = each(review.evaluationFailures) {
            ($0.rule, $0.client, $0.episode, $0.message) = (
                text($0.rule), text($0.client), text($0.episode), text($0.message)
            )
            $0.location = $0.location.map(location)
        }
        // A diagnostic's message: one line, as on standard error.
        review.dataQuality.leftOut = each(review.dataQuality.leftOut) { $0.reason = VisibleText.escaped($0.reason) }
        review.dataQuality.unjudged = each(review.dataQuality.unjudged) {
            ($0.rule, $0.title) = (text($0.rule), text($0.title))
        }
        review.therapistFilter = review.therapistFilter.map(text)
        review.quietTherapists = review.quietTherapists.map(text)
        review.measures = each(review.measures) { ($0.name, $0.title) = (text($0.name), text($0.title)) }
        review.ledger = review.ledger.map(ledger)
        return review
    }

    /// The ledger's findings and the supervisor's own words (notes, actions, reasons, names).
    private static func ledger(_ ledger: ReviewLedger) -> ReviewLedger {
        var ledger = ledger
        ledger.snoozed = ledger.snoozed.map(reported)
        ledger.dismissed = ledger.dismissed.map(reported)
        ledger.statuses = ledger.statuses.mapValues { status in
            var status = status
            status.decision = status.decision.map(decision)
            status.resurfaced = status.resurfaced.map(text)
            return status
        }
        ledger.actionsDue = each(ledger.actionsDue) {
            ($0.rule, $0.title, $0.therapist, $0.action, $0.by) = (
                text($0.rule), text($0.title), text($0.therapist), text($0.action), text($0.by)
            )
            ($0.client, $0.episode) = ($0.client.map(text), $0.episode.map(text))
        }
        return ledger
    }

    private static func decision(_ decision: LedgerDecision) -> LedgerDecision {
        var decision = decision
        decision.by = text(decision.by)
        decision.note = decision.note.map(text)
        decision.action = decision.action.map(text)
        decision.reason = decision.reason.map(text)
        return decision
    }

    /// Each item, changed in place.
    private static func each<Item>(_ items: [Item], _ change: (inout Item) -> Void) -> [Item] {
        items.map { item in
            var item = item
            change(&item)
            return item
        }
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
        therapist.clients = each(therapist.clients) { client in
            (client.client, client.episode, client.therapist) = (
                text(client.client), text(client.episode), text(client.therapist)
            )
            client.findings = client.findings.map(reported)
            // Scores are keyed by measure index: the names are escaped once, in `review.measures`.
            // A trajectory reads the shared records: it gets points of its own only when a
            // marker needs escaping.
            let escapes = { (marker: String) in text(marker) != marker }
            var needsEscaping = false
            client.trajectory.forEachPoint { point in
                if point.rupture?.markers.contains(where: escapes) ?? false { needsEscaping = true }
            }
            if needsEscaping {
                client.trajectory = Trajectory(
                    each(client.trajectory.points) { point in
                        if let markers = point.rupture?.markers { point.rupture?.markers = markers.map(text) }
                    })
            }
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
        finding.records = each(finding.records) { record in
            (record.client, record.episode) = (text(record.client), text(record.episode))
            record.source = location(record.source)
            record.note = record.note.map { text($0) }
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
