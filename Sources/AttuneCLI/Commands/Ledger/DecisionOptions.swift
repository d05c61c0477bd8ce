import ArgumentParser
import AttuneCore
import AttuneLedger

/// What every decision takes: the finding, the ledger, who and on which day.
struct DecisionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The finding's id, as reports show it ('id k3x9m7qd2a').", valueName: "id"))
    var id: String

    @OptionGroup var ledger: LedgerPathOption

    @Option(
        help: ArgumentHelp(
            "Who made the decision (default: $ATTUNE_SUPERVISOR, else the login name).", valueName: "name"))
    var by: String?

    @Option(
        help: ArgumentHelp(
            "The day it was made, e.g. the supervision meeting (default: today).", valueName: "YYYY-MM-DD"))
    var on: String?

    func validate() throws {
        if let on, Day(iso: on) == nil { throw ValidationError("'\(on)' is not a date YYYY-MM-DD (--on)") }
    }

    /// Records the decision and prints what was recorded.
    func record(
        _ kind: LedgerDecision.Kind, note: String? = nil, action: String? = nil, due: Day? = nil, until: Day? = nil,
        reason: String? = nil
    ) throws {
        let request = DecisionRequest(
            finding: id, kind: kind, on: try on.flatMap { Day(iso: $0) } ?? Clock.today(),
            by: try LedgerAccess.supervisor(by), note: note, action: action, due: due, until: until, reason: reason)
        let ledger = try LedgerAccess.open(self.ledger.path, create: false)
        let decision = try LedgerAccess.run { () throws(LedgerError) -> LedgerDecision in try ledger.decide(request) }
        let finding = try LedgerAccess.run { () throws(LedgerError) -> LedgerFinding in try ledger.finding(id) }
        Terminal.standardOutput(
            "Recorded decision #\(decision.sequence) on \(id) (\(finding.title), \(finding.subject), \(finding.therapist)): "
                + decision.summary + "\n")
    }
}

/// `--ledger FILE`, required by the ledger and history commands.
struct LedgerPathOption: ParsableArguments {
    @Option(
        name: .customLong("ledger"), help: ArgumentHelp("The supervision ledger (a SQLite file).", valueName: "file"))
    var path: String
}

/// A date option's value, or a validation error naming the option.
func parseDay(_ text: String?, option: String) throws -> Day? {
    guard let text else { return nil }
    guard let day = Day(iso: text) else { throw ValidationError("'\(text)' is not a date YYYY-MM-DD (--\(option))") }
    return day
}
