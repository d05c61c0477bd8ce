import AttuneYAML
import Foundation

/// Reads rule packs into a `RuleSet`, collecting every error of every pack in one pass.
///
/// Order of work: each pack's `pack.yaml` first (so the merged vocabulary is known), then every
/// rule module against it, then what needs all rules at once: duplicate ids, rules that read
/// unknown rules, cycles, and rules without tests.
///
/// ```swift
/// let ruleSet = PackLoader(registry: BuiltinKinds.registry).load([try PackSource.directory("rules")])
/// ```
public struct PackLoader: Sendable {
    public let registry: KindRegistry
    /// Opens the plugins packs declare; nil: a pack declaring plugins is an error.
    public let plugins: (any PluginLoading)?

    public init(registry: KindRegistry, plugins: (any PluginLoading)? = nil) {
        self.registry = registry
        self.plugins = plugins
    }

    /// The folder of a pack that holds calibration files (`attune calibrate --out PACK/expected/ors.yaml`).
    public static let calibrationFolder = "expected"

    private struct Module {
        var file: String
        var node: Node
        var packIndex: Int
        var pack: String
    }

    private struct ScenarioNode {
        var file: String
        var node: Node
        var directory: String?
    }

    /// What the files of all packs hold, sorted by what they are, before any rule is decoded.
    private struct PackContents {
        var manifests: [PackManifest] = []
        var modules: [Module] = []
        var scenarioNodes: [ScenarioNode] = []
        var calibrationFiles: [String: PackSource.File] = [:]
        var registry: KindRegistry
    }

    public func load(_ sources: [PackSource]) -> RuleSet {
        var diagnostics: [Diagnostic] = []
        var contents = PackContents(registry: registry)
        for (packIndex, source) in sources.enumerated() {
            readPack(source, index: packIndex, into: &contents, &diagnostics)
        }
        let vocabulary = Self.merge(contents.manifests, &diagnostics)
        var decoder = RuleModuleDecoder(registry: contents.registry, vocabulary: vocabulary)
        decoder.calibrationFiles = contents.calibrationFiles
        for source in sources {
            for file in source.files { decoder.sources[file.path] = file.bytes }
        }
        let rules = Self.decodeRules(contents.modules, decoder, &diagnostics)
        Self.checkReferences(rules, &diagnostics)
        for rule in rules where rule.tests.isEmpty && rule.enabled {
            diagnostics.append(.warning(.noTests, "rule '\(rule.id)' has no tests", at: rule.location))
        }
        let scenarios = Self.decodeScenarios(contents.scenarioNodes, rules: rules, decoder, &diagnostics)
        return RuleSet(
            packs: contents.manifests, vocabulary: vocabulary, rules: rules, scenarios: scenarios,
            diagnostics: diagnostics, registry: contents.registry)
    }

    /// Sorts one pack's files into its manifest, rule modules, scenarios and calibration files,
    /// and registers the plugins its manifest declares.
    private func readPack(
        _ source: PackSource, index packIndex: Int, into contents: inout PackContents,
        _ diagnostics: inout [Diagnostic]
    ) {
        var manifest: PackManifest?
        for file in source.files {
            // Calibration files are data for trajectory rules, not rule modules: read when a rule names one.
            if file.relativePath.hasPrefix(Self.calibrationFolder + "/") {
                contents.calibrationFiles[file.relativePath] = file
                continue
            }
            // The manifest as the CLI read it before the load (process plugins), not parsed again.
            let parsed = file.path == source.manifest.file?.path ? source.manifest.documents : nil
            guard let documents = Self.documents(of: file, parsed: parsed, &diagnostics) else { continue }
            let name = (file.relativePath as NSString).lastPathComponent
            if PackSource.isManifest(file.relativePath) {
                guard let node = documents.first else {
                    diagnostics.append(
                        .error(.pack, "pack.yaml is empty", at: SourceLocation(file: file.path, line: 1, column: 1)))
                    continue
                }
                manifest = PackManifest.decode(node, file: file.path, diagnostics: &diagnostics)
            } else if name.hasSuffix(".test.yaml") || name.hasSuffix(".test.yml") {
                for document in documents {
                    for node in document.sequenceItems ?? [document] {
                        contents.scenarioNodes.append(
                            ScenarioNode(file: file.path, node: node, directory: source.directory))
                    }
                }
            } else {
                for document in documents {
                    for node in document.sequenceItems ?? [document] {
                        contents.modules.append(
                            Module(file: file.path, node: node, packIndex: packIndex, pack: source.name))
                    }
                }
            }
        }
        let packModules = contents.modules.filter { $0.packIndex == packIndex }
        if let manifest {
            contents.manifests.append(manifest)
            PluginKinds.register(
                manifest.plugins, directory: source.directory, loader: plugins, into: &contents.registry, &diagnostics)
        } else if let first = packModules.first, packModules.allSatisfy({ Self.looksLikeSessionRecord($0.node) }) {
            // Records given where a pack was expected (`--rules records/`): one error that
            // says so, not one per record field read as an unknown rule key.
            contents.modules.removeAll { $0.packIndex == packIndex }
            diagnostics.append(
                .error(
                    .pack,
                    "'\(source.name)' holds session records, not rule modules (no pack.yaml; "
                        + "\(packModules.count) records, the first at \(SourceLocation(file: first.file, mark: first.node.mark))): "
                        + "give records to 'attune review RECORDS' or 'attune explain', and rule pack folders to --rules, lint or test",
                    at: SourceLocation(file: source.name + "/pack.yaml", line: 1, column: 1)))
        } else {
            diagnostics.append(
                .error(
                    .pack,
                    "rule pack has no pack.yaml (name, version, measures, constants, sets)",
                    at: SourceLocation(file: source.name + "/pack.yaml", line: 1, column: 1)))
        }
    }

