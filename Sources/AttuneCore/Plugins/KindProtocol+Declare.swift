import AttuneYAML

extension KindProtocol {
    // MARK: declare

    /// The kinds a plugin declares; every problem with the answer is an error naming the plugin.
    public static func declarations(from response: [UInt8], plugin: String) throws(PluginError)
        -> [PluginKindDeclaration]
    {
        let file = "<plugin \(plugin) declare response>"
        let node = try document(response, plugin: plugin, what: "declare response")
        var reader = ScalarReader(file: file)
        var kinds: [PluginKindDeclaration] = []
        var protocolSeen = false
        for (key, pair) in reader.pairs(node, field: "the declare response") ?? [] {
            switch key {
            case "protocol":
                protocolSeen = true
                if let text = reader.string(pair.value, field: "protocol"), text != version {
                    reader.error(.invalidValue, "speaks '\(text)', but this Attune speaks \(version)", at: pair.value)
                }
            case "kinds":
                for item in pair.value.sequenceItems ?? [] {
                    if let kind = declaration(item, &reader) { kinds.append(kind) }
                }
                if pair.value.sequenceItems == nil {
                    reader.error(.invalidValue, "'kinds' must be a list", at: pair.value)
                }
            default: reader.error(.unknownKey, "unknown key '\(key)' in the declare response", at: pair.key)
            }
        }
        if !protocolSeen { reader.error(.invalidValue, "the declare response has no 'protocol: \(version)'", at: node) }
        if kinds.isEmpty, reader.diagnostics.isEmpty { reader.error(.invalidValue, "declares no kinds", at: node) }
        if let first = reader.diagnostics.first {
            throw PluginError(
                plugin: plugin,
                "\(first.message) (\(reader.diagnostics.count) problem(s) in its declare response, first at \(first.location.line):\(first.location.column))"
            )
        }
        return kinds
    }

    /// What a kind's declaration says, before the checks that look at it whole.
    private struct KindDraft {
        var name = ""
        var summary = ""
        var details = ""
        var scope = KindDeclaration.Scope.timeline
        var reads: [PluginKindDeclaration.RecordField]?
        var batch = false
        var recordLayout = PluginKindDeclaration.RecordLayout.json
        var branches: [KindBranch] = []
        var parameters: [ParameterDeclaration] = []
        var expressions: [ExpressionDeclaration] = []
        var placeholders: [PlaceholderDeclaration] = []
        var examples: [KindExample] = []
    }

    private static func declaration(_ node: Node, _ reader: inout ScalarReader) -> PluginKindDeclaration? {
        let before = reader.diagnostics.count
        var kind = KindDraft()
        for (key, pair) in reader.pairs(node, field: "a kind") ?? [] {
            read(key, pair.value, into: &kind, &reader, keyNode: pair.key)
        }
        checkNames(kind, node, &reader)
        checkLayout(kind, node, &reader)
        checkScope(kind, node, &reader)
        guard reader.diagnostics.count == before else { return nil }
        var declaration = KindDeclaration(
            name: kind.name, summary: kind.summary, details: kind.details, parameters: kind.parameters,
            expressions: kind.expressions, placeholders: kind.placeholders, examples: kind.examples)
        declaration.scope = kind.scope
        return PluginKindDeclaration(
            declaration: declaration, reads: kind.reads ?? PluginKindDeclaration.RecordField.allCases,
            branches: kind.branches, batch: kind.batch, recordLayout: kind.recordLayout)
    }

