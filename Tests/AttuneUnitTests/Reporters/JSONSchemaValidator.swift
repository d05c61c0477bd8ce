import AttuneYAML
import Foundation

/// Checks a JSON document against the subset of JSON Schema (2020-12) that
/// docs/report-schema.json uses: type (one or several), const, enum, properties, required,
/// additionalProperties (false or a schema), items, minimum, maximum, pattern, anyOf, and
/// local `$ref`s to `#/$defs/…`. Anything else in a schema is reported as unsupported, so the
/// schema cannot quietly use a keyword this validator ignores.
///
/// ```swift
/// let errors = try JSONSchemaValidator(schema: schemaText).validate(documentText)
/// #expect(errors.isEmpty)
/// ```
struct JSONSchemaValidator {
    /// A parsed JSON value with JSON's own types (scalars keep their kind from the reader's style).
    indirect enum Value {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Value])
        case object([(String, Value)])

        init(_ node: Node) throws {
            switch node.content {
            case .scalar(let text, .quoted): self = .string(text)
            case .scalar(let text, .plain):
                if text == "null" {
                    self = .null
                } else if text == "true" {
                    self = .bool(true)
                } else if text == "false" {
                    self = .bool(false)
                } else if let number = Double(text) {
                    self = .number(number)
                } else {
                    throw ValidationError(path: "\(node.mark)", message: "not a JSON scalar: \(text)")
                }
            case .sequence(let items): self = .array(try items.map(Value.init))
            case .mapping(let pairs):
                self = .object(try pairs.map { (try Value($0.key).stringValue ?? "?", try Value($0.value)) })
            }
        }

        var stringValue: String? {
            if case .string(let s) = self { return s }
            return nil
        }
        var numberValue: Double? {
            if case .number(let n) = self { return n }
            return nil
        }

        subscript(index: Int) -> Value? {
            if case .array(let items) = self, items.indices.contains(index) { return items[index] }
            return nil
        }

        subscript(key: String) -> Value? {
            if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
            return nil
        }

        var typeName: String {
            switch self {
            case .null: return "null"
            case .bool: return "boolean"
            case .number(let n): return n == n.rounded() ? "integer" : "number"
            case .string: return "string"
            case .array: return "array"
            case .object: return "object"
            }
        }

        func isEqual(to other: Value) -> Bool {
            switch (self, other) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.number(let a), .number(let b)): return a == b
            case (.string(let a), .string(let b)): return a == b
            case (.array(let a), .array(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
            case (.object(let a), .object(let b)):
                return a.count == b.count
                    && a.allSatisfy { pair in b.contains { $0.0 == pair.0 && $0.1.isEqual(to: pair.1) } }
            default: return false
            }
        }
    }

    struct ValidationError: Error, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path.isEmpty ? "/" : path): \(message)" }
    }

    static let keywords: Set<String> = [
        "$schema", "$id", "title", "description", "type", "const", "enum", "properties", "required",
        "additionalProperties", "items", "minimum", "maximum", "pattern", "anyOf", "$ref", "$defs",
    ]

    let schema: Value

    init(schema text: String) throws {
        schema = try Value(JSONReader.document(in: .bytes(Array(text.utf8)), limits: .rules))
    }

    static func parse(_ text: String) throws -> Value {
        try Value(
            JSONReader.document(
                in: .bytes(Array(text.utf8)),
                limits: DocumentLimits(maxDepth: 64, maxScalarBytes: 1 << 20, allowsAliases: false)))
    }

    /// Every violation, with its JSON pointer-like path.
    func validate(_ documentText: String) throws -> [ValidationError] {
        var errors: [ValidationError] = []
        check(try Self.parse(documentText), against: schema, path: "", errors: &errors)
        return errors
    }

    func check(_ value: Value, against schema: Value, path: String, errors: inout [ValidationError]) {
        guard case .object(let pairs) = schema else {
            errors.append(ValidationError(path: path, message: "schema is not an object"))
            return
        }
        for (key, _) in pairs where !Self.keywords.contains(key) {
            errors.append(ValidationError(path: path, message: "unsupported schema keyword '\(key)'"))
        }
        if let reference = schema["$ref"]?.stringValue {
            let prefix = "#/$defs/"
            guard reference.hasPrefix(prefix),
                let target = self.schema["$defs"]?[String(reference.dropFirst(prefix.count))]
            else {
                errors.append(ValidationError(path: path, message: "unresolved $ref \(reference)"))
                return
            }
            check(value, against: target, path: path, errors: &errors)
        }
        if let type = schema["type"] {
            let allowed: [String]
            switch type {
            case .string(let name): allowed = [name]
            case .array(let names): allowed = names.compactMap(\.stringValue)
            default: allowed = []
            }
            let actual = value.typeName
            guard allowed.contains(actual) || (actual == "integer" && allowed.contains("number")) else {
                errors.append(
                    ValidationError(
                        path: path, message: "expected \(allowed.joined(separator: " or ")), found \(actual)"))
                return
            }
        }
        if let constant = schema["const"], !value.isEqual(to: constant) {
            errors.append(ValidationError(path: path, message: "expected the constant \(constant)"))
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { value.isEqual(to: $0) }) {
            errors.append(ValidationError(path: path, message: "\(value) is not one of the allowed values"))
        }
        if case .array(let alternatives)? = schema["anyOf"] {
            let matches = alternatives.contains { alternative in
                var scratch: [ValidationError] = []
                check(value, against: alternative, path: path, errors: &scratch)
                return scratch.isEmpty
            }
            if !matches { errors.append(ValidationError(path: path, message: "matches none of anyOf")) }
        }
        if case .number(let number) = value {
            if case .number(let minimum)? = schema["minimum"], number < minimum {
                errors.append(ValidationError(path: path, message: "\(number) is below the minimum \(minimum)"))
            }
            if case .number(let maximum)? = schema["maximum"], number > maximum {
                errors.append(ValidationError(path: path, message: "\(number) is above the maximum \(maximum)"))
            }
        }
        if case .string(let text) = value, let pattern = schema["pattern"]?.stringValue {
            if text.range(of: pattern, options: .regularExpression) == nil {
                errors.append(ValidationError(path: path, message: "'\(text)' does not match \(pattern)"))
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)/\(index)", errors: &errors)
            }
        }
        if case .object(let members) = value {
            if case .array(let required)? = schema["required"] {
                for name in required.compactMap(\.stringValue) where !members.contains(where: { $0.0 == name }) {
                    errors.append(ValidationError(path: path, message: "missing required property '\(name)'"))
                }
            }
            let properties = schema["properties"]
            for (name, member) in members {
                if let propertySchema = properties?[name] {
                    check(member, against: propertySchema, path: "\(path)/\(name)", errors: &errors)
                } else if let additional = schema["additionalProperties"] {
                    if case .bool(false) = additional {
                        errors.append(ValidationError(path: path, message: "unexpected property '\(name)'"))
                    } else if case .object = additional {
                        check(member, against: additional, path: "\(path)/\(name)", errors: &errors)
                    }
                }
            }
        }
    }
}
