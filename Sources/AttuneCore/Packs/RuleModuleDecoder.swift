import AttuneYAML

/// Checks one rule module against the kinds' declarations and the vocabulary, and builds the
/// `Rule`. Every problem is reported at its key or token, all of them in one pass.
///
/// ```swift
/// let decoder = RuleModuleDecoder(registry: registry, vocabulary: vocabulary)
/// let rule = decoder.decode(node, file: "rules/drop.yaml", pack: "rules", diagnostics: &diagnostics)
/// ```
public struct RuleModuleDecoder: Sendable {
    public static let keys = [
        "id", "title", "severity", "kind", "where", "match", "params", "message", "guidance",
        "references", "tags", "enabled", "override", "tests",
    ]
    public static let testKeys = ["name", "as_of", "constants", "records", "expect"]
    public static let expectKeys = [
        "rule", "client", "episode", "therapist", "opened", "closed", "severity", "message_contains",
    ]

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
            switch pair.key.scalarText {
            case "id":
                id = pair.value.scalarText
                idNode = pair.value
            case "enabled": enabled = pair.value.scalarText != "false"
            case "override": override = pair.value.scalarText == "true"
            default: otherKeys += 1
            }
        }
        return (id, idNode, !enabled && otherKeys == 0, override)
    }

    public func decode(_ node: Node, file: String, pack: String, diagnostics: inout [Diagnostic]) -> Rule? {
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let pairs = reader.pairs(node, field: "a rule module") else { return nil }
        var nodes: [String: Node.Pair] = [:]
        for (key, pair) in pairs { nodes[key] = pair }

        // Which keys the named kind reads decides which other keys are allowed.
        var registration: KindRegistration?
        if let kindPair = nodes["kind"], let name = reader.string(kindPair.value, field: "kind") {
            registration = registry[name]
            if registration == nil {
                reader.error(
                    .unknownKind,
                    "unknown kind '\(name)'" + Suggestion.phrase(for: name, in: registry.names)
                        + " (kinds: \(registry.names.joined(separator: ", ")))", at: kindPair.value)
            }
        }
        let declaration = registration?.declaration
        let expressionKeys = declaration?.expressions.map(\.name) ?? ["match"]
        let allowedKeys = Self.keys.filter { $0 != "match" } + expressionKeys
        for (key, pair) in pairs where !allowedKeys.contains(key) {
            if Self.keys.contains(key) || registration == nil {
                if !Self.keys.contains(key) {
                    reader.error(
                        .unknownKey, "unknown key '\(key)'" + Suggestion.phrase(for: key, in: allowedKeys), at: pair.key
                    )
                } else {
                    reader.error(.unknownKey, "kind \(declaration?.name ?? "?") does not read '\(key)'", at: pair.key)
                }
            } else {
                reader.error(
                    .unknownKey, "unknown key '\(key)'" + Suggestion.phrase(for: key, in: allowedKeys), at: pair.key)
            }
        }
        for required in ["id", "title", "severity", "kind", "message"] where nodes[required] == nil {
            reader.error(.missingKey, "rule is missing required key '\(required)'", at: node)
        }

        var id = ""
        if let pair = nodes["id"], let text = reader.string(pair.value, field: "id") {
            if Self.isKebabCase(text) {
                id = text
            } else {
                reader.error(
                    .invalidValue,
                    "rule id '\(text)' must be kebab-case (lowercase letters and digits joined by '-')", at: pair.value)
            }
        }
        let title = nodes["title"].flatMap { reader.string($0.value, field: "title") } ?? ""
        let severity = nodes["severity"].flatMap { reader.enumeration($0.value, field: "severity", as: Severity.self) }
        let guidance = nodes["guidance"].flatMap { reader.scalar($0.value, field: "guidance") } ?? ""
        let references = nodes["references"].flatMap { reader.strings($0.value, field: "references") } ?? []
        let tags = nodes["tags"].flatMap { reader.strings($0.value, field: "tags") } ?? []
        var enabled = nodes["enabled"].flatMap { reader.boolean($0.value, field: "enabled") } ?? true
        if let pair = nodes["override"] { _ = reader.boolean(pair.value, field: "override") }

        var whereExpression: CompiledExpression?
        if let pair = nodes["where"] { whereExpression = expression(pair.value, key: "where", &reader) }
        var expressions: [String: CompiledExpression] = [:]
        for declared in declaration?.expressions ?? [] {
            if let pair = nodes[declared.name] {
                if let compiled = expression(pair.value, key: declared.name, &reader) {
                    expressions[declared.name] = compiled
                }
            } else if declared.required {
                reader.error(
                    .missingKey,
                    "kind \(declaration!.name) needs '\(declared.name)': \(declared.doc.lowercasedFirst)", at: node)
            }
        }

        var parameters: [String: ParameterValue] = [:]
        var parameterConstants: [String: String] = [:]
        if let declaration {
            parameters = decodeParameters(nodes["params"], declaration, ruleNode: node, &parameterConstants, &reader)
        }
        // A rule whose calibration file no pack holds yet is off, and lint says how to make one.
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            guard case .calibration(let path, nil) = value, enabled else { continue }
            enabled = false
            let measure = parameters["measure"].map(\.displayText) ?? "MEASURE"
            let at = nodes["params"]?.value.mappingPairs?.first { $0.key.scalarText == name }?.value ?? node
            reader.diagnostics.append(
                .note(
                    .calibration,
                    "rule '\(nodes["id"]?.value.scalarText ?? "?")' is off until a pack holds the calibration file '\(path)'"
                        + Suggestion.phrase(for: path, in: calibrationFiles.keys.sorted())
                        + "; make one from the clinic's closed episodes with: attune calibrate RECORDS --measure \(measure) --out SITE-PACK/\(path) "
                        + "(SITE-PACK: a pack folder loaded after this one, such as the one given to --rules)",
                    at: reader.location(at)))
        }

        var message: MessageTemplate?
        var messageExpressions: [String: CompiledExpression] = [:]
        if let pair = nodes["message"], let text = reader.scalar(pair.value, field: "message") {
            message = checkMessage(text, pair.value, declaration, &messageExpressions, &reader)
        }

        let tests = nodes["tests"].map { decodeTests($0.value, &reader) } ?? []

        guard let registration, let declaration, let severity, let message, !id.isEmpty else { return nil }
        // A param that did not read has its error already; the kind would only add a second one.
        guard declaration.parameters.allSatisfy({ parameters[$0.name] != nil }) else { return nil }
        let kind: any Detector
        do {
            kind = try registration.make(KindConfiguration(parameters: parameters, vocabulary: vocabulary))
        } catch {
            let at =
                error.parameter.flatMap { name in
                    nodes["params"]?.value.mappingPairs?.first { $0.key.scalarText == name }?.value
                }
                ?? nodes["params"]?.key ?? nodes["kind"]!.key
            reader.error(error.check, error.message, at: at)
            return nil
        }
        guard reader.diagnostics.errors.isEmpty else { return nil }
        var keyLocations: [String: SourceLocation] = [:]
        for (key, pair) in pairs { keyLocations[key] = reader.location(pair.key) }
        // Params and their scalar values ("params.rules.some-id"), so later checks can point at them.
        for param in nodes["params"]?.value.mappingPairs ?? [] {
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
        return Rule(
            id: id, title: title, severity: severity, kindName: declaration.name, kind: kind,
            registration: registration,
            whereExpression: whereExpression, expressions: expressions, parameters: parameters,
            message: message, messageExpressions: messageExpressions, guidance: guidance, references: references,
            tags: tags, enabled: enabled,
            tests: tests, pack: pack, location: reader.location(node), keyLocations: keyLocations,
            parameterConstants: parameterConstants)
    }

    static func isKebabCase(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-") && !text.hasSuffix("-") && !text.contains("--")
            && text.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    /// Where a character of a scalar's text stands in the file.
    func location(of node: Node, offset: Int, _ reader: ScalarReader) -> SourceLocation {
        if let bytes = sources[reader.file], let text = node.scalarText,
            let mark = Self.sourceMark(ofOffset: offset, in: text, startingAt: node.mark, source: bytes)
        {
            return SourceLocation(file: reader.file, mark: mark)
        }
        var location = reader.location(node)
        if case .scalar(_, .quoted) = node.content { location.column += 1 }
        location.column += offset
        return location
    }

    /// Finds the `offset`-th character of a scalar's text in its source. Folding and indentation
    /// change only whitespace, so the scalar's non-blank characters appear in the source in the
    /// same order: count them from where the scalar starts (after a `|`/`>` header line or an
    /// opening quote). Offsets past the last character land just after it.
    static func sourceMark(ofOffset offset: Int, in text: String, startingAt start: Mark, source: [UInt8]) -> Mark? {
        let scalars = Array(text.unicodeScalars)
        guard offset >= 0, offset <= scalars.count else { return nil }
        var target = scalars[..<offset].filter { !$0.properties.isWhitespace }.count
        var pastEnd = false
        if !scalars[offset...].contains(where: { !$0.properties.isWhitespace }) {
            guard target > 0 else { return nil }
            target -= 1
            pastEnd = true
        }
        let lines = String(decoding: source, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { Array($0.unicodeScalars) }
        var line = start.line - 1
        var column = start.column - 1
        guard line >= 0, line < lines.count, column >= 0, column <= lines[line].count else { return nil }
        if column < lines[line].count {
            switch lines[line][column] {
            case "|", ">":
                line += 1
                column = 0
            case "'", "\"":
                column += 1
            default:
                break
            }
        }
        var seen = 0
        while line < lines.count {
            while column < lines[line].count {
                let scalar = lines[line][column]
                if !scalar.properties.isWhitespace {
                    if seen == target { return Mark(line: line + 1, column: column + 1 + (pastEnd ? 1 : 0)) }
                    seen += 1
                }
                column += 1
            }
            line += 1
            column = 0
        }
        return nil
    }

    func expression(_ node: Node, key: String, expecting: ValueType? = .bool, _ reader: inout ScalarReader)
        -> CompiledExpression?
    {
        guard let text = reader.scalar(node, field: key) else { return nil }
        switch ExpressionCompiler(vocabulary: vocabulary).compile(text, expecting: expecting) {
        case .success(let compiled):
            return compiled
        case .failure(.errors(let errors)):
            for error in errors {
                reader.diagnostics.append(
                    .error(
                        .expression, "in '\(key)': \(error.message)",
                        at: location(of: node, offset: error.offset, reader)))
            }
            return nil
        }
    }

    /// Placeholders are the kind's names, or else paths and pack names read from the last evidence record.
    private func checkMessage(
        _ text: String, _ node: Node, _ declaration: KindDeclaration?,
        _ expressions: inout [String: CompiledExpression], _ reader: inout ScalarReader
    ) -> MessageTemplate? {
        switch MessageTemplate.parse(text) {
        case .failure(let error):
            reader.diagnostics.append(
                .error(
                    .placeholder, "in 'message': \(error.message)", at: location(of: node, offset: error.offset, reader)
                ))
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
                            at: location(of: node, offset: offset, reader)))
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
                        at: location(of: node, offset: offset, reader)))
            }
            return template
        }
    }

    // MARK: Parameters

    private func decodeParameters(
        _ pair: Node.Pair?, _ declaration: KindDeclaration, ruleNode: Node,
        _ constantNames: inout [String: String], _ reader: inout ScalarReader
    ) -> [String: ParameterValue] {
        var values: [String: ParameterValue] = [:]
        let names = declaration.parameters.map(\.name)
        if let pair {
            for (name, param) in reader.pairs(pair.value, field: "params") ?? [] {
                guard let parameter = declaration.parameter(name) else {
                    reader.error(
                        .unknownKey,
                        "unknown param '\(name)' for kind \(declaration.name)" + Suggestion.phrase(for: name, in: names)
                            + (names.isEmpty ? " (it takes none)" : " (it takes: \(names.joined(separator: ", ")))"),
                        at: param.key)
                    continue
                }
                guard let value = decodeParameter(param.value, parameter, &reader) else { continue }
                values[name] = value
                // Kept by name, so that a copy of the rule made with other constants (a test's own
                // `constants:`, a mutant) reads the value it was given, not the pack's.
                if case .scalar(let text, .plain) = param.value.content, vocabulary.constants[text] != nil {
                    constantNames[name] = text
                }
            }
        }
        for parameter in declaration.parameters where values[parameter.name] == nil {
            if let value = parameter.defaultValue {
                values[parameter.name] = value
            } else if pair?.value.mappingPairs?.contains(where: { $0.key.scalarText == parameter.name }) != true {
                reader.error(
                    .missingKey,
                    "kind \(declaration.name) needs param '\(parameter.name)' (\(parameter.type.description)): \(parameter.doc.lowercasedFirst)",
                    at: pair?.key ?? ruleNode)
            }
        }
        return values
    }

    private func decodeParameter(_ node: Node, _ parameter: ParameterDeclaration, _ reader: inout ScalarReader)
        -> ParameterValue?
    {
        let field = "param \(parameter.name)"
        switch parameter.type {
        case .integer(let range):
            switch namedConstant(node, field: field, expecting: "a whole number", &reader) {
            case .notAName: return reader.integer(node, field: field, range: range).map(ParameterValue.integer)
            case .reported: return nil
            case .constant(let name, let value):
                guard value.rounded() == value, range.contains(Int(value)) else {
                    reader.error(
                        .invalidValue,
                        "constant '\(name)' is \(Value.format(value)), but \(field) needs a whole number \(ScalarReader.describe(range))",
                        at: node)
                    return nil
                }
                return .integer(Int(value))
            }
        case .number:
            switch namedConstant(node, field: field, expecting: "a number", &reader) {
            case .notAName: return reader.number(node, field: field).map(ParameterValue.number)
            case .reported: return nil
            case .constant(_, let value): return .number(value)
            }
        case .string:
            return reader.string(node, field: field).map(ParameterValue.string)
        case .choice(let words):
            guard let text = reader.scalar(node, field: field) else { return nil }
            if Self.choice(text, matches: words) { return .string(text) }
            reader.error(
                .invalidValue,
                "'\(text)' is not a valid \(field) (\(words.joined(separator: ", ")))"
                    + Suggestion.phrase(for: text, in: words), at: node)
            return nil
        case .measure:
            guard let name = reader.string(node, field: field) else { return nil }
            guard vocabulary.measureIndex(name) != nil else {
                reader.error(
                    .invalidValue,
                    "unknown measure '\(name)'" + Suggestion.phrase(for: name, in: vocabulary.measureNames), at: node)
                return nil
            }
            return .string(name)
        case .calibration:
            guard let path = reader.string(node, field: field) else { return nil }
            guard let file = calibrationFiles[path] else { return .calibration(path: path, nil) }
            var diagnostics: [Diagnostic] = []
            guard let expected = ExpectedResponse.decode(file.bytes, file: file.path, diagnostics: &diagnostics) else {
                reader.diagnostics += diagnostics.map {
                    .error(.calibration, "in calibration file '\(path)': " + $0.message, at: $0.location)
                }
                return nil
            }
            return .calibration(path: path, expected)
        case .ruleIDs:
            if let single = node.scalarText, !node.isNull { return .strings([single]) }
            return reader.strings(node, field: field).map(ParameterValue.strings)
        case .signals:
            guard let items = node.sequenceItems else {
                reader.error(
                    .invalidValue, "\(field) must be a list of {when, points, label}, found \(node.shapeName)", at: node
                )
                return nil
            }
            var signals: [Signal] = []
            for item in items {
                var when: CompiledExpression?
                var points: Int?
                var label: String?
                for (key, pair) in reader.pairs(item, field: "a signal") ?? [] {
                    switch key {
                    case "when": when = expression(pair.value, key: "when", &reader)
                    case "points": points = reader.integer(pair.value, field: "points", range: -1000...1000)
                    case "label": label = reader.string(pair.value, field: "label")
                    default:
                        reader.error(
                            .unknownKey,
                            "unknown key '\(key)' in a signal"
                                + Suggestion.phrase(for: key, in: ["when", "points", "label"]), at: pair.key)
                    }
                }
                if item.mappingPairs?.contains(where: { $0.key.scalarText == "when" }) == false {
                    reader.error(.missingKey, "a signal needs 'when'", at: item)
                }
                if item.mappingPairs?.contains(where: { $0.key.scalarText == "points" }) == false {
                    reader.error(.missingKey, "a signal needs 'points'", at: item)
                }
                if let when, let points {
                    signals.append(Signal(label: label ?? when.source, points: points, condition: when))
                }
            }
            return .signals(signals)
        }
    }

    enum ConstantReference {
        case notAName
        /// A name that is no numeric constant; the error is reported.
        case reported
        case constant(String, Double)
    }

    /// A numeric param may name a pack constant (`by: phq9_reliable_change`), so that a number
    /// declared once with its source in pack.yaml drives every rule that uses it.
    private func namedConstant(_ node: Node, field: String, expecting: String, _ reader: inout ScalarReader)
        -> ConstantReference
    {
        guard case .scalar(let text, .plain) = node.content, let first = text.first, first.isLetter || first == "_",
            text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
            ScalarReader.parseNumber(text) == nil
        else { return .notAName }
        guard let constant = vocabulary.constants[text], case .number(let value) = constant.value else {
            let numeric = vocabulary.constants.filter {
                if case .number = $0.value.value { return true } else { return false }
            }.keys
            let found = vocabulary.constants[text].map { " (constant '\(text)' is \($0.value))" } ?? ""
            reader.error(
                .invalidValue,
                "'\(text)' is not a valid \(field); expected \(expecting)\(found)"
                    + Suggestion.phrase(for: text, in: numeric.sorted()), at: node)
            return .reported
        }
        return .constant(text, value)
    }

    /// `mean-of-first-N` in a choice list accepts `mean-of-first-3`.
    static func choice(_ text: String, matches words: [String]) -> Bool {
        words.contains { word in
            if word == text { return true }
            guard word.hasSuffix("-N") else { return false }
            let prefix = word.dropLast()
            guard text.hasPrefix(prefix), let n = Int(text.dropFirst(prefix.count)) else { return false }
            return n >= 1
        }
    }

    // MARK: Tests

    private func decodeTests(_ node: Node, _ reader: inout ScalarReader) -> [RuleTest] {
        guard let items = node.sequenceItems else {
            reader.error(.invalidValue, "tests must be a list, found \(node.shapeName)", at: node)
            return []
        }
        return items.compactMap { decodeTest($0, requireRule: false, &reader) }
    }

    /// One test case: an inline test (`expect` items name no rule) or a scenario (they do).
    func decodeTest(
        _ node: Node, requireRule: Bool, recordsFile: ((String, Node) -> [Node]?)? = nil,
        _ reader: inout ScalarReader
    ) -> RuleTest? {
        guard let pairs = reader.pairs(node, field: "a test") else { return nil }
        let before = reader.diagnostics.count
        var name = ""
        var asOf: Day?
        var records: [SessionRecord] = []
        var expect: [ExpectedFinding] = []
        var absent: [String] = []
        var sawRecords = false
        var sawExpect = false
        var constants: [String: Value] = [:]
        let keys = requireRule ? ScenarioFile.keys : Self.testKeys
        let decoder = RecordDecoder(vocabulary: vocabulary, defaults: .ruleTests)
        let markerCheck = RuptureMarkerCheck(vocabulary: vocabulary)
        var warnings: [Diagnostic] = []
        for (key, pair) in pairs {
            switch key {
            case "name": name = reader.scalar(pair.value, field: "name") ?? ""
            case "as_of": asOf = reader.date(pair.value, field: "as_of")
            case "constants" where !requireRule:
                for (constant, entry) in reader.pairs(pair.value, field: "constants") ?? [] {
                    guard case .number? = vocabulary.constants[constant]?.value else {
                        let numeric = vocabulary.constants.filter {
                            if case .number = $0.value.value { return true } else { return false }
                        }.keys
                        reader.error(
                            .invalidValue,
                            "'\(constant)' is not a numeric constant of the packs"
                                + Suggestion.phrase(for: constant, in: numeric), at: entry.key)
                        continue
                    }
                    if let number = reader.number(entry.value, field: constant) {
                        constants[constant] = .number(number)
                    }
                }
            case "records", "records_file":
                sawRecords = true
                var recordNodes: [Node] = []
                if key == "records" {
                    guard let items = pair.value.sequenceItems else {
                        reader.error(.invalidValue, "records must be a list of session records", at: pair.value)
                        continue
                    }
                    recordNodes = items
                } else if let path = reader.string(pair.value, field: "records_file"),
                    let loaded = recordsFile?(path, pair.value)
                {
                    recordNodes = loaded
                }
                for item in recordNodes {
                    var recordDiagnostics: [Diagnostic] = []
                    if let record = decoder.decode(item, file: reader.file, diagnostics: &recordDiagnostics) {
                        records.append(record)
                        // A warning, not an error: the test still runs.
                        if let rupture = record.rupture, let problem = markerCheck.problem(with: rupture) {
                            warnings.append(.warning(.testRecord, "test record: " + problem, at: record.source))
                        }
                    }
                    reader.diagnostics += recordDiagnostics.map {
                        .error(.testRecord, "test record: " + $0.message, at: $0.location)
                    }
                }
            case "expect":
                sawExpect = true
                guard let items = pair.value.sequenceItems else {
                    reader.error(.invalidValue, "expect must be a list of findings ([] for none)", at: pair.value)
                    continue
                }
                expect = items.compactMap { decodeExpectation($0, requireRule: requireRule, &reader) }
            case "expect_absent" where requireRule:
                absent = reader.strings(pair.value, field: "expect_absent") ?? []
            default:
                reader.error(
                    .unknownKey, "unknown key '\(key)' in a test" + Suggestion.phrase(for: key, in: keys), at: pair.key)
            }
        }
        if name.isEmpty { reader.error(.missingKey, "a test needs a 'name'", at: node) }
        if !sawRecords { reader.error(.missingKey, "test '\(name)' has no records", at: node) }
        if !sawExpect && absent.isEmpty {
            reader.error(.missingKey, "test '\(name)' needs 'expect' (use [] to expect nothing)", at: node)
        }
        guard reader.diagnostics.count == before else { return nil }
        reader.diagnostics += warnings
        var test = RuleTest(
            name: name, location: reader.location(node), asOf: asOf, records: records, expect: expect,
            expectAbsent: absent)
        test.constants = constants
        return test
    }

    private func decodeExpectation(_ node: Node, requireRule: Bool, _ reader: inout ScalarReader) -> ExpectedFinding? {
        guard let pairs = reader.pairs(node, field: "an expected finding") else { return nil }
        var expected = ExpectedFinding(location: reader.location(node))
        for (key, pair) in pairs {
            let value = pair.value
            switch key {
            case "rule": expected.rule = reader.string(value, field: "rule")
            case "client": expected.client = reader.string(value, field: "client")
            case "episode": expected.episode = reader.string(value, field: "episode")
            case "therapist": expected.therapist = reader.string(value, field: "therapist")
            case "opened": expected.opened = reader.date(value, field: "opened")
            case "closed":
                if value.isNull {
                    expected.closed = .open
                } else if let day = reader.date(value, field: "closed") {
                    expected.closed = .on(day)
                }
            case "severity": expected.severity = reader.enumeration(value, field: "severity", as: Severity.self)
            case "message_contains": expected.messageContains = reader.string(value, field: "message_contains")
            default:
                reader.error(
                    .unknownKey,
                    "unknown key '\(key)' in an expected finding" + Suggestion.phrase(for: key, in: Self.expectKeys),
                    at: pair.key)
            }
        }
        if requireRule, expected.rule == nil {
            reader.error(.missingKey, "an expected finding in a scenario names its 'rule'", at: node)
        }
        return expected
    }
}

extension String {
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