    /// The YAML documents of a pack file; nil, with the error, when it is not well-formed.
    private static func documents(
        of file: PackSource.File, parsed: Result<[Node], any Error>?, _ diagnostics: inout [Diagnostic]
    ) -> [Node]? {
        do {
            if let parsed { return try parsed.get() }
            return try YAMLReader.documents(in: .bytes(file.bytes), limits: .rules)
        } catch let error as DocumentError {
            diagnostics.append(
                .error(.yamlSyntax, error.message, at: SourceLocation(file: file.path, mark: error.mark)))
        } catch {
            diagnostics.append(
                .error(.invalidValue, "\(error)", at: SourceLocation(file: file.path, line: 1, column: 1)))
        }
        return nil
    }

    /// Decodes every module in pack order, resolving ids across packs: a later pack's module
    /// switches a rule off or overrides it; two rules with one id otherwise are errors at both.
    private static func decodeRules(
        _ modules: [Module], _ decoder: RuleModuleDecoder, _ diagnostics: inout [Diagnostic]
    ) -> [Rule] {
        var rules: [Rule] = []
        var definedAt: [String: (location: SourceLocation, packIndex: Int)] = [:]
        for module in modules {
            let peek = RuleModuleDecoder.peek(module.node)
            let location =
                peek.idNode.map { SourceLocation(file: module.file, mark: $0.mark) }
                ?? SourceLocation(file: module.file, mark: module.node.mark)
            if peek.switchOffOnly, let id = peek.id {
                if let index = rules.firstIndex(where: { $0.id == id }) {
                    rules[index].enabled = false
                } else {
                    diagnostics.append(
                        .warning(
                            .pack,
                            "switches off rule '\(id)', which no earlier pack defines"
                                + Suggestion.phrase(for: id, in: rules.map(\.id)), at: location))
                }
                continue
            }
            guard
                let rule = decoder.decode(module.node, file: module.file, pack: module.pack, diagnostics: &diagnostics)
            else {
                if let id = peek.id, definedAt[id] == nil { definedAt[id] = (location, module.packIndex) }
                continue
            }
            if let earlier = definedAt[rule.id] {
                if earlier.packIndex != module.packIndex, peek.override {
                    rules.removeAll { $0.id == rule.id }
                } else {
                    let hint = earlier.packIndex == module.packIndex ? "" : "; add 'override: true' to replace it"
                    diagnostics.append(
                        .error(
                            .duplicateID,
                            "duplicate rule id '\(rule.id)', also defined at \(earlier.location)\(hint)", at: location))
                    diagnostics.append(
                        .error(
                            .duplicateID, "duplicate rule id '\(rule.id)', also defined at \(location)",
                            at: earlier.location))
                    continue
                }
            } else if peek.override {
                diagnostics.append(
                    .warning(
                        .pack, "rule '\(rule.id)' is marked override but no earlier pack defines it", at: location))
            }
            definedAt[rule.id] = (location, module.packIndex)
            rules.append(rule)
        }
        return rules
    }

    /// Decodes the scenario files' tests, each of which must name rules that exist.
    private static func decodeScenarios(
        _ scenarioNodes: [ScenarioNode], rules: [Rule], _ decoder: RuleModuleDecoder, _ diagnostics: inout [Diagnostic]
    ) -> [ScenarioFile] {
        var scenarios: [ScenarioFile] = []
        // The records-file closure may outlive the call (for the decoder), so it appends here, not to `diagnostics`.
        var found: [Diagnostic] = []
        defer { diagnostics += found }
        for scenario in scenarioNodes {
            let (file, node) = (scenario.file, scenario.node)
            var reader = ScalarReader(file: file)
            let test = decoder.decodeTest(
                node, requireRule: true,
                recordsFile: { path, pathNode in
                    loadRecordsFile(
                        path, relativeTo: scenario.directory ?? (file as NSString).deletingLastPathComponent,
                        at: pathNode, &found, file)
                }, &reader)
            found += reader.diagnostics
            guard let test else { continue }
            checkScenarioRules(test, node: node, file: file, rules: rules, &found)
            if let index = scenarios.firstIndex(where: { $0.path == file }) {
                scenarios[index].tests.append(test)
            } else {
                scenarios.append(ScenarioFile(path: file, tests: [test]))
            }
        }
        return scenarios
    }

