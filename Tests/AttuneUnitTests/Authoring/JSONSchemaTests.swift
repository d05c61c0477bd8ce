import AttuneAuthoring
import AttuneCore
import AttuneDefaultPack
import AttuneKinds
import AttuneYAML
import Foundation
import Testing

/// The generated schemas accept the default pack, the example site pack and the example
/// clinic's records, and reject files lint rejects for their keys and types.
struct JSONSchemaTests {
    static func validator(_ document: JSONSchemaGenerator.Document) -> JSONSchemaValidator {
        JSONSchemaValidator(
            root: JSONSchemaGenerator(registry: BuiltinKinds.registry, vocabulary: Fixtures.vocabulary).schema(
                for: document))
    }

    /// Errors of every YAML document of `text` against the schema of `document`.
    static func errors(_ text: String, _ document: JSONSchemaGenerator.Document) throws -> [String] {
        let validator = validator(document)
        return try YAMLReader.documents(in: .bytes(Array(text.utf8)), limits: .rules).flatMap {
            validator.validate(JSONSchemaValidator.instance($0))
        }
    }

    static func document(for path: String) -> JSONSchemaGenerator.Document {
        let name = (path as NSString).lastPathComponent
        if name == "pack.yaml" { return .pack }
        return name.hasSuffix(".test.yaml") ? .test : .rules
    }

    @Test func schemasDeclareDraft202012() {
        for document in JSONSchemaGenerator.Document.allCases {
            let schema = JSONSchemaGenerator(registry: BuiltinKinds.registry, vocabulary: Fixtures.vocabulary).schema(
                for: document)
            #expect(schema.rendered().contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""))
        }
    }

    @Test func everyDefaultPackFileValidates() throws {
        #expect(!DefaultPack.files.isEmpty)
        for file in DefaultPack.files {
            let errors = try Self.errors(file.contents, Self.document(for: file.path))
            #expect(errors.isEmpty, "rules/\(file.path): \(errors.joined(separator: "\n"))")
        }
    }

    @Test func theExampleSitePackValidates() throws {
        let pack = try PackSource.directory(Fixtures.repositoryRoot + "/Examples/custom-rules")
        #expect(pack.files.count >= 4)
        for file in pack.files {
            let errors = try Self.errors(String(decoding: file.bytes, as: UTF8.self), Self.document(for: file.path))
            #expect(errors.isEmpty, "\(file.path): \(errors.joined(separator: "\n"))")
        }
    }

    @Test func theExampleClinicRecordsValidate() throws {
        let files = try RecordLoader.expand([Fixtures.repositoryRoot + "/Examples/clinic"]).filter {
            $0.hasSuffix(".yaml")
        }
        #expect(!files.isEmpty)
        let validator = Self.validator(.records)
        for file in files {
            let documents = try YAMLReader.documents(in: .file(path: file), limits: .records)
            for document in documents {
                let errors = validator.validate(JSONSchemaValidator.instance(document))
                #expect(errors.isEmpty, "\(file): \(errors.prefix(5).joined(separator: "\n"))")
            }
        }
    }

    static let windowRule = """
        id: three-of-four
        title: Three of four
        severity: medium
        kind: window
        match: measures.srs < 36
        params: {at_least: 3, of_last: 4}
        message: "{count} of {of_last}"
        """

    @Test func aValidRuleValidates() throws {
        #expect(try Self.errors(Self.windowRule, .rules) == [])
        #expect(try Self.errors("id: possible-masking\nenabled: false\n", .rules) == [])
    }

    @Test func anUnknownKeyFails() throws {
        let errors = try Self.errors(Self.windowRule + "\nmach: true\n", .rules)
        #expect(errors.contains("$: unknown property 'mach'"), "\(errors)")
    }

    @Test func kindsParamsAreCheckedPerKind() throws {
        let unknownParam = try Self.errors(
            Self.windowRule.replacingOccurrences(of: "of_last: 4", with: "of_lst: 4"), .rules)
        #expect(unknownParam.contains("$.params: unknown property 'of_lst'"), "\(unknownParam)")
        #expect(unknownParam.contains("$.params: missing required property 'of_last'"), "\(unknownParam)")
        // A name is allowed (a pack constant; lint checks it exists), other text is not.
        let named = try Self.errors(
            Self.windowRule.replacingOccurrences(of: "at_least: 3", with: "at_least: two"), .rules)
        #expect(named.isEmpty, "\(named)")
        let wrongType = try Self.errors(
            Self.windowRule.replacingOccurrences(of: "at_least: 3", with: "at_least: two sessions"), .rules)
        #expect(wrongType.contains { $0.hasPrefix("$.params.at_least: matches none of anyOf") }, "\(wrongType)")
        let foreignExpression = try Self.errors(Self.windowRule + "\nuntil: attendance == 'attended'\n", .rules)
        #expect(foreignExpression.contains("$.until: not allowed here"), "\(foreignExpression)")
        let unknownKind = try Self.errors(
            Self.windowRule.replacingOccurrences(of: "kind: window", with: "kind: windowed"), .rules)
        #expect(unknownKind.contains { $0.hasPrefix("$.kind: \"windowed\" is not one of") }, "\(unknownKind)")
    }

    @Test func missingRequiredKeysFail() throws {
        let errors = try Self.errors("id: lonely\nseverity: low\n", .rules)
        #expect(errors.contains { $0.hasPrefix("$: matches none of anyOf") }, "\(errors)")
    }

    @Test func recordsAreCheckedAgainstTheVocabulary() throws {
        let good =
            "- {client: C-1, therapist: T-1, date: 2026-01-08, attendance: attended, measures: {srs: 33}, x-site: {ward: 3}}\n"
        #expect(try Self.errors(good, .records) == [])
        let bad =
            "- {client: C-1, therapist: T-1, date: 2026-01-08, attendance: atended, measures: {srs: 50, ssr: 3}, attendence: 1}\n"
        let errors = try Self.errors(bad, .records)
        #expect(errors.contains("$[0]: unknown property 'attendence'"), "\(errors)")
        #expect(errors.contains { $0.hasPrefix("$[0].attendance: \"atended\" is not one of") }, "\(errors)")
        #expect(errors.contains { $0.contains("50 is above 40") }, "\(errors)")
        #expect(errors.contains { $0.contains("unknown property 'ssr'") }, "\(errors)")
    }

    @Test func packAndScenarioSchemas() throws {
        #expect(try Self.errors("name: site\nversion: 1.0.0\nconstants: {srs_cutoff: 34}\n", .pack) == [])
        #expect(
            try Self.errors("name: site\nversion: 1.0.0\nconstnts: {}\n", .pack) == ["$: unknown property 'constnts'"])
        let scenario =
            "name: w\nas_of: 2026-01-10\nrecords: [{date: 2026-01-08, attendance: attended}]\nexpect: [{rule: low-srs, opened: 2026-01-08}]\n"
        #expect(try Self.errors(scenario, .test) == [])
        let errors = try Self.errors(scenario + "expected: []\n", .test)
        #expect(errors == ["$: unknown property 'expected'"], "\(errors)")
    }

    @Test func theValidatorRefusesKeywordsItDoesNotKnow() {
        let validator = JSONSchemaValidator(
            root: .object([("type", .string("object")), ("dependentRequired", .object([]))]))
        #expect(validator.validate(.object([])) == ["$: the validator does not support keyword 'dependentRequired'"])
    }
}
