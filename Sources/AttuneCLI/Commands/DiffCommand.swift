import ArgumentParser
import AttuneAuthoring
import AttuneCore
import AttuneReporters

/// `attune diff`: what a rule change does to the findings on a corpus of records.
///
/// ```sh
/// attune diff --base-ref main --head rules Examples/corpus --format markdown > comment.md
/// ```
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Run two versions of the rule packs over the same records and show the findings that change.",
        discussion: """
            The base packs come from --base folders, or from git with --base-ref REF (the --base folders, or \
            else the --head folders, as they are at REF; the working tree is not touched). \(PackStack.help) With \
            no --head the head is the built-in pack alone. Both run over every record, as of the latest record date (or --as-of), \
            and findings of the same rule and client are paired: equal ones are unchanged, overlapping ones \
            that differ in severity, opened, closed or message are changed, the rest added or removed. \
            Counts come first, then per rule and per therapist, then each finding.

            Exit status: 0 done; 1 with --fail-on-change when any finding changed; 2 for pack errors, \
            unreadable records and usage errors.

            Examples:
              attune diff --base-ref main --head rules Examples/corpus
              attune diff --base old-rules --head rules Examples/corpus --format markdown > comment.md
              attune diff --base-ref origin/main --head rules --head site-rules records/ --fail-on-change
            """)

    @Argument(help: ArgumentHelp("Record files or folders both versions run over.", valueName: "records"))
    var records: [String]

    @Option(help: ArgumentHelp("A base rule pack folder (repeatable, in load order).", valueName: "pack"))
    var base: [String] = []

    @Option(
        help: ArgumentHelp(
            "A head rule pack folder (repeatable, in load order after the built-in pack).", valueName: "pack"))
    var head: [String] = []

    @Option(
        name: .customLong("base-ref"),
        help: ArgumentHelp("Read the base pack folders from this git revision.", valueName: "ref"))
    var baseRef: String?

    @OptionGroup var defaultPack: DefaultPackFlag

    @OptionGroup var execPlugins: ExecPluginFlag

    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("Evaluate as of this date (default: the latest record date).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: "Output format: text, markdown (for a pull-request comment) or json.")
    var format: FindingDiffWriter.Format = .text

    @Option(
        name: .customLong("input-format"),
        help: ArgumentHelp(
            "Format of the records: yaml, json, jsonl, csv (default: by file extension).", valueName: "format"))
    var inputFormat: String?

    @Flag(name: .customLong("fail-on-change"), help: "Exit 1 when any finding is added, removed or changed.")
    var failOnChange = false

    func validate() throws {
        if base.isEmpty, baseRef == nil { throw ValidationError("give the base packs: --base PACK, or --base-ref REF") }
        // A revision is handed to git: one that starts with '-' would be read as an option.
        if let baseRef,
            baseRef.isEmpty || baseRef.hasPrefix("-") || baseRef.contains(where: { $0.isNewline || $0 == "\0" })
        {
            throw ValidationError("'\(baseRef)' is not a git revision (--base-ref)")
        }
        if let asOf, Day(iso: asOf) == nil { throw ValidationError("'\(asOf)' is not a date YYYY-MM-DD (--as-of)") }
        if let inputFormat, RecordFormat(rawValue: inputFormat) == nil {
            throw ValidationError("unknown input format '\(inputFormat)'; use yaml, json, jsonl or csv")
        }
    }

    func run() throws {
        let withBuiltIn = !defaultPack.noDefaultRules
        let headSources = try Self.folders(head, withBuiltIn)
        let baseSources: [PackSource]
        if let baseRef {
            var packs: [PackSource] = []
            let reader = GitPackReader(revision: baseRef)
            for folder in base.isEmpty ? head : base {
                do {
                    packs.append(try reader.pack(folder))
                } catch {
                    Terminal.standardError(error.description)
                    throw ExitCode(2)
                }
            }
            baseSources = PackStack.stacked(packs, defaultPack: withBuiltIn)
        } else {
            baseSources = try Self.folders(base, withBuiltIn)
        }
        let allowsProcesses = execPlugins.allowExecPlugins
        let baseRules = try Self.load(baseSources, side: "base", allowsProcesses: allowsProcesses)
        let headRules = try Self.load(headSources, side: "head", allowsProcesses: allowsProcesses)

        let baseRun = try run(baseRules, reportErrors: false)
        let headRun = try run(headRules, reportErrors: true)
        let diff = FindingDiff(base: baseRun.findings, head: headRun.findings)
        let title = "base \(Self.describe(baseSources)); head \(Self.describe(headSources))"
        let writer = FindingDiffWriter(title: title, records: headRun.records, asOf: headRun.asOf)
        Terminal.standardOutput(writer.render(diff, as: format))
        if failOnChange, !diff.isEmpty { throw ExitCode(1) }
    }

    static func folders(_ folders: [String], _ withBuiltIn: Bool) throws -> [PackSource] {
        do {
            return try PackStack(folders: folders, defaultPack: withBuiltIn).sources()
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
    }

    static func describe(_ sources: [PackSource]) -> String {
        sources.map(\.name).joined(separator: " + ")
    }

    static func load(_ sources: [PackSource], side: String, allowsProcesses: Bool) throws -> RuleSet {
        let ruleSet: RuleSet
        do {
            ruleSet = try PackStack(folders: [], defaultPack: true, allowsProcesses: allowsProcesses).load(sources)
        } catch {
            try error.stop()
        }
        guard !ruleSet.diagnostics.hasErrors else {
            for diagnostic in ruleSet.diagnostics.errors.sortedByLocation() {
                Terminal.standardError(diagnostic.description)
            }
            Terminal.standardError("error: the \(side) packs have errors (see above; 'attune lint' checks them)")
            throw ExitCode(2)
        }
        return ruleSet
    }

    /// The findings of one side. Records are read with that side's vocabulary (a new measure in
    /// the head is a field the base does not know); their errors are shown once, for the head.
    private func run(_ ruleSet: RuleSet, reportErrors: Bool) throws -> (findings: [Finding], records: Int, asOf: Day) {
        let loader = RecordLoader(
            vocabulary: ruleSet.vocabulary, inputFormat: inputFormat.flatMap(RecordFormat.init(rawValue:)))
        let batch: RecordBatch
        do {
            batch = try loader.load(paths: records)
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
        if reportErrors { for error in batch.errors { Terminal.standardError(error.description) } }
        guard let asOf = asOf.flatMap({ Day(iso: $0) }) ?? batch.records.lazy.map(\.date).max() else {
            Terminal.standardError("error: no records to compare the packs on in \(records.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let engine = Engine(rules: ruleSet.activeRules, vocabulary: ruleSet.vocabulary)
        let output = engine.run(
            timelines: Engine.timelines(from: batch.records, asOf: asOf), options: Engine.Options(asOf: asOf))
        for failure in output.failures where reportErrors { Terminal.standardError("error: \(failure)") }
        return (output.findings, batch.records.count, asOf)
    }
}

extension FindingDiffWriter.Format: ExpressibleByArgument {}
