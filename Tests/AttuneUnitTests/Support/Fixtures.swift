import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneYAML
import Foundation
import Testing

/// Shared, synthetic test fixtures.
enum Fixtures {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The built-in default pack, loaded once.
    static let defaultRuleSet: RuleSet = PackLoader(registry: BuiltinKinds.registry).load([DefaultPack.source])

    static var vocabulary: Vocabulary { defaultRuleSet.vocabulary }

    /// A pack from in-memory files: `["pack.yaml": "...", "x.yaml": "..."]`, loaded after the default pack unless `alone`.
    static func ruleSet(_ files: [String: String], alone: Bool = false) -> RuleSet {
        let site = packSource(files)
        return PackLoader(registry: BuiltinKinds.registry).load(alone ? [site] : [DefaultPack.source, site])
    }

    /// A pack named "site" from in-memory files, not loaded.
    static func packSource(_ files: [String: String]) -> PackSource {
        PackSource(
            name: "site",
            files: files.sorted { $0.key < $1.key }.map {
                PackSource.File(path: "site/" + $0.key, relativePath: $0.key, bytes: Array($0.value.utf8))
            })
    }

    static let minimalPackYAML = "name: site\nversion: 0.1.0\n"

    /// A pack declaring only the SRS and the ORS, for site rules loaded alone.
    static let srsAndORSPackYAML = """
        name: site
        version: 0.1.0
        measures:
          srs: {title: Session Rating Scale, range: [0, 40], better: higher, cutoff: 36}
          ors: {title: Outcome Rating Scale, range: [0, 40], better: higher, cutoff: 25}
        """

    /// Decodes YAML records with the default vocabulary; returns records and diagnostics.
    static func records(_ yaml: String, file: String = "records.yaml", defaults: RecordDecoder.Defaults = .none) -> (
        [SessionRecord], [Diagnostic]
    ) {
        var diagnostics: [Diagnostic] = []
        var records: [SessionRecord] = []
        let decoder = RecordDecoder(vocabulary: vocabulary, defaults: defaults)
        do {
            try YAMLReader.forEachItem(in: .bytes(Array(yaml.utf8)), limits: .records) { node in
                if let record = decoder.decode(node, file: file, diagnostics: &diagnostics) { records.append(record) }
            }
        } catch let error as DocumentError {
            diagnostics.append(.error(.yamlSyntax, error.message, at: SourceLocation(file: file, mark: error.mark)))
        } catch {
            diagnostics.append(.error(.invalidValue, "\(error)", at: SourceLocation(file: file, line: 0, column: 0)))
        }
        return (records, diagnostics)
    }

    static func day(_ text: String) -> Day { Day(iso: text)! }

    /// Findings of the one rule module `rule` (with id `id`, loaded in a site pack after the
    /// default pack) over YAML `records` with test defaults; as-of defaults to the latest record.
    static func findings(
        of id: String, rule: String, records: String, asOf: String? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> [Finding] {
        let ruleSet = Fixtures.ruleSet(["pack.yaml": minimalPackYAML, "\(id).yaml": rule])
        let errors = ruleSet.diagnostics.errors.filter { $0.location.file.hasPrefix("site/") }
        #expect(errors.isEmpty, "\(errors)", sourceLocation: sourceLocation)
        let compiled = try #require(ruleSet.rule(id), sourceLocation: sourceLocation)
        let (decoded, problems) = Fixtures.records(records, defaults: .ruleTests)
        #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
        let asOf = try #require(asOf.map(Fixtures.day) ?? decoded.map(\.date).max(), sourceLocation: sourceLocation)
        let engine = Engine(rules: [compiled], vocabulary: ruleSet.vocabulary)
        return engine.run(timelines: Engine.timelines(from: decoded, asOf: asOf), options: .init(asOf: asOf)).findings
    }
}
