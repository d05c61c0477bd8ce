import ArgumentParser
import AttuneAuthoring
import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneReporters
import AttuneRuleTesting
import Testing

@testable import AttuneCLI

/// The Swift route: a site's own `attune` (`AttuneCLI.main(kinds:reporters:)`) treats a site's
/// kind and reporter like built-in ones in every command, and refuses names that clash.
struct SiteKindTests {
    /// A site's kind: a record whose measure is below `below` (declared once, with its default).
    struct BelowKind: TimelineKind {
        static let declaration = KindDeclaration(
            name: "site_below", summary: "A record's measure is below a value.",
            parameters: [
                ParameterDeclaration("measure", .measure, doc: "The measure"),
                ParameterDeclaration("below", .number, default: .number(20), doc: "The value (local default 20)"),
            ],
            expressions: [], placeholders: [PlaceholderDeclaration("value", "the measure's value")],
            examples: [
                KindExample(
                    name: "below the default opens on the record",
                    rule: "params: {measure: ors}",
                    records: """
                        - {date: 2026-01-05, attendance: attended, measures: {ors: 19}}
                        - {date: 2026-01-12, attendance: attended, measures: {ors: 25}}
                        """,
                    expect: [.init(opened: "2026-01-05", closed: "2026-01-05")])
            ])

        let measureIndex: Int
        let below: Double

        init(configuration: KindConfiguration) throws(KindConfigurationError) {
            measureIndex = try configuration.measure("measure").index
            below = try configuration.requiredNumber("below")
        }

        var branches: [KindBranch] { [] }

