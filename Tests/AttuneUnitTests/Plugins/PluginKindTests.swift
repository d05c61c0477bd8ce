import AttuneAuthoring
import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneRuleTesting
import Foundation
import Testing

/// Plugin kinds through the pack loader, lint and the engine, with a scripted transport so that
/// only the protocol and its adapter are under test.
struct PluginKindTests {
    static let rule = """
        id: scripted-run
        title: Scripted run
        severity: low
        kind: scripted-streak
        match: attendance == 'no-show'
        params: {length: 2}
        message: "{count} in a row"
        """

    static func load(_ plugin: ScriptedPlugin, rule: String = rule, pin: String? = nil) throws -> RuleSet {
        let folder = try ScriptedPlugin.pack(plugin: plugin.plugin, rule: rule, pin: pin)
        return PackLoader(registry: BuiltinKinds.registry, plugins: plugin).load([
            DefaultPack.source, try PackSource.directory(folder),
        ])
    }

    static func review(_ ruleSet: RuleSet) -> Engine.Output {
        let (records, _) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, episode: '1', date: 2026-01-05, attendance: no-show}
            - {client: C-1, therapist: T-1, episode: '1', date: 2026-01-12, attendance: no-show}
            """)
        let asOf = Day(iso: "2026-01-12")!
        let rules = ruleSet.activeRules.filter { $0.id == "scripted-run" }
        return Engine(rules: rules, vocabulary: ruleSet.vocabulary).run(
            timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
    }

    @Test func aPluginKindIsLintedAgainstItsDeclaredParams() throws {
        let plugin = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak"))
        let ruleSet = try Self.load(
            plugin, rule: Self.rule.replacingOccurrences(of: "{length: 2}", with: "{length: 20, lenght: 2}"))
        let messages = ruleSet.diagnostics.errors.map(\.message)
        #expect(
            messages.contains {
                $0.contains("unknown param 'lenght' for kind scripted-streak; did you mean 'length'?")
            }, "\(messages)")
        #expect(messages.contains { $0.contains("20") }, "\(messages)")
    }

    @Test func aPluginKindRunsLikeABuiltInOne() throws {
        let plugin = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak")) { request in
            // The request carries the params and each record's match.
            #expect(request.contains(#""params":{"length":2}"#))
            #expect(request.contains(#""expressions":{"match":true}"#))
            #expect(!request.contains("notes"))
            return
                #"{"findings": [{"opened": "2026-01-12", "closed": null, "evidence": [0, 1], "values": {"count": 2}}]}"#
        }
        let ruleSet = try Self.load(plugin)
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        #expect(ruleSet.registry["scripted-streak"]?.plugin == "scripted")
        let output = Self.review(ruleSet)
        #expect(output.failures.isEmpty, "\(output.failures)")
        #expect(output.findings.map(\.message) == ["2 in a row"])
        #expect(output.findings.first?.records.count == 2)
    }

    @Test func aKindThatReadsOnlyTheDateIsSentOnlyTheDate() throws {
        let plugin = ScriptedPlugin(
            "scripted", declaration: ScriptedPlugin.declaring("scripted-streak", extra: #", "reads": ["date"]"#)
        ) { request in
            request.contains(#"{"index":0,"date":"2026-01-05","expressions":{"match":true}}"#)
                && !request.contains("attendance")
                ? #"{"findings": []}"# : #"{"error": "sent more than the date"}"#
        }
        let output = Self.review(try Self.load(plugin))
        #expect(output.failures.isEmpty, "\(output.failures)")
    }

    /// Branches a plugin declares are the rule's coverage branches; those it reports are taken.
    @Test func aPluginKindReportsCoverageBranches() throws {
        let branches =
            #", "branches": [{"name": "opens", "doc": "a run reaches the length", "param": "length"}, {"name": "closes", "doc": "a run ends"}]"#
        let plugin = ScriptedPlugin(
            "scripted", declaration: ScriptedPlugin.declaring("scripted-streak", extra: branches)
        ) { _ in #"{"findings": [{"opened": "2026-03-09", "closed": null, "evidence": [1]}], "branches": ["opens"]}"# }
        let rule =
            Self.rule + """

