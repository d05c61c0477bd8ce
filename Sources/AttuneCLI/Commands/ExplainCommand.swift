import ArgumentParser
import AttuneAuthoring
import AttuneCore
import AttuneYAML

/// `attune explain`: one rule on one client's records, record by record.
///
/// ```sh
/// attune explain repeated-distancing Examples/clinic --client C-1009
/// ```
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show, record by record, why a rule did or did not find something for one client.",
        discussion: """
            For each record of the client (each episode, unless --episode picks one): the value of \
            'where', 'match' and every other expression of the rule, with the values of the record paths \
            each one read; what the kind says about its state there; and where each finding opened and \
            closed. Records after --as-of are left out, and an --as-of after the latest record is taken \
            as the latest record's date, as in 'attune review'.

            Examples:
              attune explain repeated-distancing Examples/clinic --client C-1009
              attune explain alliance-drop Examples/clinic --client C-1006 --episode 2
              attune explain disengagement-gap Examples/clinic --client C-1015 \\
                --as-of 2026-11-20
              attune explain site-severe-anxiety Examples/clinic --client C-1009 \\
                --rules Examples/custom-rules
            """)

    @Argument(help: ArgumentHelp("The id of the rule to explain.", valueName: "rule-id"))
    var ruleID: String

    @Argument(help: ArgumentHelp("Record files or folders; '-' reads standard input.", valueName: "records"))
    var records: [String]

    @Option(help: ArgumentHelp("The client whose records to explain.", valueName: "id"))
    var client: String

    @Option(
        help: ArgumentHelp("Only this episode of care (default: each episode of the client).", valueName: "episode"))
    var episode: String?

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Evaluate as of this date (default: the latest record date).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @OptionGroup var packOptions: PackOptions

    func validate() throws {
        if records.isEmpty { throw ValidationError("give at least one record file or folder") }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("'\(asOf)' is not a date YYYY-MM-DD (--as-of)") }
    }

    func run() throws {
        try ReviewCommand.checkNotRulePacks(records)
        let today = try Clock.today()
        let ruleSet = try packOptions.loadRuleSet()
        let batch: RecordBatch
        do {
            var loader = RecordLoader(vocabulary: ruleSet.vocabulary)
            loader.today = today
            batch = try loader.load(paths: records)
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
        for error in batch.errors { Terminal.standardError(error.description) }
        if let note = batch.notShownNote { Terminal.standardError("note: " + note) }
        // As in a review: when every record was left out, that is what to say, not "no such client".
        guard !batch.records.isEmpty else {
            Terminal.standardError(ReviewCommand.noRecordsMessage(batch, toDo: "explain"))
            throw ExitCode(2)
        }
        if let asOf, let given = Day(iso: asOf), let end = ReviewBuilder.dataRange(of: batch.records)?.upperBound,
            given > end
        {
            Terminal.standardError(
                "warning: the data ends on \(end), before --as-of \(given): the rule is explained as of \(end), "
                    + "since days without records are not days without sessions")
        }
        do {
            let explanation = try Explainer(ruleSet: ruleSet).explain(
                ruleID: ruleID, records: batch.records, client: client, episode: episode,
                asOf: asOf.flatMap { Day(iso: $0) })
            Terminal.standardOutput(explanation.text())
        } catch {
            Terminal.standardError("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}