    /// One key of a kind's declaration.
    private static func read(
        _ key: String, _ value: Node, into kind: inout KindDraft, _ reader: inout ScalarReader, keyNode: Node
    ) {
        switch key {
        case "name":
            kind.name = reader.string(value, field: "name") ?? ""
            if !kind.name.isEmpty,
                !kind.name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") })
            {
                reader.error(
                    .invalidValue, "kind name '\(kind.name)' must be lowercase letters, digits, '-' and '_'", at: value)
            }
        case "summary": kind.summary = reader.string(value, field: "summary") ?? ""
        case "details": kind.details = reader.scalar(value, field: "details") ?? ""
        case "scope":
            let text = reader.string(value, field: "scope") ?? ""
            guard let known = KindDeclaration.Scope(rawValue: text) else {
                reader.error(
                    .invalidValue,
                    "scope '\(text)' is not one of timeline (one client's episode at a time), caseload (one therapist's findings of the rules it reads)",
                    at: value)
                return
            }
            kind.scope = known
        case "reads": kind.reads = recordFields(value, &reader)
        case "batch": kind.batch = reader.boolean(value, field: "batch") ?? false
        case "record_layout":
            let text = reader.string(value, field: "record_layout") ?? ""
            guard let layout = PluginKindDeclaration.RecordLayout(rawValue: text) else {
                reader.error(
                    .invalidValue,
                    "record_layout '\(text)' is not one of "
                        + PluginKindDeclaration.RecordLayout.allCases.map(\.rawValue).joined(separator: ", "),
                    at: value)
                return
            }
            kind.recordLayout = layout
        case "branches": kind.branches = (value.sequenceItems ?? []).map { branch($0, &reader) }
        case "params": kind.parameters = (value.sequenceItems ?? []).compactMap { parameter($0, &reader) }
        case "expressions": kind.expressions = (value.sequenceItems ?? []).map { expression($0, &reader) }
        case "placeholders": kind.placeholders = (value.sequenceItems ?? []).map { placeholder($0, &reader) }
        case "examples": kind.examples = (value.sequenceItems ?? []).compactMap { example($0, &reader) }
        default: reader.error(.unknownKey, "unknown key '\(key)' in a kind", at: keyNode)
        }
    }

    private static func recordFields(_ value: Node, _ reader: inout ScalarReader) -> [PluginKindDeclaration.RecordField]
    {
        let fields = PluginKindDeclaration.RecordField.allCases.map(\.rawValue)
        var reads: [PluginKindDeclaration.RecordField] = []
        for word in reader.strings(value, field: "reads") ?? [] {
            guard let field = PluginKindDeclaration.RecordField(rawValue: word) else {
                reader.error(
                    .invalidValue,
                    "reads '\(word)', which is not a record field it may be sent (" + fields.joined(separator: ", ")
                        + ")" + Suggestion.phrase(for: word, in: fields),
                    at: value)
                continue
            }
            reads.append(field)
        }
        return reads
    }

    private static func branch(_ item: Node, _ reader: inout ScalarReader) -> KindBranch {
        var name = ""
        var doc = ""
        var parameter: String?
        for (field, fieldPair) in reader.pairs(item, field: "a branch") ?? [] {
            switch field {
            case "name": name = reader.string(fieldPair.value, field: "name") ?? ""
            case "doc": doc = reader.string(fieldPair.value, field: "doc") ?? ""
            case "param": parameter = reader.string(fieldPair.value, field: "param")
            default: reader.error(.unknownKey, "unknown key '\(field)' in a branch", at: fieldPair.key)
            }
        }
        if name.isEmpty { reader.error(.missingKey, "a branch needs 'name'", at: item) }
        return KindBranch(name, doc, parameter: parameter)
    }

    private static func expression(_ item: Node, _ reader: inout ScalarReader) -> ExpressionDeclaration {
        var name = ""
        var required = false
        var doc = ""
        for (field, fieldPair) in reader.pairs(item, field: "an expression") ?? [] {
            switch field {
            case "name": name = reader.string(fieldPair.value, field: "name") ?? ""
            case "required": required = reader.boolean(fieldPair.value, field: "required") ?? false
            case "doc": doc = reader.string(fieldPair.value, field: "doc") ?? ""
            default: reader.error(.unknownKey, "unknown key '\(field)' in an expression", at: fieldPair.key)
            }
        }
        if let key = RuleModuleKey(rawValue: name), !key.isKindExpression {
            reader.error(.invalidValue, "expression '\(name)' has the name of a rule key", at: item)
        }
        return ExpressionDeclaration(name, required: required, doc: doc)
    }

    private static func placeholder(_ item: Node, _ reader: inout ScalarReader) -> PlaceholderDeclaration {
        var name = ""
        var doc = ""
        for (field, fieldPair) in reader.pairs(item, field: "a placeholder") ?? [] {
            switch field {
            case "name": name = reader.string(fieldPair.value, field: "name") ?? ""
            case "doc": doc = reader.string(fieldPair.value, field: "doc") ?? ""
            default: reader.error(.unknownKey, "unknown key '\(field)' in a placeholder", at: fieldPair.key)
            }
        }
        return PlaceholderDeclaration(name, doc)
    }

