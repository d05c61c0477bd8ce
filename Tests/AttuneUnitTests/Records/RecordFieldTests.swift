import AttuneAuthoring
import AttuneCore
import AttuneKinds
import Foundation
import Testing

/// `RecordField` and `RuptureField` are the one declaration of a record's fields: the decoder,
/// the schema, CSV and records.md follow them, so a field added to the table reaches them all.
struct RecordFieldTests {
    @Test func everyNameIsUniqueAndLooksUpItsField() {
        #expect(Set(RecordField.names).count == RecordField.allCases.count)
        #expect(Set(RuptureField.names).count == RuptureField.allCases.count)
        for field in RecordField.allCases { #expect(RecordField.named(field.name) == field) }
        for field in RuptureField.allCases { #expect(RuptureField.named(field.name) == field) }
        for near in ["", "dat", "dates", "Date", "next_appointmenT", "x-date", "episode end", "reported_by "] {
            #expect(RecordField.named(near) == nil, "\(near)")
            #expect(RuptureField.named(near) == nil, "\(near)")
        }
    }

    static let requiredOnly = "{client: C-1, therapist: T-1, date: 2026-11-24, attendance: attended}"

    /// An optional field written as null is absent for the decoder, and the schema allows it.
    @Test(arguments: RecordField.allCases.filter { !$0.declaration.required })
    func anOptionalFieldMayBeNull(field: RecordField) throws {
        let text = Self.requiredOnly.dropLast() + ", \(field.name): null}"
        let (records, diagnostics) = Fixtures.records(String(text))
        #expect(diagnostics.isEmpty && records.count == 1, "\(diagnostics)")
        #expect(try JSONSchemaTests.errors(String(text), .records).isEmpty)
    }

    /// A record without a required field is an error for the decoder and for the schema.
    @Test(arguments: RecordField.allCases.filter { $0.declaration.required })
    func aRequiredFieldIsRequiredByDecoderAndSchema(field: RecordField) throws {
        let text = Self.requiredOnly.replacing(try Regex("\(field.name): [^,}]*,? ?"), with: "")
        let (records, diagnostics) = Fixtures.records(text)
        #expect(records.isEmpty)
        #expect(diagnostics.map(\.message) == ["missing required field '\(field.name)'"])
        #expect(!(try JSONSchemaTests.errors(text, .records)).isEmpty, "\(text)")
    }

    /// Each field of the tables (but the mappings, read by their own fields) is a path a rule can read.
    @Test func everyFieldIsARecordPath() throws {
        let compiler = ExpressionCompiler(vocabulary: Fixtures.vocabulary)
        let paths =
            RecordField.allCases.filter { !$0.declaration.type.isMapping }.map(\.name)
            + RuptureField.allCases.map { "\(RecordField.rupture.name).\($0.name)" }
        for path in paths {
            if case .failure(let error) = compiler.compile(path, expecting: nil) { Issue.record("\(path): \(error)") }
        }
    }

    /// records.md's field table has a row per field in record order, its rupture row names
    /// every rupture field, and its list of CSV header names is the one CSV import reads.
    @Test func recordsDocumentationNamesEveryField() throws {
        let text = try String(contentsOfFile: Fixtures.repositoryRoot + "/docs/records.md", encoding: .utf8)
        let table = try #require(text.split(separator: "\n## ").first { $0.hasPrefix("Fields") })
        let rows = table.split(separator: "\n").filter { $0.hasPrefix("| `") }
        let names = rows.compactMap { $0.split(separator: "`").dropFirst().first.map(String.init) }
        #expect(names == RecordField.names + ["x-…"])
        let ruptureRow = try #require(rows.first { $0.hasPrefix("| `\(RecordField.rupture.name)` |") })
        for field in RuptureField.names { #expect(ruptureRow.contains("`\(field)`"), "\(field)") }

        let header = try #require(text.range(of: "Without a map the header must name record fields:"))
        let end = try #require(text.range(of: "and measures as", range: header.upperBound..<text.endIndex))
        let listed = text[header.upperBound..<end.lowerBound].split(separator: "`").enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        #expect(listed == CSVMap.fields)
    }

    /// The rules schema declares every rule key (and the kinds' expression keys), and nothing else.
    @Test func theRuleSchemaDeclaresEveryRuleKey() throws {
        let schema = JSONSchemaGenerator(registry: BuiltinKinds.registry, vocabulary: Fixtures.vocabulary)
            .schema(for: .rules).rendered()
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any])
        let rule = try #require((object["$defs"] as? [String: Any])?["rule"] as? [String: Any])
        let properties = try #require(rule["properties"] as? [String: Any])
        let expressionKeys = BuiltinKinds.registry.kinds.flatMap { $0.declaration.expressions.map(\.name) }
        #expect(Set(properties.keys) == Set(RuleModuleKey.names + expressionKeys))
        #expect(rule["additionalProperties"] as? Bool == false)
    }

    /// The decoder allows exactly the rule keys: a misspelt key gets a did-you-mean from the table.
    @Test func theDecoderSuggestsRuleKeysFromTheTable() {
        for key in RuleModuleKey.allCases where !key.isRequired && !key.isKindExpression {
            let misspelt = key.rawValue + "x"
            let ruleSet = Fixtures.ruleSet([
                "pack.yaml": Fixtures.minimalPackYAML,
                "r.yaml": """
                id: r
                title: R
                severity: low
                kind: threshold
                match: attended
                message: m
                \(misspelt): 1
                """,
            ])
            let messages = ruleSet.diagnostics.map(\.message)
            #expect(messages.contains("unknown key '\(misspelt)'; did you mean '\(key.rawValue)'?"), "\(messages)")
        }
    }
}
