import AttuneYAML

extension CSVMap {
    static func dateFormat(_ node: Node, _ reader: inout ScalarReader) -> CSVDateFormat? {
        guard let text = reader.scalar(node, field: "date_format") else { return nil }
        do {
            return try CSVDateFormat(text)
        } catch {
            reader.error(.invalidValue, error.description, at: node)
            return nil
        }
    }

    static func settableTarget(
        _ name: String, at node: Node, _ vocabulary: Vocabulary, _ reader: inout ScalarReader
    ) -> Target? {
        guard let target = target(named: name, vocabulary: vocabulary), target != .ignore else {
            reader.error(
                .invalidValue,
                "'\(name)' is not a record field or measure"
                    + Suggestion.phrase(for: name, in: targetNames(vocabulary)), at: node)
            return nil
        }
        return target
    }

    static func decodeColumn(
        _ name: String, _ node: Node, key: Node, _ vocabulary: Vocabulary, _ reader: inout ScalarReader
    ) -> Column? {
        let location = reader.location(key)
        if let text = node.scalarText {
            guard let target = target(named: text, vocabulary: vocabulary) else {
                reader.error(
                    .invalidValue,
                    "'\(text)' is not a record field, a measure or 'ignore'"
                        + Suggestion.phrase(for: text, in: targetNames(vocabulary)), at: node)
                return nil
            }
            return Column(name: name, target: target, location: location)
        }
        guard let pairs = reader.pairs(node, field: "column '\(name)'") else { return nil }
        var column = Column(name: name, target: .ignore, location: location)
        var sawTarget = false
        for (key, pair) in pairs {
            let value = pair.value
            switch key {
            case "field", "measure":
                guard let text = reader.scalar(value, field: key) else { continue }
                sawTarget = true
                let name = key == "measure" && !text.hasPrefix("measures.") ? "measures." + text : text
                guard let target = target(named: name, vocabulary: vocabulary) else {
                    reader.error(
                        .invalidValue,
                        "'\(text)' is not a record field" + (key == "measure" ? " or measure" : "")
                            + Suggestion.phrase(for: text, in: targetNames(vocabulary)), at: value)
                    continue
                }
                column.target = target
            case "values":
                guard let entries = reader.pairs(value, field: "values") else { continue }
                guard entries.count <= maxValues else {
                    reader.error(
                        .invalidValue,
                        "values of column '\(name)' has \(entries.count) entries; a column has at most \(maxValues)",
                        at: value)
                    continue
                }
                for (from, entry) in entries {
                    if entry.value.isNull {
                        column.values[from] = .some(nil)
                    } else if let to = reader.scalar(entry.value, field: "the value for '\(from)'") {
                        column.values[from] = to
                    }
                }
            case "date_format":
                column.dateFormat = dateFormat(value, &reader)
            case "split":
                if let text = reader.string(value, field: "split") { column.split = text }
            default:
                reader.error(
                    .unknownKey,
                    "unknown key '\(key)' for column '\(name)'" + Suggestion.phrase(for: key, in: columnKeys),
                    at: pair.key)
            }
        }
        if !sawTarget { reader.error(.missingKey, "column '\(name)' needs 'field' (or 'measure')", at: node) }
        if column.dateFormat != nil, !(column.target.fieldName.map { dateFields.contains($0) } ?? false) {
            reader.error(
                .invalidValue, "date_format applies only to \(dateFields.joined(separator: " and "))", at: node)
        }
        return column
    }

    static func decodeOverride(_ node: Node, _ vocabulary: Vocabulary, _ reader: inout ScalarReader)
        -> Override?
    {
        guard let pairs = reader.pairs(node, field: "an override") else { return nil }
        var override = Override(when: [], set: [], location: reader.location(node))
        var sawWhen = false
        var sawSet = false
        for (key, pair) in pairs {
            switch key {
            case "when":
                sawWhen = true
                guard let conditions = reader.pairs(pair.value, field: "when") else { continue }
                for (column, entry) in conditions {
                    if let text = reader.scalar(entry.value, field: "the text of column '\(column)'") {
                        override.when.append((column, text))
                    }
                }
            case "set":
                sawSet = true
                guard let settings = reader.pairs(pair.value, field: "set") else { continue }
                for (name, entry) in settings {
                    guard let target = settableTarget(name, at: entry.key, vocabulary, &reader),
                        let text = reader.scalar(entry.value, field: "the value of \(name)")
                    else { continue }
                    override.set.append((target, text))
                }
            default:
                reader.error(
                    .unknownKey,
                    "unknown key '\(key)' in an override" + Suggestion.phrase(for: key, in: ["when", "set"]),
                    at: pair.key)
            }
        }
        if !sawWhen || !sawSet || override.when.isEmpty || override.set.isEmpty {
            reader.error(.missingKey, "an override needs 'when' (column: text) and 'set' (field: value)", at: node)
        }
        return override
    }
}

extension CSVMap.Target {
    /// The record field name of a `.field` target.
    var fieldName: String? {
        if case .field(let name) = self { return name }
        return nil
    }
}