    /// A scenario's expected findings, and those it expects none of, must be of rules that exist.
    private static func checkScenarioRules(
        _ test: RuleTest, node: Node, file: String, rules: [Rule], _ diagnostics: inout [Diagnostic]
    ) {
        for expectation in test.expect {
            if let rule = expectation.rule, !rules.contains(where: { $0.id == rule }) {
                diagnostics.append(
                    .error(
                        .ruleReference,
                        "scenario expects unknown rule '\(rule)'" + Suggestion.phrase(for: rule, in: rules.map(\.id)),
                        at: expectation.location ?? SourceLocation(file: file, mark: node.mark)))
            }
        }
        for (index, id) in test.expectAbsent.enumerated() where !rules.contains(where: { $0.id == id }) {
            let items = node.mappingPairs?.first { $0.key.scalarText == "expect_absent" }?.value.sequenceItems
            let at = items.map { index < $0.count ? $0[index].mark : node.mark } ?? node.mark
            diagnostics.append(
                .error(
                    .ruleReference,
                    "scenario expects no finding of unknown rule '\(id)'"
                        + Suggestion.phrase(for: id, in: rules.map(\.id)),
                    at: SourceLocation(file: file, mark: at)))
        }
    }

    /// Later packs add to and override earlier vocabularies.
    /// The vocabulary `load` gives these packs, from their pack.yaml files alone (parsed once for
    /// both, `PackManifestDocuments`): what records are read against, known before any rule is
    /// decoded. Nil when a pack has no manifest to read or its manifests have errors, which the
    /// load reports.
    ///
    /// ```swift
    /// let vocabulary = PackLoader.vocabulary(of: [DefaultPack.source])   // srs, ors, phq9, …
    /// ```
    public static func vocabulary(of sources: [PackSource]) -> Vocabulary? {
        var diagnostics: [Diagnostic] = []
        var manifests: [PackManifest] = []
        for source in sources {
            guard let file = source.manifest.file, let document = try? source.manifest.documents?.get().first else {
                return nil
            }
            manifests.append(PackManifest.decode(document, file: file.path, diagnostics: &diagnostics))
        }
        let vocabulary = merge(manifests, &diagnostics)
        return diagnostics.hasErrors ? nil : vocabulary
    }

    static func merge(_ manifests: [PackManifest], _ diagnostics: inout [Diagnostic]) -> Vocabulary {
        var vocabulary = Vocabulary()
        for manifest in manifests {
            for measure in manifest.measures { vocabulary.declare(measure) }
            for (name, constant) in manifest.constants { vocabulary.constants[name] = constant }
            for (name, set) in manifest.sets { vocabulary.sets[name] = set }
            vocabulary.markers.formUnion(manifest.markers)
        }
        for (name, constant) in vocabulary.constants where vocabulary.sets[name] != nil {
            diagnostics.append(.error(.pack, "'\(name)' is both a constant and a set", at: constant.location))
        }
        return vocabulary
    }

    /// The longest chain of rules reading other rules' findings that a pack may build: a rule
    /// reading timeline rules is one level, a rule reading that rule two.
    public static let maxReadingDepth = 16