    /// Required names, and no param or branch named twice or belonging to a param not declared.
    private static func checkNames(_ kind: KindDraft, _ node: Node, _ reader: inout ScalarReader) {
        for (field, text) in [("name", kind.name), ("summary", kind.summary)] where text.isEmpty {
            reader.error(.missingKey, "a kind needs '\(field)'", at: node)
        }
        var seen = Set<String>()
        for parameter in kind.parameters where !seen.insert(parameter.name).inserted {
            reader.error(.invalidValue, "kind \(kind.name) declares param '\(parameter.name)' twice", at: node)
        }
        var seenBranches = Set<String>()
        for branch in kind.branches where !seenBranches.insert(branch.name).inserted {
            reader.error(.invalidValue, "kind \(kind.name) declares branch '\(branch.name)' twice", at: node)
        }
        for branch in kind.branches {
            if let parameter = branch.parameter, !seen.contains(parameter) {
                reader.error(
                    .invalidValue,
                    "branch '\(branch.name)' belongs to param '\(parameter)', which kind \(kind.name) does not declare",
                    at: node)
            }
        }
    }

    /// Expressions fit the bit set a record carries them in; the binary layout batches and has no tags.
    private static func checkLayout(_ kind: KindDraft, _ node: Node, _ reader: inout ScalarReader) {
        let most = KindProtocol.BinaryRecords.maximumExpressions
        if kind.expressions.count > most {
            reader.error(
                .invalidValue, "kind \(kind.name) declares \(kind.expressions.count) expressions; at most \(most)",
                at: node)
        }
        guard kind.recordLayout == .binary else { return }
        if !kind.batch {
            reader.error(.invalidValue, "record_layout binary is for batching kinds; declare batch: true", at: node)
        }
        if kind.reads?.contains(.tags) ?? true {
            reader.error(
                .invalidValue,
                "record_layout binary has no room for tags; declare reads without tags (or use record_layout json or columns)",
                at: node)
        }
    }

    /// A caseload kind reads rules' findings (a `rules` param) and nothing of records; a timeline kind no rules.
    private static func checkScope(_ kind: KindDraft, _ node: Node, _ reader: inout ScalarReader) {
        let readsRules = kind.parameters.contains { $0.type == .ruleIDs }
        switch kind.scope {
        case .timeline:
            if readsRules {
                reader.error(
                    .invalidValue,
                    "kind \(kind.name) has a param of type rules, which only a caseload kind reads; declare scope: caseload",
                    at: node)
            }
        case .caseload:
            if !readsRules {
                reader.error(
                    .invalidValue,
                    "caseload kind \(kind.name) needs a param of type rules: the rules whose findings it reads",
                    at: node)
            }
            if kind.reads != nil {
                reader.error(.invalidValue, "'reads' is for timeline kinds; a caseload kind gets findings", at: node)
            }
            if !kind.expressions.isEmpty {
                reader.error(
                    .invalidValue, "'expressions' are for timeline kinds; a caseload kind gets findings", at: node)
            }
            if kind.batch || kind.recordLayout != .json {
                reader.error(
                    .invalidValue, "'batch' and 'record_layout' are for timeline kinds; a caseload kind gets findings",
                    at: node)
            }
        }
    }

