import AttuneYAML

/// The `attune.kind/1` messages, JSON both ways (docs/plugins.md specifies them; `attune schema
/// plugin` gives their JSON Schema).
///
/// - declare: `{"protocol": "attune.kind/1", "type": "declare"}` → `{"protocol": "attune.kind/1",
///   "kinds": [{name, summary, details, scope, reads, params, expressions, placeholders, branches, examples}]}`
/// - evaluate, timeline scope: `{"protocol", "type": "evaluate", "kind", "params", "as_of", "client",
///   "episode", "records": [{index, expressions, and the fields the kind reads}]}`
/// - evaluate, caseload scope: `{"protocol", "type": "evaluate", "kind", "params", "as_of", "therapist",
///   "findings": [{index, rule, client, episode, opened, closed, values}], "attended": {client: [dates]}}`
/// - either → `{"findings": [{opened, closed, evidence, values}], "branches": [names]}` or `{"error": "why"}`
///
/// ```swift
/// let kinds = try KindProtocol.declarations(from: try transport.call(KindProtocol.declareRequest()), plugin: "wasm-streak")
/// ```
public enum KindProtocol {
    public static let version = "attune.kind/1"
    /// Parameter types a plugin may declare (`rules`: the rule ids a caseload kind reads findings of;
    /// `signals` and calibrations belong to built-in kinds).
    public static let parameterTypes = ["integer", "number", "string", "choice", "measure", "rules"]

    public static func declareRequest() -> [UInt8] {
        Array(JSON.object([("protocol", .string(version)), ("type", .string("declare"))]).rendered(pretty: false).utf8)
    }

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

