import ArgumentParser
import AttuneAuthoring
import AttuneCore

/// `attune schema`: JSON Schemas for editors' YAML language servers.
///
/// ```sh
/// attune schema rules > .schemas/attune-rules.json
/// ```
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print a JSON Schema (draft 2020-12) for record files, rule modules, pack.yaml or scenario tests.",
        discussion: """
            Generated from the same declarations lint uses: the record fields, the rule keys, every kind's \
            params, and the measures and markers of the loaded packs (so --rules adds a site's measures). \
            Point a YAML language server at it, for example with a first line \
            '# yaml-language-server: $schema=../.schemas/attune-rules.json' in a rule file.

            Examples:
              attune schema rules > attune-rules.json
              attune schema records --rules Examples/custom-rules > attune-records.json
            """)

    @Argument(help: "records, rules, pack, test or plugin (the attune.kind/1 messages).")
    var document: JSONSchemaGenerator.Document

    @OptionGroup var packOptions: PackOptions

    func run() throws {
        let ruleSet = try packOptions.loadRuleSet()
        let schema = JSONSchemaGenerator(registry: ruleSet.registry, vocabulary: ruleSet.vocabulary).schema(
            for: document)
        Terminal.standardOutput(schema.rendered() + "\n")
    }
}

extension JSONSchemaGenerator.Document: ExpressibleByArgument {}