    /// Rules that read other rules must name existing ones, without cycles, at most
    /// `maxReadingDepth` levels deep. Iterative and linear in the rules and references, so a
    /// 20,000-rule cycle is one error, not a stack overflow.
    static func checkReferences(_ rules: [Rule], _ diagnostics: inout [Diagnostic]) {
        var indexOf: [String: Int] = [:]
        for (index, rule) in rules.enumerated() where indexOf[rule.id] == nil { indexOf[rule.id] = index }
        var inputs = [[Int]](repeating: [], count: rules.count)
        // Did-you-mean compares an unknown id with every id: for the first few unknown ids only,
        // or 20,000 rules each reading an unknown rule would take minutes.
        let ids = rules.map(\.id)
        var suggestionsLeft = 100
        for (index, rule) in rules.enumerated() {
            let location = rule.keyLocations["params"] ?? rule.location
            for input in rule.inputRules {
                guard let known = indexOf[input] else {
                    // At the id itself when the params named it (params.rules.<id>).
                    let at =
                        rule.keyLocations.first { $0.key.hasPrefix("params.") && $0.key.hasSuffix("." + input) }?.value
                        ?? location
                    suggestionsLeft -= 1
                    let suggestion = suggestionsLeft >= 0 ? Suggestion.phrase(for: input, in: ids) : ""
                    diagnostics.append(
                        .error(.ruleReference, "rule '\(rule.id)' reads unknown rule '\(input)'" + suggestion, at: at))
                    continue
                }
                if known != index { inputs[index].append(known) }
            }
            if rule.inputRules.contains(rule.id) {
                diagnostics.append(.error(.ruleReference, "rule '\(rule.id)' reads its own findings", at: location))
            }
        }

        // Depth-first, with an explicit stack: 0 unvisited, 1 on the current path, 2 done.
        var state = [UInt8](repeating: 0, count: rules.count)
        var depth = [Int](repeating: 0, count: rules.count)
        var path: [(rule: Int, next: Int)] = []
        var positionOnPath = [Int](repeating: 0, count: rules.count)
        // Rules in or reading a cycle: their depth means nothing, and the cycle is reported already.
        var readsCycle = [Bool](repeating: false, count: rules.count)
        for root in rules.indices where state[root] == 0 {
            state[root] = 1
            path.append((root, 0))
            positionOnPath[root] = 0
            while let (rule, next) = path.last {
                guard next < inputs[rule].count else {
                    // Done: one level above the deepest rule it reads; a timeline rule is level 0, and
                    // an input still on the path (a cycle, reported already) does not count.
                    state[rule] = 2
                    depth[rule] = inputs[rule].lazy.filter { state[$0] == 2 }.map { depth[$0] + 1 }.max() ?? 0
                    if inputs[rule].contains(where: { readsCycle[$0] }) { readsCycle[rule] = true }
                    if depth[rule] == maxReadingDepth + 1, !readsCycle[rule] {
                        diagnostics.append(
                            .error(
                                .ruleReference,
                                "rule '\(rules[rule].id)' reads findings \(maxReadingDepth + 1) levels deep (a rule reading "
                                    + "a rule reading …); at most \(maxReadingDepth) levels are allowed",
                                at: rules[rule].keyLocations["params"] ?? rules[rule].location))
                    }
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let input = inputs[rule][next]
                switch state[input] {
                case 0:
                    state[input] = 1
                    positionOnPath[input] = path.count
                    path.append((input, 0))
                case 1:
                    // The cycle is the path from `input` on; a long one is shown by its ends.
                    let cycle = path[positionOnPath[input]...]
                    readsCycle[rule] = true  // and, as they finish, every rule on the path back to `input`
                    let ids =
                        cycle.count <= 10
                        ? cycle.map { rules[$0.rule].id }
                        : cycle.prefix(5).map { rules[$0.rule].id } + [
                            "… \(cycle.count - 6) more …", rules[cycle[cycle.endIndex - 1].rule].id,
                        ]
                    diagnostics.append(
                        .error(
                            .ruleReference,
                            "rules read each other's findings in a cycle: "
                                + (ids + [rules[input].id]).joined(separator: " → "),
                            at: rules[input].keyLocations["params"] ?? rules[input].location))
                default:
                    break
                }
            }
        }
    }

    static func loadRecordsFile(
        _ path: String, relativeTo directory: String, at node: Node,
        _ diagnostics: inout [Diagnostic], _ file: String
    ) -> [Node]? {
        let full = path.hasPrefix("/") ? path : directory + "/" + path
        var nodes: [Node] = []
        do {
            let format = DocumentFormat.forPath(full) ?? .yaml
            switch format {
            case .yaml: try YAMLReader.forEachItem(in: .file(path: full), limits: .records) { nodes.append($0) }
            case .json: try JSONReader.forEachItem(in: .file(path: full), limits: .records) { nodes.append($0) }
            case .jsonl: try JSONReader.forEachLine(in: .file(path: full), limits: .records) { nodes.append($0) }
            }
        } catch let error as DocumentError {
            diagnostics.append(.error(.yamlSyntax, error.message, at: SourceLocation(file: full, mark: error.mark)))
            return nil
        } catch {
            diagnostics.append(
                .error(
                    .invalidValue, "cannot read records_file '\(path)': \(error)",
                    at: SourceLocation(file: file, mark: node.mark)))
            return nil
        }
        return nodes
    }

    /// A mapping with a `client` and no `id`: a session record, not a rule module.
    static func looksLikeSessionRecord(_ node: Node) -> Bool {
        guard let keys = node.mappingPairs?.compactMap({ $0.key.scalarText }) else { return false }
        return keys.contains("client") && !keys.contains("id")
    }
}