    private static func declaration(_ node: Node, _ reader: inout ScalarReader) -> PluginKindDeclaration? {
        let before = reader.diagnostics.count
        var name = ""
        var summary = ""
        var details = ""
        var scope = KindDeclaration.Scope.timeline
        var reads: [PluginKindDeclaration.RecordField]?
        var branches: [KindBranch] = []
        var parameters: [ParameterDeclaration] = []
        var expressions: [ExpressionDeclaration] = []
        var placeholders: [PlaceholderDeclaration] = []
        var examples: [KindExample] = []
        for (key, pair) in reader.pairs(node, field: "a kind") ?? [] {
            let value = pair.value
            switch key {
            case "name":
                name = reader.string(value, field: "name") ?? ""
                if !name.isEmpty,
                    !name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") })
                {
                    reader.error(
                        .invalidValue, "kind name '\(name)' must be lowercase letters, digits, '-' and '_'", at: value)
                }
            case "summary": summary = reader.string(value, field: "summary") ?? ""
            case "details": details = reader.scalar(value, field: "details") ?? ""
            case "scope":
                let text = reader.string(value, field: "scope") ?? ""
                guard let known = KindDeclaration.Scope(rawValue: text) else {
                    reader.error(
                        .invalidValue,
                        "scope '\(text)' is not one of timeline (one client's episode at a time), caseload (one therapist's findings of the rules it reads)",
                        at: value)
                    continue
                }
                scope = known
            case "reads":
                let fields = PluginKindDeclaration.RecordField.allCases.map(\.rawValue)
                reads = []
                for word in reader.strings(value, field: "reads") ?? [] {
                    guard let field = PluginKindDeclaration.RecordField(rawValue: word) else {
                        reader.error(
                            .invalidValue,
                            "reads '\(word)', which is not a record field it may be sent ("
                                + fields.joined(separator: ", ") + ")" + Suggestion.phrase(for: word, in: fields),
                            at: value)
                        continue
                    }
                    reads?.append(field)
                }
            case "branches":
                for item in value.sequenceItems ?? [] {
                    var branchName = ""
                    var doc = ""
                    var parameter: String?
                    for (field, fieldPair) in reader.pairs(item, field: "a branch") ?? [] {
                        switch field {
                        case "name": branchName = reader.string(fieldPair.value, field: "name") ?? ""
                        case "doc": doc = reader.string(fieldPair.value, field: "doc") ?? ""
                        case "param": parameter = reader.string(fieldPair.value, field: "param")
                        default: reader.error(.unknownKey, "unknown key '\(field)' in a branch", at: fieldPair.key)
                        }
                    }
                    if branchName.isEmpty { reader.error(.missingKey, "a branch needs 'name'", at: item) }
                    branches.append(KindBranch(branchName, doc, parameter: parameter))
                }
            case "params":
                for item in value.sequenceItems ?? [] { if let p = parameter(item, &reader) { parameters.append(p) } }
            case "expressions":
                for item in value.sequenceItems ?? [] {
                    var expressionName = ""
                    var required = false
                    var doc = ""
                    for (field, fieldPair) in reader.pairs(item, field: "an expression") ?? [] {
                        switch field {
                        case "name": expressionName = reader.string(fieldPair.value, field: "name") ?? ""
                        case "required": required = reader.boolean(fieldPair.value, field: "required") ?? false
                        case "doc": doc = reader.string(fieldPair.value, field: "doc") ?? ""
                        default: reader.error(.unknownKey, "unknown key '\(field)' in an expression", at: fieldPair.key)
                        }
                    }
                    if let key = RuleModuleKey(rawValue: expressionName), !key.isKindExpression {
                        reader.error(
                            .invalidValue, "expression '\(expressionName)' has the name of a rule key", at: item)
                    }
                    expressions.append(ExpressionDeclaration(expressionName, required: required, doc: doc))
                }
            case "placeholders":
                for item in value.sequenceItems ?? [] {
                    var placeholderName = ""
                    var doc = ""
                    for (field, fieldPair) in reader.pairs(item, field: "a placeholder") ?? [] {
                        switch field {
                        case "name": placeholderName = reader.string(fieldPair.value, field: "name") ?? ""
                        case "doc": doc = reader.string(fieldPair.value, field: "doc") ?? ""
                        default: reader.error(.unknownKey, "unknown key '\(field)' in a placeholder", at: fieldPair.key)
                        }
                    }
                    placeholders.append(PlaceholderDeclaration(placeholderName, doc))
                }
            case "examples":
                for item in value.sequenceItems ?? [] { if let e = example(item, &reader) { examples.append(e) } }
            default: reader.error(.unknownKey, "unknown key '\(key)' in a kind", at: pair.key)
            }
        }
        for (field, text) in [("name", name), ("summary", summary)] where text.isEmpty {
            reader.error(.missingKey, "a kind needs '\(field)'", at: node)
        }
        var seen = Set<String>()
        for parameter in parameters where !seen.insert(parameter.name).inserted {
            reader.error(.invalidValue, "kind \(name) declares param '\(parameter.name)' twice", at: node)
        }
        var seenBranches = Set<String>()
        for branch in branches where !seenBranches.insert(branch.name).inserted {
            reader.error(.invalidValue, "kind \(name) declares branch '\(branch.name)' twice", at: node)
        }
        for branch in branches {
            if let parameter = branch.parameter, !seen.contains(parameter) {
                reader.error(
                    .invalidValue,
                    "branch '\(branch.name)' belongs to param '\(parameter)', which kind \(name) does not declare",
                    at: node)
            }
        }
        let readsRules = parameters.contains { $0.type == .ruleIDs }
        switch scope {
        case .timeline:
            if readsRules {
                reader.error(
                    .invalidValue,
                    "kind \(name) has a param of type rules, which only a caseload kind reads; declare scope: caseload",
                    at: node)
            }
        case .caseload:
            if !readsRules {
                reader.error(
                    .invalidValue,
                    "caseload kind \(name) needs a param of type rules: the rules whose findings it reads", at: node)
            }
            if reads != nil {
                reader.error(.invalidValue, "'reads' is for timeline kinds; a caseload kind gets findings", at: node)
            }
            if !expressions.isEmpty {
                reader.error(
                    .invalidValue, "'expressions' are for timeline kinds; a caseload kind gets findings", at: node)
            }
        }
        guard reader.diagnostics.count == before else { return nil }
        var declaration = KindDeclaration(
            name: name, summary: summary, details: details, parameters: parameters,
            expressions: expressions, placeholders: placeholders, examples: examples)
        declaration.scope = scope
        return PluginKindDeclaration(
            declaration: declaration, reads: reads ?? PluginKindDeclaration.RecordField.allCases, branches: branches)
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

    // MARK: evaluate

    /// The records of one timeline that pass `where`, each with the kind's expressions evaluated
    /// on it and only the fields the kind reads. Notes are never sent: a kind judges records, not
    /// what was said in the session.
    public static func evaluateRequest(
        kind: PluginKindDeclaration, parameters: [String: ParameterValue],
        timeline: RuleTimeline
    ) throws(EvaluationError) -> [UInt8] {
        let declaration = kind.declaration
        var writer = JSONWriter(pretty: false, capacity: 256 + 64 * timeline.indices.count)
        header(&writer, declaration, parameters, asOf: timeline.asOf)
        writer.key("client")
        writer.string(timeline.timeline.client)
        writer.key("episode")
        writer.string(timeline.timeline.episode)
        writer.key("records")
        writer.beginArray()
        let vocabulary = timeline.vocabulary
        for index in timeline.indices {
            let record = timeline[index]
            writer.beginObject()
            writer.key("index")
            writer.integer(index)
            for field in kind.reads {
                writer.key(field.rawValue)
                switch field {
                case .date: writer.date(record.date)
                case .attendance: writer.string(record.attendance.rawValue)
                case .session: writer.integer(record.session)
                case .measures:
                    writer.beginObject()
                    for (measureIndex, value) in zip(record.measures.indices, record.measures.values) {
                        writer.key(vocabulary.measures[Int(measureIndex)].name)
                        writer.number(value)
                    }
                    writer.endObject()
                case .tags:
                    writer.beginArray()
                    for tag in record.tags { writer.string(tag) }
                    writer.endArray()
                }
            }
            writer.key("expressions")
            writer.beginObject()
            for expression in declaration.expressions {
                writer.key(expression.name)
                writer.bool(
                    expression.name == "match"
                        ? try timeline.matches(index) : try timeline.holds(expression.name, at: index))
            }
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// One therapist's findings of the rules a caseload kind reads, and when each client
    /// attended (what a share of the active caseload is counted against).
    public static func evaluateRequest(
        kind: PluginKindDeclaration, parameters: [String: ParameterValue], caseload: CaseloadView
    ) -> [UInt8] {
        var writer = JSONWriter(pretty: false, capacity: 256 + 128 * caseload.findings.count)
        header(&writer, kind.declaration, parameters, asOf: caseload.asOf)
        writer.key("therapist")
        writer.string(caseload.therapist)
        writer.key("findings")
        writer.beginArray()
        for (index, finding) in caseload.findings.enumerated() {
            writer.beginObject()
            writer.key("index")
            writer.integer(index)
            writer.key("rule")
            writer.string(finding.rule)
            writer.key("client")
            writer.string(finding.subject.client)
            writer.key("episode")
            writer.string(finding.subject.episode)
            writer.key("opened")
            writer.date(finding.opened)
            writer.key("closed")
            if let closed = finding.closed { writer.date(closed) } else { writer.null() }
            writer.key("values")
            writer.beginObject()
            for name in finding.evidence.keys.sorted() {
                writer.key(name)
                writer.value(finding.evidence[name] ?? .null)
            }
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.key("attended")
        writer.beginObject()
        for client in caseload.attended.keys.sorted() {
            writer.key(client)
            writer.beginArray()
            for day in caseload.attended[client] ?? [] { writer.date(day) }
            writer.endArray()
        }
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    private static func header(
        _ writer: inout JSONWriter, _ kind: KindDeclaration, _ parameters: [String: ParameterValue], asOf: Day
    ) {
        writer.beginObject()
        writer.key("protocol")
        writer.string(version)
        writer.key("type")
        writer.string("evaluate")
        writer.key("kind")
        writer.string(kind.name)
        writer.key("params")
        writer.beginObject()
        for parameter in kind.parameters {
            writer.key(parameter.name)
            if let value = parameters[parameter.name] { writer.value(value.value) } else { writer.null() }
        }
        writer.endObject()
        writer.key("as_of")
        writer.date(asOf)
    }

    /// What an evaluate response says, checked: findings (dates, evidence among what was sent,
    /// values only for declared placeholders) and the declared branches it took. Anything that
    /// breaks the schema is an error, never dropped.
    public struct Answer: Sendable {
        public var findings: [FindingDraft]
        /// Branch names, once per time taken.
        public var branches: [String]
    }

    /// `sent`: the indices of the records sent, in order (timeline scope); nil for a caseload,
    /// whose findings carry no evidence records.
    public static func answer(
        from response: [UInt8], kind: PluginKindDeclaration, sent: [Int]?, asOf: Day, plugin: String
    ) throws(PluginError) -> Answer {
        let declaration = kind.declaration
        let node = try document(response, plugin: plugin, what: "evaluate response")
        var reader = ScalarReader(file: "<plugin \(plugin) evaluate response>")
        var drafts: [FindingDraft] = []
        var branches: [String] = []
        for (key, pair) in reader.pairs(node, field: "the evaluate response") ?? [] {
            switch key {
            case "error":
                throw PluginError(
                    plugin: plugin,
                    "kind \(declaration.name) reports an error: \(pair.value.scalarText ?? "(not text)")")
            case "branches":
                guard let items = pair.value.sequenceItems else {
                    reader.error(.invalidValue, "'branches' must be a list", at: pair.value)
                    continue
                }
                for item in items {
                    guard let name = reader.string(item, field: "branches") else { continue }
                    if kind.branches.contains(where: { $0.name == name }) {
                        branches.append(name)
                    } else {
                        reader.error(
                            .invalidValue, "branch '\(name)' is not one kind \(declaration.name) declares", at: item)
                    }
                }
            case "findings":
                guard let items = pair.value.sequenceItems else {
                    reader.error(.invalidValue, "'findings' must be a list", at: pair.value)
                    continue
                }
                for item in items {
                    if let draft = finding(item, declaration, sent: sent, asOf: asOf, &reader) { drafts.append(draft) }
                }
            default: reader.error(.unknownKey, "unknown key '\(key)' in the evaluate response", at: pair.key)
            }
        }
        if let first = reader.diagnostics.first {
            throw PluginError(
                plugin: plugin,
                "kind \(declaration.name) answered outside \(version): \(first.message) (at \(first.location.line):\(first.location.column) of its response)"
            )
        }
        return Answer(findings: drafts, branches: branches)
    }

    private static func finding(
        _ item: Node, _ kind: KindDeclaration, sent: [Int]?, asOf: Day, _ reader: inout ScalarReader
    ) -> FindingDraft? {
        var opened: Day?
        var closed: Day?
        var evidence: [Int] = []
        var values: [String: Value] = [:]
        var sawOpened = false
        for (field, fieldPair) in reader.pairs(item, field: "a finding") ?? [] {
            let value = fieldPair.value
            switch field {
            case "opened":
                sawOpened = true
                opened = reader.date(value, field: "opened")
            case "closed": closed = value.isNull ? nil : reader.date(value, field: "closed")
            case "evidence":
                guard let sent else {
                    reader.error(
                        .invalidValue, "a caseload finding has no evidence records; put what it counted in its values",
                        at: value)
                    continue
                }
                for entry in value.sequenceItems ?? [] {
                    guard let index = reader.integer(entry, field: "evidence", range: 0...Int(Int32.max)) else {
                        continue
                    }
                    // `sent` is in order: a binary search, not a set built per call.
                    var low = 0
                    var high = sent.count
                    while low < high {
                        let middle = (low + high) / 2
                        if sent[middle] < index { low = middle + 1 } else { high = middle }
                    }
                    if low < sent.count, sent[low] == index {
                        evidence.append(index)
                    } else {
                        reader.error(
                            .invalidValue, "evidence \(index) is not the index of a record it was sent", at: entry)
                    }
                }
            case "values":
                for (name, valuePair) in reader.pairs(value, field: "values") ?? [] {
                    guard kind.placeholders.contains(where: { $0.name == name }) else {
                        reader.error(
                            .invalidValue, "value '\(name)' is not a placeholder kind \(kind.name) declares",
                            at: valuePair.key)
                        continue
                    }
                    values[name] = scalarValue(valuePair.value)
                }
            default: reader.error(.unknownKey, "unknown key '\(field)' in a finding", at: fieldPair.key)
            }
        }
        if !sawOpened { reader.error(.invalidValue, "a finding needs 'opened'", at: item) }
        if let opened, let closed, closed < opened {
            reader.error(.invalidValue, "a finding closes (\(closed)) before it opens (\(opened))", at: item)
        }
        if let opened, opened > asOf {
            reader.error(.invalidValue, "a finding opens (\(opened)) after as-of (\(asOf))", at: item)
        }
        guard let opened else { return nil }
        return FindingDraft(opened: opened, closed: closed, evidence: evidence.sorted(), values: values)
    }

    private static func scalarValue(_ node: Node) -> Value {
        guard case .scalar(let text, let style) = node.content else { return .string(node.shapeName) }
        if style == .plain {
            if let number = ScalarReader.parseNumber(text) { return .number(number) }
            if text == "true" || text == "false" { return .bool(text == "true") }
            if node.isNull { return .null }
        }
        return .string(text)
    }

    private static func document(_ bytes: [UInt8], plugin: String, what: String) throws(PluginError) -> Node {
        do {
            return try JSONReader.document(
                in: .bytes(bytes),
                limits: DocumentLimits(allowsAliases: false, maxNodes: 10_000_000, maxDocumentNodes: 10_000_000))
        } catch let error as DocumentError {
            throw PluginError(plugin: plugin, "its \(what) is not JSON: \(error.message) (at \(error.mark))")
        } catch {
            throw PluginError(plugin: plugin, "its \(what) is not JSON: \(error)")
        }
    }
}