        func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] {
            timeline.indices.compactMap { index in
                guard let value = timeline.measure(index: measureIndex, at: index), value < below else { return nil }
                let day = timeline[index].date
                return FindingDraft(opened: day, closed: day, evidence: [index], values: ["value": .number(value)])
            }
        }
    }

    /// A site's reporter.
    struct CountReporter: Reporter {
        static let format = "count"
        static let summary = "the number of findings"
        func render(_ review: Review, options: ReportOptions) -> String { "\(review.allFindings.count)\n" }
    }

    /// A second reporter of a built-in format.
    struct SecondJSON: Reporter {
        static let format = "json"
        static let summary = "a clash"
        func render(_ review: Review, options: ReportOptions) -> String { "" }
    }

    static let site = PackSource(
        name: "site",
        files: [
            ("pack.yaml", Fixtures.minimalPackYAML),
            (
                "low-ors.yaml",
                """
                id: low-ors
                title: Low ORS
                severity: low
                kind: site_below
                params: {measure: ors}
                message: "ORS {value}"
                tests:
                  - name: one low score
                    records: [{date: 2026-01-05, attendance: attended, measures: {ors: 12}}]
                    expect: [{opened: 2026-01-05, closed: 2026-01-05}]
                """
            ),
        ].map { PackSource.File(path: "site/" + $0.0, relativePath: $0.0, bytes: Array($0.1.utf8)) })

    /// The site pack loaded as every command loads packs, with `registries` bound as `AttuneCLI.main` binds them.
    static func load(_ registries: SiteRegistries, _ site: PackSource = site) throws -> RuleSet {
        try SiteRegistries.$current.withValue(registries) {
            try PackStack(folders: [], defaultPack: true).load(PackStack.stacked([site], defaultPack: true))
        }
    }

    static func siteRegistries() throws -> SiteRegistries {
        try SiteRegistries(kinds: [BelowKind.self], reporters: [CountReporter.self])
    }

    @Test func aSiteKindIsLoadedLintedTestedDocumentedAndInTheSchema() throws {
        let ruleSet = try Self.load(try Self.siteRegistries())
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        #expect(ruleSet.rules.contains { $0.id == "low-ors" })

        let reference = RuleDocumentation(ruleSet: ruleSet, registry: ruleSet.registry).reference(format: .markdown)
        #expect(reference.contains("### `site_below`"))
        #expect(reference.contains("| `below` |"))

        let schema = JSONSchemaGenerator(registry: ruleSet.registry, vocabulary: ruleSet.vocabulary)
            .schema(for: .rules).rendered()
        #expect(schema.contains("\"site_below\""))

        // Its declared examples run under `attune test`, with the rule's own tests.
        let outcomes =
            RuleTestRunner(ruleSet: ruleSet).runAll(filter: "site_below")
            + RuleTestRunner(ruleSet: ruleSet).runAll(filter: "low-ors")
        #expect(outcomes.count == 2)
        let failed = outcomes.filter { !$0.passed }.map { $0.report }
        #expect(failed.isEmpty, "\(failed)")
        #expect(outcomes.contains { $0.suite == "kind site_below (Swift kind BelowKind)" })
    }

    @Test func aSiteKindsParamsAreLintedAgainstItsDeclaration() throws {
        var files = Self.site.files
        files[1].bytes = Array(
            "id: low-ors\ntitle: Low ORS\nseverity: low\nkind: site_below\nparams: {measure: ors, below: many}\nmessage: x\n"
                .utf8)
        let ruleSet = try Self.load(try Self.siteRegistries(), PackSource(name: "site", files: files))
        #expect(ruleSet.diagnostics.errors.contains { $0.message.contains("below") })
    }

    @Test func theRepositorysAttuneDoesNotKnowASiteKind() throws {
        let builtIn = SiteRegistries(kinds: BuiltinKinds.registry, reporters: Reporters.registry)
        let ruleSet = try Self.load(builtIn)
        #expect(ruleSet.diagnostics.errors.contains { $0.message.contains("site_below") })
    }

    @Test func aSiteReporterIsAFormatWithItsHelpText() throws {
        let registries = try Self.siteRegistries()
        #expect(registries.reporters.formats == Reporters.formats + ["count"])
        let help = SiteRegistries.$current.withValue(registries) { ReviewCommand.helpMessage(columns: 1000) }
        #expect(help.contains("count (the number of findings)"))
        #expect(help.contains("json (the whole review, for other programs)"))
        let parsed = try SiteRegistries.$current.withValue(registries) {
            try ReviewCommand.parse(["records.yaml", "--format", "count"])
        }
        #expect(parsed.format == "count")
        #expect(throws: (any Error).self) { try ReviewCommand.parse(["records.yaml", "--format", "count"]) }
    }

    @Test func aSiteKindNamedLikeABuiltInOneIsRefused() {
        #expect { try SiteRegistries(kinds: [KindRegistryTests.SecondStreak.self], reporters: []) } throws: { error in
            "\(error)".contains(
                "the kinds of this attune do not register: kind 'streak' of Swift kind SecondStreak has the name of a kind of Swift kind StreakKind"
            )
        }
    }

    @Test func twoSiteKindsOfOneNameAreRefused() {
        #expect { try SiteRegistries(kinds: [BelowKind.self, BelowKind.self], reporters: []) } throws: { error in
            "\(error)".contains("kind 'site_below'") && "\(error)".contains("kind names must be unique")
        }
    }

    @Test func aSiteKindOfNeitherProtocolIsRefused() {
        #expect { try SiteRegistries(kinds: [KindRegistryTests.NeitherKind.self], reporters: []) } throws: { error in
            "\(error)".contains("conforms to neither TimelineKind nor FindingsKind")
        }
    }

    @Test func aSiteReporterOfABuiltInFormatIsRefused() {
        #expect { try SiteRegistries(kinds: [], reporters: [SecondJSON.self]) } throws: { error in
            "\(error)".contains("reporter SecondJSON has the format 'json' of reporter JSONReporter")
        }
    }

    @Test func theBuiltInReportersRegister() throws {
        #expect(try ReporterRegistry(Reporters.all).formats == Reporters.formats)
    }
}
