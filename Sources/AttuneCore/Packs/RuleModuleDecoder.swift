import AttuneYAML

/// Checks one rule module against the kinds' declarations and the vocabulary, and builds the
/// `Rule`. Every problem is reported at its key or token, all of them in one pass.
///
/// The keys a module may have are `RuleModuleKey`s plus the expression keys of its kind;
/// params are read by `ParameterDecoder`, expressions by `ModuleExpressionReader` and tests by
/// `RuleTestDecoder`.
///
/// ```swift
/// let decoder = RuleModuleDecoder(registry: registry, vocabulary: vocabulary)
/// let rule = decoder.decode(node, file: "rules/drop.yaml", pack: "rules", diagnostics: &diagnostics)
/// ```
public struct RuleModuleDecoder: Sendable {
    public let registry: KindRegistry
    public let vocabulary: Vocabulary
    /// The files' bytes by path, when known: they locate tokens inside multi-line scalars
    /// (`match: >-` blocks), whose folded text no longer says where a line began.
    public var sources: [String: [UInt8]] = [:]
    /// Calibration files (`expected/ors.yaml`) by their path inside a pack; a later pack's file of
    /// the same path replaces an earlier one's, so a site pack calibrates a default rule.
    public var calibrationFiles: [String: PackSource.File] = [:]

    public init(registry: KindRegistry, vocabulary: Vocabulary) {
        self.registry = registry
        self.vocabulary = vocabulary
    }

    /// The id of a module and whether it only switches a rule off (`{id: x, enabled: false}`).
    static func peek(_ node: Node) -> (id: String?, idNode: Node?, switchOffOnly: Bool, override: Bool) {
        guard let pairs = node.mappingPairs else { return (nil, nil, false, false) }
        var id: String?
        var idNode: Node?
        var enabled = true
        var override = false
        var otherKeys = 0
        for pair in pairs {
            switch pair.key.scalarText.flatMap(RuleModuleKey.init(rawValue:)) {
            case .id?:
                id = pair.value.scalarText
                idNode = pair.value
            case .enabled?: enabled = pair.value.scalarText != "false"
            case .override?: override = pair.value.scalarText == "true"
            default: otherKeys += 1
            }
        }
        return (id, idNode, !enabled && otherKeys == 0, override)
    }

    public func decode(_ node: Node, file: String, pack: String, diagnostics: inout [Diagnostic]) -> Rule? {
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let pairs = reader.pairs(node, field: "a rule module") else { return nil }
        let module = Module(node: node, pairs: pairs)
        // Which keys the named kind reads decides which other keys are allowed.
        let registration = kindRegistration(module, &reader)
        let declaration = registration?.declaration
        checkKeys(module, declaration, &reader)
        var header = decodeHeader(module, &reader)
        let expressionReader = ModuleExpressionReader(vocabulary: vocabulary, sources: sources)
        let whereExpression = module[.where].flatMap {
            expressionReader.expression($0.value, key: RuleModuleKey.where.rawValue, &reader)
        }
        let expressions = kindExpressions(module, declaration, expressionReader, &reader)
        var parameters: [String: ParameterValue] = [:]
        var parameterConstants: [String: String] = [:]
        if let declaration {
            parameters = ParameterDecoder(
                vocabulary: vocabulary, calibrationFiles: calibrationFiles, expressions: expressionReader
            ).decodeParameters(module[.params], declaration, ruleNode: node, &parameterConstants, &reader)
        }
        if header.enabled, lacksCalibration(parameters, module, &reader) { header.enabled = false }
        var message: MessageTemplate?
        var messageExpressions: [String: CompiledExpression] = [:]
        if let pair = module[.message], let text = reader.scalar(pair.value, field: "message") {
            message = checkMessage(text, pair.value, declaration, expressionReader, &messageExpressions, &reader)
        }
        let tests = module[.tests].map { RuleTestDecoder(vocabulary: vocabulary).decodeTests($0.value, &reader) } ?? []

        guard let registration, let declaration, let severity = header.severity, let message, !header.id.isEmpty
        else { return nil }
        // A param that did not read has its error already; the kind would only add a second one.
        guard declaration.parameters.allSatisfy({ parameters[$0.name] != nil }),
            let kind = makeKind(registration, parameters, module, &reader), reader.diagnostics.errors.isEmpty
        else { return nil }
        return Rule(
            id: header.id, title: header.title, severity: severity, kindName: declaration.name, kind: kind,
            registration: registration, whereExpression: whereExpression, expressions: expressions,
            parameters: parameters, message: message, messageExpressions: messageExpressions,
            guidance: header.guidance, references: header.references, tags: header.tags, enabled: header.enabled,
            tests: tests, pack: pack, location: reader.location(node),
            keyLocations: keyLocations(module, declaration, reader), parameterConstants: parameterConstants)
    }

