import AttuneYAML

/// Reads a rule's `params` by its kind's declaration: each value as its declared type, a
/// numeric param possibly naming a pack constant, a calibration file looked up in the packs,
/// defaults filled in, and every missing or unknown param reported at its key.
///
/// ```swift
/// var constantNames: [String: String] = [:]
/// let values = ParameterDecoder(vocabulary: vocabulary, calibrationFiles: [:], expressions: expressions)
///     .decodeParameters(pair, declaration, ruleNode: node, &constantNames, &reader)
/// ```
struct ParameterDecoder: Sendable {
    let vocabulary: Vocabulary
    /// Calibration files (`expected/ors.yaml`) by their path inside a pack.
    let calibrationFiles: [String: PackSource.File]
    /// For the `when` of signals.
    let expressions: ModuleExpressionReader

    func decodeParameters(
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
                    case "when": when = expressions.expression(pair.value, key: "when", &reader)
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
}
