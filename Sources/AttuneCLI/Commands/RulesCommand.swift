import ArgumentParser
import AttuneAuthoring
import AttuneCore

/// `attune rules`: the loaded rules and their documentation.
///
/// ```sh
/// attune rules
/// attune rules show alliance-drop --format markdown
/// attune rules reference --format markdown > docs/rules.md
/// ```
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the loaded rules, show one in full, or print the whole reference of kinds and rules.",
        discussion: """
            list (the default): id, kind, severity, title and pack of every loaded rule; '(off)' marks \
            rules switched off by a later pack. show ID: one rule with its expressions, params (and what \
            each means), message, guidance, references and tests. reference: every kind (params, \
            expressions, placeholders, examples) and every rule; docs/rules.md is this command's markdown \
            output for the default pack.

            Examples:
              attune rules
              attune rules --rules Examples/custom-rules
              attune rules show repeated-distancing
              attune rules reference --format markdown > docs/rules.md
            """)

    enum Action: String, ExpressibleByArgument, CaseIterable {
        case list, show, reference
    }

    @Argument(help: "list, show or reference.")
    var action: Action = .list

    @Argument(help: ArgumentHelp("The rule to show (with 'show').", valueName: "rule-id"))
    var ruleID: String?

    @Option(help: "Output format: text, markdown or json.")
    var format: RuleDocumentation.Format = .text

    @OptionGroup var packOptions: PackOptions

    func validate() throws {
        if action == .show, ruleID == nil { throw ValidationError("'attune rules show' needs a rule id") }
        if action != .show, let ruleID { throw ValidationError("'\(ruleID)' is only taken by 'attune rules show'") }
    }

    func run() throws {
        let ruleSet = try packOptions.loadRuleSet()
        let documentation = RuleDocumentation(ruleSet: ruleSet, registry: ruleSet.registry)
        switch action {
        case .list:
            Terminal.standardOutput(documentation.list(format: format))
        case .reference:
            Terminal.standardOutput(documentation.reference(format: format))
        case .show:
            let id = ruleID ?? ""
            guard let rule = ruleSet.rule(id) else {
                Terminal.standardError(
                    "error: no rule '\(id)' in the loaded packs"
                        + Suggestion.phrase(for: id, in: ruleSet.rules.map(\.id)))
                throw ExitCode(2)
            }
            Terminal.standardOutput(documentation.show(rule, format: format))
        }
    }
}

extension RuleDocumentation.Format: ExpressibleByArgument {}