    /// One test case: an inline test (`expect` items name no rule) or a scenario (they do).
    func decodeTest(
        _ node: Node, requireRule: Bool, recordsFile: ((String, Node) -> [Node]?)? = nil,
        _ reader: inout ScalarReader
    ) -> RuleTest? {
        RuleTestDecoder(vocabulary: vocabulary).decodeTest(
            node, requireRule: requireRule, recordsFile: recordsFile, &reader)
    }

    static func isKebabCase(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && !text.hasSuffix("-") && !text.contains("--")
            && text.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    // MARK: Keys

    /// A rule module's pairs, and each by its key (the last of a repeated key, which
    /// `ScalarReader.pairs` has reported).
    private struct Module {
        let node: Node
        let pairs: [(key: String, pair: Node.Pair)]
        let byKey: [String: Node.Pair]

        init(node: Node, pairs: [(key: String, pair: Node.Pair)]) {
            self.node = node
            self.pairs = pairs
            var byKey: [String: Node.Pair] = [:]
            for (key, pair) in pairs { byKey[key] = pair }
            self.byKey = byKey
        }

        subscript(key: RuleModuleKey) -> Node.Pair? { byKey[key.rawValue] }
        subscript(name: String) -> Node.Pair? { byKey[name] }
    }

    /// The kind the module names; an unknown kind is reported with the kinds there are.
    private func kindRegistration(_ module: Module, _ reader: inout ScalarReader) -> KindRegistration? {
        guard let kindPair = module[.kind], let name = reader.string(kindPair.value, field: "kind") else { return nil }
        guard let registration = registry[name] else {
            reader.error(
                .unknownKind,
                "unknown kind '\(name)'" + Suggestion.phrase(for: name, in: registry.names)
                    + " (kinds: \(registry.names.joined(separator: ", ")))", at: kindPair.value)
            return nil
        }
        return registration
    }

    /// Every key is a rule key or an expression key of the kind (`match` without a known kind),
    /// and every required rule key is there.
    private func checkKeys(_ module: Module, _ declaration: KindDeclaration?, _ reader: inout ScalarReader) {
        let expressionKeys = declaration?.expressions.map(\.name) ?? [RuleModuleKey.match.rawValue]
        let allowedKeys = RuleModuleKey.allCases.filter { !$0.isKindExpression }.map(\.rawValue) + expressionKeys
        for (key, pair) in module.pairs where !allowedKeys.contains(key) {
            if RuleModuleKey(rawValue: key) != nil {
                reader.error(.unknownKey, "kind \(declaration?.name ?? "?") does not read '\(key)'", at: pair.key)
            } else {
                reader.error(
                    .unknownKey, "unknown key '\(key)'" + Suggestion.phrase(for: key, in: allowedKeys), at: pair.key)
            }
        }
        for required in RuleModuleKey.required where module[required] == nil {
            reader.error(.missingKey, "rule is missing required key '\(required.rawValue)'", at: module.node)
        }
    }

    /// The keys every rule has whatever its kind.
    private struct Header {
        var id = "", title = "", guidance = ""
        var severity: Severity?
        var references: [String] = [], tags: [String] = []
        var enabled = true
    }

    private func decodeHeader(_ module: Module, _ reader: inout ScalarReader) -> Header {
        var header = Header()
        if let pair = module[.id], let text = reader.string(pair.value, field: "id") {
            if Self.isKebabCase(text) {
                header.id = text
            } else {
                reader.error(
                    .invalidValue,
                    "rule id '\(text)' must be kebab-case (lowercase letters and digits joined by '-')", at: pair.value)
            }
        }
        header.title = module[.title].flatMap { reader.string($0.value, field: "title") } ?? ""
        header.severity = module[.severity].flatMap {
            reader.enumeration($0.value, field: "severity", as: Severity.self)
        }
        header.guidance = module[.guidance].flatMap { reader.scalar($0.value, field: "guidance") } ?? ""
        header.references = module[.references].flatMap { reader.strings($0.value, field: "references") } ?? []
        header.tags = module[.tags].flatMap { reader.strings($0.value, field: "tags") } ?? []
        header.enabled = module[.enabled].flatMap { reader.boolean($0.value, field: "enabled") } ?? true
        if let pair = module[.override] { _ = reader.boolean(pair.value, field: "override") }
        return header
    }

    /// The expressions the kind declares, compiled; a missing required one is reported.
    private func kindExpressions(
        _ module: Module, _ declaration: KindDeclaration?, _ expressionReader: ModuleExpressionReader,
        _ reader: inout ScalarReader
    ) -> [String: CompiledExpression] {
        guard let declaration else { return [:] }
        var expressions: [String: CompiledExpression] = [:]
        for declared in declaration.expressions {
            if let pair = module[declared.name] {
                if let compiled = expressionReader.expression(pair.value, key: declared.name, &reader) {
                    expressions[declared.name] = compiled
                }
            } else if declared.required {
                reader.error(
                    .missingKey, "kind \(declaration.name) needs '\(declared.name)': \(declared.doc.lowercasedFirst)",
                    at: module.node)
            }
        }
        return expressions
    }

    // MARK: Params

    /// Whether a calibration file the params name is in no pack yet: then the rule is off, and
    /// a note says how to make the file.
    private func lacksCalibration(
        _ parameters: [String: ParameterValue], _ module: Module, _ reader: inout ScalarReader
    ) -> Bool {
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard case .calibration(let path, nil) = value else { continue }
            let measure = parameters["measure"].map(\.displayText) ?? "MEASURE"
            let at = paramValue(name, module) ?? module.node
            reader.diagnostics.append(
                .note(
                    .calibration,
                    "rule '\(module[.id]?.value.scalarText ?? "?")' is off until a pack holds the calibration file '\(path)'"
                        + Suggestion.phrase(for: path, in: calibrationFiles.keys.sorted())
                        + "; make one from the clinic's closed episodes with: attune calibrate RECORDS --measure \(measure) --out SITE-PACK/\(path) "
                        + "(SITE-PACK: a pack folder loaded after this one, such as the one given to --rules)",
                    at: reader.location(at)))
            return true
        }
        return false
    }

