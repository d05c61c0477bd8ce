import AttuneAuthoring
import AttuneCore
import AttuneYAML

/// A JSON Schema (2020-12) validator for the subset of keywords the repository's schemas use (the
/// ones `JSONSchemaGenerator` writes, docs/report-schema.json, the kind protocol's), so the schema
/// tests need nothing outside Swift. A keyword it does not know is itself an error: a schema can
/// never pass by being half-understood.
///
/// ```swift
/// let errors = try JSONSchemaValidator(schema: schemaText).validate(text: documentText)
/// #expect(errors.isEmpty)
/// ```
struct JSONSchemaValidator {
    let root: JSON

    init(root: JSON) {
        self.root = root
    }

    /// A schema given as JSON text.
    init(schema text: String) throws {
        root = try Self.parse(text)
    }

    /// A JSON document's text as a value, with JSON's own types.
    static func parse(_ text: String) throws -> JSON {
        instance(
            try JSONReader.document(
                in: .bytes(Array(text.utf8)),
                limits: DocumentLimits(maxDepth: 64, maxScalarBytes: 1 << 20, allowsAliases: false)))
    }

    /// Message prefix for a schema keyword the validator does not know.
    static let unsupportedKeyword = "the validator does not support keyword"

    static let annotations: Set<String> = ["$schema", "$id", "$defs", "title", "description", "default"]
    static let assertions: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "patternProperties", "propertyNames", "enum",
        "const", "items", "minItems", "maxItems", "pattern", "minimum", "maximum", "anyOf", "oneOf", "allOf", "not",
        "if",
        "then", "else",
    ]

    /// Problems of `instance`, as "path: message"; empty when it validates.
    func validate(_ instance: JSON) -> [String] {
        var errors: [String] = []
        check(instance, against: root, path: "$", &errors)
        return errors
    }

    /// Problems of the JSON document `text`, as "path: message"; empty when it validates.
    func validate(text: String) throws -> [String] {
        validate(try Self.parse(text))
    }

    private func check(_ instance: JSON, against schema: JSON, path: String, _ errors: inout [String]) {
        switch schema {
        case .bool(let allowed):
            if !allowed { errors.append("\(path): not allowed here") }
            return
        case .object:
            break
        default:
            errors.append("\(path): a schema must be an object or a boolean")
            return
        }
        let keywords = Self.pairs(schema)
        for (keyword, _) in keywords where !Self.annotations.contains(keyword) && !Self.assertions.contains(keyword) {
            errors.append("\(path): \(Self.unsupportedKeyword) '\(keyword)'")
        }
        let value = { (name: String) in keywords.first { $0.0 == name }?.1 }

        if case .string(let reference)? = value("$ref") {
            if let target = resolve(reference) {
                check(instance, against: target, path: path, &errors)
            } else {
                errors.append("\(path): cannot resolve \(reference)")
            }
        }
        if let type = value("type") {
            let names: [String]
            switch type {
            case .string(let name): names = [name]
            case .array(let items):
                names = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
            default: names = []
            }
            if !names.contains(where: { Self.has(instance, type: $0) }) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), found \(Self.typeName(instance))")
            }
        }
        if case .array(let allowed)? = value("enum"), !allowed.contains(instance) {
            errors.append(
                "\(path): \(instance.rendered(pretty: false)) is not one of \(JSON.array(allowed).rendered(pretty: false))"
            )
        }
        if let constant = value("const"), constant != instance {
            errors.append("\(path): must be \(constant.rendered(pretty: false))")
        }
        if case .number(let number) = instance {
            if case .number(let minimum)? = value("minimum"), number < minimum {
                errors.append("\(path): \(Value.format(number)) is below \(Value.format(minimum))")
            }
            if case .number(let maximum)? = value("maximum"), number > maximum {
                errors.append("\(path): \(Value.format(number)) is above \(Value.format(maximum))")
            }
        }
        if case .string(let text) = instance, case .string(let pattern)? = value("pattern") {
            do {
                if try Regex(pattern).firstMatch(in: text) == nil {
                    errors.append("\(path): '\(text)' does not match \(pattern)")
                }
            } catch {
                errors.append("\(path): invalid pattern \(pattern): \(error)")
            }
        }
        if case .array(let items) = instance {
            if case .number(let minimum)? = value("minItems"), Double(items.count) < minimum {
                errors.append("\(path): fewer than \(Value.format(minimum)) items")
            }
            if case .number(let maximum)? = value("maxItems"), Double(items.count) > maximum {
                errors.append("\(path): more than \(Value.format(maximum)) items")
            }
            if let itemSchema = value("items") {
                for (index, item) in items.enumerated() {
                    check(item, against: itemSchema, path: "\(path)[\(index)]", &errors)
                }
            }
        }
        if case .object(let members) = instance {
            let properties = value("properties").map(Self.pairs) ?? []
            let patterns = value("patternProperties").map(Self.pairs) ?? []
            if case .array(let required)? = value("required") {
                for case .string(let name) in required where !members.contains(where: { $0.0 == name }) {
                    errors.append("\(path): missing required property '\(name)'")
                }
            }
            for (name, member) in members {
                var matched = false
                if let propertySchema = properties.first(where: { $0.0 == name })?.1 {
                    matched = true
                    check(member, against: propertySchema, path: "\(path).\(name)", &errors)
                }
                for (pattern, patternSchema) in patterns where (try? Regex(pattern).firstMatch(in: name)) != nil {
                    // An invalid pattern never matches; the generator's patterns are fixed and tested.
                    matched = true
                    check(member, against: patternSchema, path: "\(path).\(name)", &errors)
                }
                if let names = value("propertyNames") {
                    check(.string(name), against: names, path: "\(path).\(name) (name)", &errors)
                }
                if !matched, let additional = value("additionalProperties") {
                    if case .bool(false) = additional {
                        errors.append("\(path): unknown property '\(name)'")
                    } else {
                        check(member, against: additional, path: "\(path).\(name)", &errors)
                    }
                }
            }
        }
        if case .array(let schemas)? = value("allOf") {
            for schema in schemas { check(instance, against: schema, path: path, &errors) }
        }
        if case .array(let schemas)? = value("anyOf") {
            let failures = schemas.map { schema -> [String] in
                var local: [String] = []
                check(instance, against: schema, path: path, &local)
                return local
            }
            if !failures.contains(where: \.isEmpty) {
                errors.append(
                    "\(path): matches none of anyOf: "
                        + failures.map { $0.joined(separator: "; ") }.joined(separator: " | "))
            }
        }
        if case .array(let schemas)? = value("oneOf") {
            let passing = schemas.filter { schema in
                var local: [String] = []
                check(instance, against: schema, path: path, &local)
                return local.isEmpty
            }.count
            if passing != 1 { errors.append("\(path): matches \(passing) of oneOf, not exactly one") }
        }
        if let negated = value("not") {
            var local: [String] = []
            check(instance, against: negated, path: path, &local)
            if local.isEmpty { errors.append("\(path): must not match a 'not' schema") }
        }
        if let condition = value("if") {
            var local: [String] = []
            check(instance, against: condition, path: path, &local)
            if local.isEmpty, let then = value("then") {
                check(instance, against: then, path: path, &errors)
            } else if !local.isEmpty, let otherwise = value("else") {
                check(instance, against: otherwise, path: path, &errors)
            }
        }
    }

    private func resolve(_ reference: String) -> JSON? {
        guard reference.hasPrefix("#/") else { return nil }
        var current = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = Self.pairs(current).first(where: { $0.0 == String(part) })?.1 else { return nil }
            current = next
        }
        return current
    }

    static func pairs(_ json: JSON) -> [(String, JSON)] {
        if case .object(let pairs) = json { return pairs }
        return []
    }

    static func has(_ instance: JSON, type: String) -> Bool {
        switch (instance, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"),
            (.number, "number"):
            return true
        case (.number(let n), "integer"):
            return n == n.rounded()
        default:
            return false
        }
    }

    static func typeName(_ instance: JSON) -> String {
        switch instance {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// A YAML node as a YAML 1.2 language server sees it (core schema): plain `3` is a number,
    /// plain `true` a boolean, plain `~` null; anything quoted is a string.
    static func instance(_ node: Node) -> JSON {
        switch node.content {
        case .mapping(let pairs):
            return .object(pairs.map { ($0.key.scalarText ?? "?", instance($0.value)) })
        case .sequence(let items):
            return .array(items.map(instance))
        case .scalar(let text, .quoted):
            return .string(text)
        case .scalar(let text, .plain):
            if node.isNull { return .null }
            if ["true", "True", "TRUE"].contains(text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
            if text.wholeMatch(of: /[-+]?[0-9]+/) != nil
                || text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil,
                let number = Double(text)
            {
                return .number(number)
            }
            return .string(text)
        }
    }
}

/// Reading into a parsed document in tests: `document["period"]?["iso_week"]?.stringValue`.
extension JSON {
    subscript(key: String) -> JSON? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    subscript(index: Int) -> JSON? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }
}
