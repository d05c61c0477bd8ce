import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import Testing

/// Pack loading: every error located, all collected in one pass; overrides between packs.
struct PackLoaderTests {
    static let rule = """
        id: low-srs
        title: Low SRS
        severity: low
        kind: threshold
        match: measures.srs < srs_cutoff
        message: "SRS {measures.srs}"
        tests:
          - name: fires
            records: [{date: 2026-01-05, attendance: attended, measures: {srs: 20}}]
            expect: [{opened: 2026-01-05, closed: 2026-01-05}]
        """

    @Test func collectsEveryErrorOfEveryFileInOnePass() {
        let ruleSet = Fixtures.ruleSet(
            [
                "pack.yaml": "name: site\nversion: 1.0.0\ncolour: blue\n",
                "a.yaml": "id: a\ntitle: A\nseverity: urgent\nkind: threshold\nmatch: measures.srs < 3\nmessage: x\n",
                "b.yaml": "id: b\ntitle: B\nseverity: low\nkind: windowed\nmatch: true\nmessage: x\n",
                "c.yaml": "id: c\ntitle: C\nseverity: low\nkind: threshold\nmach: true\nmessage: x\n",
            ], alone: false)
        let errors = ruleSet.diagnostics.errors.map(\.description)
        #expect(errors.contains("site/pack.yaml:3:1: error: unknown key 'colour' in pack.yaml"))
        #expect(
            errors.contains(
                "site/a.yaml:3:11: error: 'urgent' is not a valid severity (info, low, medium, high, critical)"))
        #expect(errors.contains { $0.hasPrefix("site/b.yaml:4:7: error: unknown kind 'windowed'") })
        #expect(errors.contains("site/c.yaml:5:1: error: unknown key 'mach'; did you mean 'match'?"))
        #expect(errors.contains { $0.hasPrefix("site/c.yaml:1:1: error: kind threshold needs 'match'") })
    }

    /// `attune review` reads records against the vocabulary of the packs' pack.yaml files while
    /// the rules load: it is the vocabulary the load gives, for the default pack, a pack that
    /// redeclares and adds measures, and the repository's example pack; nil, so that the review
    /// waits for the load, when a manifest is missing or has errors.
    @Test func theManifestsVocabularyIsTheLoadsOne() throws {
        let site = Fixtures.packSource
        let redeclaring = site([
            "pack.yaml": Fixtures.srsAndORSPackYAML
                + "\n  wellbeing: {title: Wellbeing, range: [0, 10], better: higher}\nconstants:\n  low_wellbeing: {value: 3, source: local default}\n",
            "r.yaml": Self.rule,
        ])
        let example = try PackSource.directory(Fixtures.repositoryRoot + "/Examples/custom-rules")
        for sources in [[DefaultPack.source], [DefaultPack.source, redeclaring], [DefaultPack.source, example]] {
            let loaded = PackLoader(registry: BuiltinKinds.registry).load(sources)
            #expect(loaded.diagnostics.errors.isEmpty, "\(loaded.diagnostics)")
            let vocabulary = try #require(PackLoader.vocabulary(of: sources))
            #expect(vocabulary == loaded.vocabulary)
        }
        #expect(
            PackLoader.vocabulary(of: [DefaultPack.source, redeclaring])?.measureNames.contains("wellbeing") == true)
        let broken = site(["pack.yaml": "name: site\nversion: 1.0.0\ncolour: blue\n"])
        #expect(PackLoader.vocabulary(of: [DefaultPack.source, broken]) == nil)
        #expect(PackLoader.vocabulary(of: [DefaultPack.source, site(["r.yaml": Self.rule])]) == nil)
        #expect(PackLoader.vocabulary(of: [DefaultPack.source, site(["pack.yaml": "name: [\n"])]) == nil)
    }

    @Test func laterPackReplacesOnlyWithOverride() {
        let replaced = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "r.yaml": "id: alliance-below-cutoff\noverride: true\n"
                + Self.rule.split(separator: "\n").dropFirst().joined(separator: "\n"),
        ])
        #expect(replaced.diagnostics.errors.isEmpty, "\(replaced.diagnostics)")
        #expect(replaced.rule("alliance-below-cutoff")?.pack == "site")

        let clash = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "r.yaml": "id: alliance-below-cutoff\n"
                + Self.rule.split(separator: "\n").dropFirst().joined(separator: "\n"),
        ])
        let errors = clash.diagnostics.errors.map(\.description)
        #expect(errors.count == 2, "\(errors)")
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "site/r.yaml:1:5: error: duplicate rule id 'alliance-below-cutoff', also defined at rules/alliance-below-cutoff.yaml:1:5; add 'override: true'"
                )
            })
        #expect(
            errors.contains {
                $0.hasPrefix(
                    "rules/alliance-below-cutoff.yaml:1:5: error: duplicate rule id 'alliance-below-cutoff', also defined at site/r.yaml:1:5"
                )
            })
    }

    @Test func switchingARuleOffAndOverridingAConstant() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML + "constants: {srs_cutoff: 30}\n",
            "off.yaml": "id: risk-item-endorsed\nenabled: false\n",
        ])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        #expect(ruleSet.rule("risk-item-endorsed")?.enabled == false)
        #expect(!ruleSet.activeRules.contains { $0.id == "risk-item-endorsed" })
        #expect(ruleSet.vocabulary.constants["srs_cutoff"]?.value == .number(30))
    }

    @Test func aMeasureMayBeARiskItem() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML
                + "measures:\n  cssrs: {range: [0, 6], better: lower, risk: true}\n  mood: {range: [0, 10], better: higher, risk: false}\n"
        ])
        #expect(ruleSet.diagnostics.errors.isEmpty, "\(ruleSet.diagnostics)")
        let measures = Dictionary(uniqueKeysWithValues: ruleSet.vocabulary.measures.map { ($0.name, $0) })
        #expect(
            measures["cssrs"]?.isRiskItem == true && measures["mood"]?.isRiskItem == false
                && measures["srs"]?.isRiskItem == false)
        let bad = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML + "measures:\n  cssrs: {range: [0, 6], better: lower, risk: yes}\n"
        ])
        #expect(
            bad.diagnostics.errors.map(\.description).contains {
                $0.hasPrefix("site/pack.yaml:4:47: error: risk must be true or false, found 'yes'")
            },
            "\(bad.diagnostics)")
    }

    @Test func placeholdersTheKindDoesNotProvideAreErrors() {
        let ruleSet = Fixtures.ruleSet([
            "pack.yaml": Fixtures.minimalPackYAML,
            "p.yaml": "id: p\ntitle: P\nseverity: low\nkind: threshold\nmatch: true\nmessage: \"seen {cuont} times\"\n",
        ])
        let errors = ruleSet.diagnostics.errors.map(\.description)
        #expect(
            errors.contains {
                $0.hasPrefix("site/p.yaml:6:16: error: placeholder '{cuont}' is not provided by kind threshold")
            }, "\(errors)")
    }

    @Test func aliasBombInARuleFileIsAnErrorNotAHang() {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*\(Character(UnicodeScalar(96 + level)!))", count: 10).joined(separator: ", ")
            bomb += "\(Character(UnicodeScalar(97 + level)!)): &\(Character(UnicodeScalar(97 + level)!)) [\(refs)]\n"
        }
        let ruleSet = Fixtures.ruleSet(["pack.yaml": Fixtures.minimalPackYAML, "bomb.yaml": bomb])
        #expect(ruleSet.diagnostics.errors.contains { $0.location.file == "site/bomb.yaml" })
    }
}
