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
/// - a kind that declares `batch: true` gets `"timelines": [{client, episode, records}]` instead and
///   answers `{"results": [one answer per timeline]}`; `record_layout` (`columns`, `binary`) says how
///   records are laid out (KindProtocol+Batch.swift)
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

    // MARK: evaluate

    /// The records of one timeline that pass `where`, each with the kind's expressions evaluated
    /// on it and only the fields the kind reads. Notes are never sent: a kind judges records, not
    /// what was said in the session.
    public static func evaluateRequest(
        kind: PluginKindDeclaration, parameters: [String: ParameterValue],
        timeline: RuleTimeline
    ) throws(EvaluationError) -> [UInt8] {
        var bits: [UInt32] = []
        try expressionBits(kind, timeline, into: &bits)
        var writer = JSONWriter(pretty: false, capacity: 256 + 64 * timeline.indices.count)
        header(
            &writer, kind.declaration, parameters, asOf: timeline.asOf, countsBranches: timeline.context.coverage != nil
        )
        writeTimeline(&writer, kind, timeline, bits)
        writer.endObject()
        return writer.bytes
    }

    /// One therapist's findings of the rules a caseload kind reads, and when each client
    /// attended (what a share of the active caseload is counted against).
    public static func evaluateRequest(
        kind: PluginKindDeclaration, parameters: [String: ParameterValue], caseload: CaseloadView
    ) -> [UInt8] {
        var writer = JSONWriter(pretty: false, capacity: 256 + 128 * caseload.findings.count)
        header(&writer, kind.declaration, parameters, asOf: caseload.asOf, countsBranches: caseload.coverage != nil)
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
            for name in finding.values.keys.sorted() {
                writer.key(name)
                writer.value(finding.values[name] ?? .null)
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

    /// `countsBranches`: whether anyone counts the branches the kind takes (`attune test
    /// --coverage`); when not, a kind may leave `branches` out of its answer.
    static func header(
        _ writer: inout JSONWriter, _ kind: KindDeclaration, _ parameters: [String: ParameterValue], asOf: Day,
        countsBranches: Bool
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
        writer.key("coverage")
        writer.bool(countsBranches)
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
        let node = try document(response, plugin: plugin, what: "evaluate response")
        return try answer(
            node, kind: kind, sent: sent, asOf: asOf, plugin: plugin, file: "<plugin \(plugin) evaluate response>")
    }

    /// One answer of a response (the whole response, or one of a batch's `results`).
    static func answer(
        _ node: Node, kind: PluginKindDeclaration, sent: [Int]?, asOf: Day, plugin: String, file: String
    ) throws(PluginError) -> Answer {
        let declaration = kind.declaration
        var reader = ScalarReader(file: file)
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
        return FindingDraft(
            opened: opened, closed: closed, evidence: evidence.sorted(), values: FindingValues(values))
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

    static func document(_ bytes: [UInt8], plugin: String, what: String) throws(PluginError) -> Node {
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