    private func paramValue(_ name: String, _ module: Module) -> Node? {
        module[.params]?.value.mappingPairs?.first { $0.key.scalarText == name }?.value
    }

    /// The kind made with the params; its error is reported at the param it names.
    private func makeKind(
        _ registration: KindRegistration, _ parameters: [String: ParameterValue], _ module: Module,
        _ reader: inout ScalarReader
    ) -> (any Detector)? {
        do {
            return try registration.make(KindConfiguration(parameters: parameters, vocabulary: vocabulary))
        } catch {
            let at =
                error.parameter.flatMap { paramValue($0, module) } ?? module[.params]?.key ?? module[.kind]?.key
                ?? module.node
            reader.error(error.check, error.message, at: at)
            return nil
        }
    }

    /// Where each key, param and param value is ("params.rules.some-id"), so later checks can point at them.
    private func keyLocations(_ module: Module, _ declaration: KindDeclaration, _ reader: ScalarReader)
        -> [String: SourceLocation]
    {
        var keyLocations: [String: SourceLocation] = [:]
        for (key, pair) in module.pairs { keyLocations[key] = reader.location(pair.key) }
        for param in module[.params]?.value.mappingPairs ?? [] {
            guard let name = param.key.scalarText else { continue }
            keyLocations["params.\(name)"] = reader.location(param.key)
            for item in param.value.sequenceItems ?? [param.value] {
                if let text = item.scalarText { keyLocations["params.\(name).\(text)"] = reader.location(item) }
            }
            // Signals by position ("params.signals.0"), for coverage and mutation reports.
            if case .signals? = declaration.parameter(name)?.type {
                for (position, item) in (param.value.sequenceItems ?? []).enumerated() {
                    keyLocations["params.\(name).\(position)"] = reader.location(item)
                }
            }
        }
        return keyLocations
    }

    // MARK: Message

    /// Placeholders are the kind's names, or else paths and pack names read from the last evidence record.
    private func checkMessage(
        _ text: String, _ node: Node, _ declaration: KindDeclaration?, _ expressionReader: ModuleExpressionReader,
        _ expressions: inout [String: CompiledExpression], _ reader: inout ScalarReader
    ) -> MessageTemplate? {
        switch MessageTemplate.parse(text) {
        case .failure(let error):
            reader.diagnostics.append(
                .error(
                    .placeholder, "in 'message': \(error.message)",
                    at: expressionReader.location(of: node, offset: error.offset, reader)))
            return nil
        case .success(let template):
            if let problem = template.exceedsLimits {
                reader.error(.placeholder, "message \(problem)", at: node)
                return nil
            }
            guard let declaration else { return template }
            let known = declaration.allPlaceholders.map(\.name)
            for (name, offset) in template.placeholders where !known.contains(name) {
                if RecordPath.isFreeText(name) {
                    // A message is in every format and copy of the report; notes appear only in
                    // the evidence, and only with --include-notes.
                    reader.diagnostics.append(
                        .error(
                            .placeholder,
                            "placeholder '{\(name)}' would put free-text session notes in every report; notes are never part of "
                                + "a message (with --include-notes they appear in the finding's evidence)",
                            at: expressionReader.location(of: node, offset: offset, reader)))
                    continue
                }
                if declaration.scope == .timeline,
                    case .success(let compiled) = ExpressionCompiler(vocabulary: vocabulary).compile(
                        name, expecting: nil)
                {
                    expressions[name] = compiled
                    continue
                }
                reader.diagnostics.append(
                    .error(
                        .placeholder,
                        "placeholder '{\(name)}' is not provided by kind \(declaration.name)"
                            + Suggestion.phrase(for: name, in: known)
                            + " (it provides: \(known.joined(separator: ", "))"
                            + (declaration.scope == .timeline ? ", and record paths such as measures.srs" : "") + ")",
                        at: expressionReader.location(of: node, offset: offset, reader)))
            }
            return template
        }
    }
}

extension String {
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
