import ArgumentParser
import AttuneCore
import AttuneLedger
import AttuneReporters

/// `attune history --ledger FILE`: per therapist and week, findings opened, closed, discussed and
/// supervision latency, from the ledger.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Per therapist and week: findings opened, closed, discussed, and supervision latency, from a ledger.",
        discussion: """
            Latency is the days from a finding opening to its first discussion (median, in the week of that discussion).

            Examples:
              attune history --ledger supervision.db
              attune history --ledger supervision.db --format html --output history.html
            """)

    @OptionGroup var ledger: LedgerPathOption

    @Option(name: .customLong("therapist"), help: ArgumentHelp("Only this therapist (repeatable).", valueName: "id"))
    var therapists: [String] = []

    @Option(
        help: ArgumentHelp("Output format: \(HistoryReporter.formats.joined(separator: ", ")).", valueName: "format"))
    var format: String = "text"

    @Option(
        help: ArgumentHelp(
            "Write to this file (atomically, owner-readable only) instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        guard HistoryReporter.formats.contains(format) else {
            throw ValidationError(
                "unknown format '\(format)'; use one of: \(HistoryReporter.formats.joined(separator: ", "))")
        }
    }

    func run() throws {
        let ledger = try LedgerAccess.open(self.ledger.path, create: false)
        if !therapists.isEmpty {
            let known = Set(
                try LedgerAccess.run { () throws(LedgerError) -> LedgerHistory in try ledger.history() }.therapists)
            for therapist in therapists where !known.contains(therapist) {
                Terminal.standardError(
                    "error: no finding of therapist '\(therapist)' in the ledger"
                        + Suggestion.phrase(for: therapist, in: known.sorted()))
                throw ExitCode(2)
            }
        }
        let history = try LedgerAccess.run { () throws(LedgerError) -> LedgerHistory in
            try ledger.history(therapists: therapists)
        }
        do {
            try ReviewCommand.write(to: output) {
                ReviewCommand.withUTF8(HistoryReporter.render(history, format: format), $0)
            }
        } catch {
            Terminal.standardError("\(error)")
            throw ExitCode(2)
        }
    }
}
