/// The supervision ledger's part of a review (`attune review … --ledger FILE`): each finding's
/// state, the findings set aside (snoozed, dismissed) and the actions whose date has come.
/// A review without a ledger has none, and every format looks as it did before.
///
/// ```swift
/// review.applyLedger(ReviewLedger(reviewNumber: 12, statuses: statuses, actionsDue: due))
/// review.ledger!.snoozed.count   // left the main list, still counted
/// ```
public struct ReviewLedger: Sendable {
    /// The review's number in the ledger, 1 upwards.
    public var reviewNumber: Int
    /// By finding id; a finding without an entry is open with no decision.
    public var statuses: [String: FindingLedgerStatus]
    /// Snoozed findings, out of the main list until their date, in report order.
    public var snoozed: [ReportedFinding] = []
    /// Dismissed findings, for the report's appendix, in report order.
    public var dismissed: [ReportedFinding] = []
    /// Agreed actions due on or before the review's as-of date, earliest first.
    public var actionsDue: [LedgerAction]

    public init(reviewNumber: Int, statuses: [String: FindingLedgerStatus], actionsDue: [LedgerAction]) {
        self.reviewNumber = reviewNumber
        self.statuses = statuses
        self.actionsDue = actionsDue
    }

    public func status(of finding: Finding) -> FindingLedgerStatus {
        statuses[finding.id] ?? .open
    }

    /// Findings in the main list by state, for the report's summary line.
    public func counts(in review: Review) -> [FindingLedgerStatus.State: Int] {
        var counts: [FindingLedgerStatus.State: Int] = [:]
        for item in review.allFindings { counts[status(of: item.finding).state, default: 0] += 1 }
        counts[.snoozed, default: 0] += snoozed.count
        counts[.dismissed, default: 0] += dismissed.count
        return counts
    }
}

extension Review {
    /// Attaches the ledger: snoozed and dismissed findings leave the main list for the ledger's own
    /// lists; clients and therapists left with nothing to discuss leave it too (a therapist becomes
    /// quiet), and the order is re-established.
    public mutating func applyLedger(_ ledger: ReviewLedger) {
        var ledger = ledger
        guard ledger.statuses.values.contains(where: \.isSetAside) else {
            self.ledger = ledger
            return
        }
        var remaining: [TherapistReview] = []
        var quiet = quietTherapists
        for var therapist in therapists {
            var clients: [ClientReview] = []
            for var client in therapist.clients {
                client.findings = client.findings.filter { item in !ledger.setAside(item) }
                if !client.findings.isEmpty { clients.append(client) }
            }
            therapist.clients = clients
            therapist.caseload = therapist.caseload.filter { item in !ledger.setAside(item) }
            if therapist.clients.isEmpty, therapist.caseload.isEmpty {
                quiet.append(therapist.id)
            } else {
                remaining.append(therapist)
            }
        }
        therapists = remaining.sorted(by: ReviewBuilder.therapistPriority)
        quietTherapists = quiet.sorted()
        self.ledger = ledger
    }
}

extension ReviewLedger {
    /// Files a snoozed or dismissed finding in its list; false for one that stays in the main list.
    fileprivate mutating func setAside(_ item: ReportedFinding) -> Bool {
        switch status(of: item.finding).state {
        case .snoozed: snoozed.append(item)
        case .dismissed: dismissed.append(item)
        case .open, .discussed: return false
        }
        return true
    }
}