    private static func parameter(_ node: Node, _ reader: inout ScalarReader) -> ParameterDeclaration? {
        var name = ""
        var typeName = ""
        var doc = ""
        var minimum: Int?
        var maximum: Int?
        var choices: [String]?
        var defaultNode: Node?
        for (key, pair) in reader.pairs(node, field: "a param") ?? [] {
            switch key {
            case "name": name = reader.string(pair.value, field: "name") ?? ""
            case "type": typeName = reader.string(pair.value, field: "type") ?? ""
            case "doc": doc = reader.string(pair.value, field: "doc") ?? ""
            case "min": minimum = reader.integer(pair.value, field: "min", range: Int(Int32.min)...Int(Int32.max))
            case "max": maximum = reader.integer(pair.value, field: "max", range: Int(Int32.min)...Int(Int32.max))
            case "choices": choices = reader.strings(pair.value, field: "choices")
            case "default": defaultNode = pair.value
            default: reader.error(.unknownKey, "unknown key '\(key)' in a param", at: pair.key)
            }
        }
        let type: ParameterType
        switch typeName {
        case "integer":
            let low = minimum ?? Int(Int32.min)
            let high = maximum ?? Int(Int32.max)
            guard low <= high else {
                reader.error(.invalidValue, "param \(name): min is above max", at: node)
                return nil
            }
            type = .integer(low...high)
        case "number": type = .number
        case "string": type = .string
        case "measure": type = .measure
        case "rules": type = .ruleIDs
        case "choice":
            guard let choices, !choices.isEmpty else {
                reader.error(.missingKey, "param \(name): a choice needs 'choices'", at: node)
                return nil
            }
            type = .choice(choices)
        default:
            reader.error(
                .invalidValue,
                "param \(name): type '\(typeName)' is not one of " + parameterTypes.joined(separator: ", "), at: node)
            return nil
        }
        var defaultValue: ParameterValue?
        if let defaultNode {
            switch type {
            case .integer(let range):
                guard let i = reader.integer(defaultNode, field: "default", range: range) else { return nil }
                defaultValue = .integer(i)
            case .number:
                guard let n = reader.number(defaultNode, field: "default") else { return nil }
                defaultValue = .number(n)
            case .choice(let words):
                guard let text = reader.string(defaultNode, field: "default") else { return nil }
                guard words.contains(text) else {
                    reader.error(.invalidValue, "param \(name): default '\(text)' is not a choice", at: defaultNode)
                    return nil
                }
                defaultValue = .string(text)
            case .ruleIDs:
                reader.error(
                    .invalidValue, "param \(name): a rules param has no default; each rule names the rules it reads",
                    at: defaultNode)
                return nil
            default:
                guard let text = reader.string(defaultNode, field: "default") else { return nil }
                defaultValue = .string(text)
            }
        }
        guard !name.isEmpty else {
            reader.error(.missingKey, "a param needs 'name'", at: node)
            return nil
        }
        return ParameterDeclaration(name, type, default: defaultValue, doc: doc)
    }

    private static func example(_ node: Node, _ reader: inout ScalarReader) -> KindExample? {
        var name = ""
        var rule = ""
        var records = ""
        var asOf: String?
        var supportingRules: [String] = []
        var expect: [KindExample.Expectation] = []
        for (key, pair) in reader.pairs(node, field: "an example") ?? [] {
            switch key {
            case "name": name = reader.string(pair.value, field: "name") ?? ""
            case "rule": rule = reader.scalar(pair.value, field: "rule") ?? ""
            case "records": records = reader.scalar(pair.value, field: "records") ?? ""
            case "as_of": asOf = reader.date(pair.value, field: "as_of")?.description
            case "supporting_rules": supportingRules = reader.strings(pair.value, field: "supporting_rules") ?? []
            case "expect":
                for item in pair.value.sequenceItems ?? [] {
                    var opened: String?
                    var closed: String?
                    var client: String?
                    var therapist: String?
                    for (field, fieldPair) in reader.pairs(item, field: "an expected finding") ?? [] {
                        switch field {
                        case "opened": opened = reader.date(fieldPair.value, field: "opened")?.description
                        case "client": client = reader.string(fieldPair.value, field: "client")
                        case "therapist": therapist = reader.string(fieldPair.value, field: "therapist")
                        case "closed":
                            closed =
                                fieldPair.value.isNull
                                ? nil : reader.date(fieldPair.value, field: "closed")?.description
                        default:
                            reader.error(
                                .unknownKey, "unknown key '\(field)' in an expected finding", at: fieldPair.key)
                        }
                    }
                    guard let opened else {
                        reader.error(.missingKey, "an expected finding needs 'opened'", at: item)
                        continue
                    }
                    expect.append(.init(opened: opened, closed: closed, client: client, therapist: therapist))
                }
            default: reader.error(.unknownKey, "unknown key '\(key)' in an example", at: pair.key)
            }
        }
        guard !name.isEmpty, !records.isEmpty else {
            reader.error(.missingKey, "an example needs 'name' and 'records'", at: node)
            return nil
        }
        return KindExample(
            name: name, rule: rule, records: records, asOf: asOf, expect: expect, supportingRules: supportingRules)
    }
}
