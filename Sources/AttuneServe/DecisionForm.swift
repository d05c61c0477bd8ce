import AttuneCore
import AttuneLedger

/// The fields a decision form posts (`/decide`), turned into a `DecisionRequest` with the same
/// checks as `attune ledger`: a blank optional field counts as absent, and dates are YYYY-MM-DD.
struct DecisionForm: Decodable, Sendable {
    var csrf: String?
    var finding: String
    var kind: String
    var week: String?
    var by: String?
    var on: String?
    var note: String?
    var action: String?
    var due: String?
    var until: String?
    var reason: String?

    /// Longest text a field may hold; the body cap bounds the whole form.
    static let maximumLength = 4_000

    func request(today: Day) throws(ServeError) -> DecisionRequest {
        guard let kind = LedgerDecision.Kind(rawValue: kind) else {
            throw .badRequest("'\(kind)' is not a decision; use discuss, snooze, dismiss or reopen")
        }
        for (name, value) in [("by", by), ("note", note), ("action", action), ("reason", reason)] {
            if let value, value.count > Self.maximumLength {
                throw .badRequest("the \(name) field is longer than \(Self.maximumLength) characters")
            }
        }
        func text(_ value: String?) -> String? {
            guard let value, !value.allSatisfy(\.isWhitespace) else { return nil }
            return value
        }
        func date(_ value: String?, _ name: String) throws(ServeError) -> Day? {
            guard let value = text(value) else { return nil }
            guard let day = Day(iso: value) else { throw .badRequest("'\(value)' is not a date YYYY-MM-DD (\(name))") }
            return day
        }
        let request = DecisionRequest(
            finding: finding, kind: kind, on: try date(on, "on") ?? today, by: text(by) ?? "",
            note: text(note), action: text(action), due: try date(due, "due"),
            until: try date(until, "until"), reason: text(reason))
        if let problem = request.problem {
            // The ledger's words name command-line flags; on the page the fields have the same names.
            throw .badRequest(problem.replacingOccurrences(of: "--", with: ""))
        }
        return request
    }
}
