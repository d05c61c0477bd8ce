import ArgumentParser

/// `attune ledger`: decisions about findings, recorded in the supervision ledger, and its audit.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Record supervision decisions about findings, and read or move the ledger.",
        discussion: """
            Decisions are appended, never changed: the latest one counts, the others stay as the audit trail. \
            Finding ids are shown in every report; 'attune review … --ledger FILE' records reviews and shows the decisions.

            Examples:
              attune ledger discuss k3x9m7qd2a --note "Talked through the rupture" --action "Repair conversation" --due 2026-12-07 --by "A. Supervisor" --ledger supervision.db
              attune ledger snooze k3x9m7qd2a --until 2026-12-14 --reason "Client on holiday" --ledger supervision.db
              attune ledger show k3x9m7qd2a --ledger supervision.db
            """,
        subcommands: [
            LedgerDiscussCommand.self, LedgerSnoozeCommand.self, LedgerDismissCommand.self, LedgerReopenCommand.self,
            LedgerShowCommand.self, LedgerExportCommand.self, LedgerImportCommand.self,
        ]
    )
}