                tests:
                  - name: two in a row
                    records:
                      - {date: 2026-03-02, attendance: no-show}
                      - {date: 2026-03-09, attendance: no-show}
                    expect:
                      - {opened: 2026-03-09}
                """
        let ruleSet = try Self.load(plugin, rule: rule)
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let report = CoverageReport.measure(ruleSet, filter: "scripted-run")
        let failed = report.outcomes.filter { !$0.passed }.map { $0.name }
        #expect(failed.isEmpty, "\(failed)")
        let entry = try #require(report.rules.first { $0.rule == "scripted-run" })
        let items = entry.items.filter { $0.kind == .branch }
        #expect(items.map(\.text) == ["opens", "closes"])
        #expect(items.map(\.missing) == [[], ["taken"]])
        #expect(items.first?.parameter == "length")
    }

    /// A plugin's detectors say what they are as a cast would find (see `KindRegistryTests`):
    /// a timeline kind is a batching timeline detector, whether it batches or not; a caseload
    /// kind reads findings.
    @Test func aPluginDetectorSaysWhatACastWouldFind() throws {
        for extra in ["", #", "batch": true"#] {
            let ruleSet = try Self.load(
                ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak", extra: extra)))
            #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
            let rule = try #require(ruleSet.rule("scripted-run"))
            KindRegistryTests.expectRolesAsCast(rule.kind, rule.id)
            #expect(rule.kind.batchTimelineDetector != nil)
        }
        let plugin = ScriptedPlugin("scripted", declaration: Self.caseloadDeclaration)
        let folder = try ScriptedPlugin.pack(plugin: plugin.plugin, rule: Self.caseloadRules["cluster.yaml"]!)
        try Self.caseloadRules["missed.yaml"]!.write(toFile: folder + "/missed.yaml", atomically: true, encoding: .utf8)
        let ruleSet = PackLoader(registry: BuiltinKinds.registry, plugins: plugin).load([
            DefaultPack.source, try PackSource.directory(folder),
        ])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let rule = try #require(ruleSet.rule("missed-cluster"))
        KindRegistryTests.expectRolesAsCast(rule.kind, rule.id)
        #expect(rule.kind.findingsDetector != nil)
    }

    static let caseloadDeclaration = """
        {"protocol": "attune.kind/1", "kinds": [{"name": "scripted-cluster", "summary": "a scripted caseload kind",
         "scope": "caseload", "params": [{"name": "rules", "type": "rules", "doc": "The rules read"}],
         "placeholders": [{"name": "count", "doc": "how many clients"}],
         "branches": [{"name": "opens", "doc": "enough clients at once"}]}]}
        """

    /// A caseload rule listed before the rule it reads: it still runs after it, and gets its findings.
    static let caseloadRules = [
        "cluster.yaml": """
        id: missed-cluster
        title: Missed appointments across a caseload
        severity: medium
        kind: scripted-cluster
        params: {rules: [scripted-missed]}
        message: "{count} clients of {therapist} missed"
        """,
        "missed.yaml": """
        id: scripted-missed
        title: Missed
        severity: low
        kind: threshold
        match: attendance == 'no-show'
        message: "missed"
        """,
    ]

    static func caseloadReview(_ plugin: ScriptedPlugin) throws -> Engine.Output {
        let folder = try ScriptedPlugin.pack(plugin: plugin.plugin, rule: Self.caseloadRules["cluster.yaml"]!)
        try Self.caseloadRules["missed.yaml"]!.write(toFile: folder + "/missed.yaml", atomically: true, encoding: .utf8)
        let ruleSet = PackLoader(registry: BuiltinKinds.registry, plugins: plugin).load([
            DefaultPack.source, try PackSource.directory(folder),
        ])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let (records, _) = Fixtures.records(
            """
            - {client: C-1, therapist: T-1, episode: '1', date: 2026-01-05, attendance: no-show}
            - {client: C-2, therapist: T-1, episode: '1', date: 2026-01-05, attendance: attended}
            - {client: C-2, therapist: T-1, episode: '1', date: 2026-01-12, attendance: no-show}
            """)
        let asOf = Day(iso: "2026-01-12")!
        let rules = ruleSet.activeRules.filter { ["missed-cluster", "scripted-missed"].contains($0.id) }
            .sorted { $0.id < $1.id }
        #expect(rules.first?.id == "missed-cluster")
        return Engine(rules: rules, vocabulary: ruleSet.vocabulary).run(
            timelines: Engine.timelines(from: records, asOf: asOf), options: .init(asOf: asOf))
    }

    @Test func aCaseloadPluginKindGetsTheFindingsOfTheRulesItReads() throws {
        let plugin = ScriptedPlugin("scripted", declaration: Self.caseloadDeclaration) { request in
            let expected = [
                #""therapist":"T-1""#, #""params":{"rules":["scripted-missed"]}"#,
                #"{"index":0,"rule":"scripted-missed","client":"C-1","episode":"1","opened":"2026-01-05","closed":"2026-01-05""#,
                #""client":"C-2","episode":"1","opened":"2026-01-12""#,
                #""attended":{"C-2":["2026-01-05"]}"#,
            ]
            guard expected.allSatisfy(request.contains) else { return #"{"error": "unexpected request"}"# }
            return
                #"{"findings": [{"opened": "2026-01-12", "closed": null, "values": {"count": 2}}], "branches": ["opens"]}"#
        }
        let output = try Self.caseloadReview(plugin)
        #expect(output.failures.isEmpty, "\(output.failures)")
        let cluster = try #require(output.findings.first { $0.rule == "missed-cluster" })
        #expect(cluster.subject == .therapist("T-1"))
        #expect(cluster.message == "2 clients of T-1 missed")
        #expect(cluster.closed == nil)
    }

    @Test func aCaseloadPluginKindsBadAnswerIsAnEvaluationErrorNamingTheTherapist() throws {
        let plugin = ScriptedPlugin("scripted", declaration: Self.caseloadDeclaration) { _ in
            #"{"findings": [{"opened": "2026-01-12", "evidence": [0]}]}"#
        }
        let output = try Self.caseloadReview(plugin)
        #expect(!output.findings.contains { $0.rule == "missed-cluster" })
        let failure = try #require(output.failures.first)
        #expect(failure.rule == "missed-cluster")
        #expect(failure.message.hasPrefix("therapist T-1's caseload: plugin scripted: "), "\(failure.message)")
        #expect(failure.message.contains("a caseload finding has no evidence records"), "\(failure.message)")
        #expect(failure.description.contains("rule missed-cluster could not evaluate: therapist T-1's caseload"))
    }

    @Test(arguments: [
        (
            #"{"findings": [{"opened": "2026-01-12", "evidence": [7]}]}"#,
            "evidence 7 is not the index of a record it was sent"
        ),
        (
            #"{"findings": [{"opened": "2026-01-12", "values": {"secret": 1}}]}"#,
            "value 'secret' is not a placeholder kind scripted-streak declares"
        ),
        (#"{"findings": [{"opened": "2026-01-12", "closed": "2026-01-05"}]}"#, "closes (2026-01-05) before it opens"),
        (#"{"findings": [{"closed": null}]}"#, "a finding needs 'opened'"),
        (#"{"findings": [{"opened": "2026-02-01"}]}"#, "after as-of"),
        (#"not json"#, "its evaluate response is not JSON"),
        (#"{"error": "model file missing"}"#, "reports an error: model file missing"),
        (#"{"findings": [], "branches": ["nope"]}"#, "branch 'nope' is not one kind scripted-streak declares"),
    ])
    func aBadAnswerIsAnEvaluationErrorNamingThePluginAndTheRule(_ answer: String, _ expected: String) throws {
        let plugin = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak")) { _ in answer
        }
        let output = Self.review(try Self.load(plugin))
        #expect(output.findings.isEmpty)
        let failure = try #require(output.failures.first)
        #expect(failure.rule == "scripted-run")
        // At the last record the rule looked at, as for any evaluation error.
        #expect(failure.location?.file == "records.yaml" && failure.location?.line == 2)
        #expect(failure.message.hasPrefix("plugin scripted: "), "\(failure.message)")
        #expect(failure.message.contains(expected), "\(failure.message)")
    }

    @Test func aChangedPluginFileIsALoadError() throws {
        let plugin = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak"))
        let ruleSet = try Self.load(plugin, pin: String(repeating: "0", count: 64))
        let error = try #require(ruleSet.diagnostics.errors.first { $0.message.contains("plugin scripted:") })
        #expect(error.message.contains("plugins/scripted.bin has sha256 "))
        #expect(error.message.contains("but pack.yaml pins 0000"))
        #expect(error.location.file.hasSuffix("pack.yaml") && error.location.line == 4)
    }

    @Test func aPluginKindNamedLikeABuiltInOneIsRefused() throws {
        let plugin = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("streak"))
        let ruleSet = try Self.load(plugin, rule: Self.rule.replacingOccurrences(of: "scripted-streak", with: "streak"))
        #expect(
            ruleSet.diagnostics.errors.contains {
                $0.message.contains("kind 'streak' of plugin scripted")
                    && $0.message.contains("has the name of a kind of Swift kind StreakKind")
            },
            "\(ruleSet.diagnostics)")
    }

    @Test(arguments: [
        (
            #"{"protocol": "attune.kind/2", "kinds": []}"#,
            "speaks 'attune.kind/2', but this Attune speaks attune.kind/1"
        ),
        (#"{"kinds": [{"name": "x", "summary": "y"}]}"#, "has no 'protocol: attune.kind/1'"),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "params": [{"name": "a", "type": "signals"}]}]}"#,
            "type 'signals' is not one of integer, number, string, choice, measure"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "scope": "caseload"}]}"#,
            "caseload kind x needs a param of type rules"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "scope": "therapist"}]}"#,
            "scope 'therapist' is not one of timeline"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "params": [{"name": "r", "type": "rules"}]}]}"#,
            "only a caseload kind reads; declare scope: caseload"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "reads": ["date", "notes"]}]}"#,
            "reads 'notes', which is not a record field it may be sent"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "branches": [{"name": "b", "param": "nope"}]}]}"#,
            "branch 'b' belongs to param 'nope', which kind x does not declare"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "params": [{"name": "a", "type": "number"}, {"name": "a", "type": "number"}]}]}"#,
            "declares param 'a' twice"
        ),
        (#"[1, 2"#, "its declare response is not JSON"),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "reads": ["date"], "record_layout": "binary"}]}"#,
            "record_layout binary is for batching kinds; declare batch: true"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "batch": true, "record_layout": "binary"}]}"#,
            "record_layout binary has no room for tags"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "batch": true, "record_layout": "rows"}]}"#,
            "record_layout 'rows' is not one of json, columns, binary"
        ),
        (
            #"{"protocol": "attune.kind/1", "kinds": [{"name": "x", "summary": "y", "scope": "caseload", "batch": true, "params": [{"name": "r", "type": "rules"}]}]}"#,
            "'batch' and 'record_layout' are for timeline kinds"
        ),
    ])
    func aBadDeclarationIsALoadErrorNamingThePlugin(_ declaration: String, _ expected: String) throws {
        let plugin = ScriptedPlugin("scripted", declaration: declaration)
        let ruleSet = try Self.load(plugin)
        let error = try #require(
            ruleSet.diagnostics.errors.first { $0.message.hasPrefix("plugin scripted: ") }, "\(ruleSet.diagnostics)")
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func aPackWithPluginsNeedsAPluginLoader() throws {
        let folder = try ScriptedPlugin.pack(rule: Self.rule)
        let ruleSet = PackLoader(registry: BuiltinKinds.registry).load([try PackSource.directory(folder)])
        #expect(
            ruleSet.diagnostics.errors.contains {
                $0.message.contains("plugin scripted: this program cannot load plugins")
            })
    }

    @Test(arguments: [
        (
            "  p: {sha256: \(String(repeating: "a", count: 64))}",
            "plugin p needs exactly one of 'wasm: path.wasm' or 'exec: [program, args…]'"
        ),
        ("  p: {wasm: p.wasm}", "plugin p needs 'sha256:' pinning p.wasm (run: sha256sum p.wasm)"),
        ("  p: {wasm: p.wasm, sha256: abc}", "sha256 must be 64 hex digits"),
        ("  p: {wsam: p.wasm}", "unknown key 'wsam' in plugin p; did you mean 'wasm'?"),
        (
            "  p: {exec: [python3], sha256: \(String(repeating: "a", count: 64))}",
            "plugin p needs 'file:', the script or program its sha256 pins"
        ),
    ])
    func pluginDeclarationsAreChecked(_ entry: String, _ expected: String) {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": "name: site\nversion: 0.1.0\nplugins:\n\(entry)\n"], alone: true)
        #expect(ruleSet.diagnostics.errors.contains { $0.message.contains(expected) }, "\(ruleSet.diagnostics)")
    }

    @Test func pluginKindsAppearInTheKindReferenceAndTheSchema() throws {
        let plugin = ScriptedPlugin("scripted", declaration: ScriptedPlugin.declaring("scripted-streak"))
        let ruleSet = try Self.load(plugin)
        let documentation = RuleDocumentation(ruleSet: ruleSet, registry: ruleSet.registry)
        #expect(documentation.reference(format: .text).contains("scripted-streak"))
        let schema = JSONSchemaGenerator(registry: ruleSet.registry, vocabulary: ruleSet.vocabulary).schema(for: .rules)
            .rendered()
        #expect(schema.contains(#""const": "scripted-streak""#))
    }
}
