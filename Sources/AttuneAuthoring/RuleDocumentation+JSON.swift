import AttuneCore
import Foundation

extension RuleDocumentation {
    // MARK: JSON

    func summaryJSON(_ rule: Rule) -> JSON {
        .object([
            ("id", .string(rule.id)),
            ("kind", .string(rule.kindName)),
            ("severity", .string(rule.severity.rawValue)),
            ("title", .string(rule.title)),
            ("pack", .string(rule.pack)),
            ("enabled", .bool(rule.enabled)),
        ])
    }

    public func ruleJSON(_ rule: Rule) -> JSON {
        var expressions: [(String, JSON)] = []
        if let condition = rule.whereExpression { expressions.append(("where", .string(condition.source))) }
        for expression in rule.declaration.expressions {
            if let compiled = rule.expressions[expression.name] {
                expressions.append((expression.name, .string(compiled.source)))
            }
        }
        let params = rule.declaration.parameters.compactMap { parameter in
            rule.parameters[parameter.name].map { (parameter.name, Self.parameterJSON($0)) }
        }
        return .object([
            ("id", .string(rule.id)),
            ("title", .string(rule.title)),
            ("severity", .string(rule.severity.rawValue)),
            ("kind", .string(rule.kindName)),
            ("pack", .string(rule.pack)),
            ("file", .string(rule.location.file)),
            ("line", .integer(rule.location.line)),
            ("enabled", .bool(rule.enabled)),
            ("expressions", .object(expressions)),
            ("params", .object(params)),
            ("message", .string(rule.message.source)),
            ("guidance", .string(rule.guidance)),
            ("references", .array(rule.references.map(JSON.string))),
            ("tags", .array(rule.tags.map(JSON.string))),
            (
                "tests",
                .array(
                    rule.tests.map { test in
                        .object([
                            ("name", .string(test.name)), ("file", .string(test.location.file)),
                            ("line", .integer(test.location.line)),
                        ])
                    })
            ),
        ])
    }

    public static func kindJSON(_ declaration: KindDeclaration) -> JSON {
        .object([
            ("name", .string(declaration.name)),
            ("summary", .string(declaration.summary)),
            ("details", .string(declaration.details)),
            ("scope", .string(declaration.scope.rawValue)),
            (
                "params",
                .array(
                    declaration.parameters.map { parameter in
                        .object([
                            ("name", .string(parameter.name)),
                            ("type", .string(parameter.type.description)),
                            ("default", parameter.defaultValue.map(parameterJSON) ?? .null),
                            ("doc", .string(parameter.doc)),
                        ])
                    })
            ),
            (
                "expressions",
                .array(
                    declaration.expressions.map { expression in
                        .object([
                            ("name", .string(expression.name)), ("required", .bool(expression.required)),
                            ("doc", .string(expression.doc)),
                        ])
                    })
            ),
            (
                "placeholders",
                .array(
                    declaration.allPlaceholders.map { placeholder in
                        .object([("name", .string(placeholder.name)), ("doc", .string(placeholder.doc))])
                    })
            ),
        ])
    }

    static func parameterJSON(_ value: ParameterValue) -> JSON {
        switch value {
        case .integer(let i): return .integer(i)
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .strings(let list): return .array(list.map(JSON.string))
        case .calibration(let path, _): return .string(path)
        case .signals(let signals):
            return .array(
                signals.map { signal in
                    .object([
                        ("when", .string(signal.condition.source)), ("points", .integer(signal.points)),
                        ("label", .string(signal.label)),
                    ])
                })
        }
    }

    /// A param value as it would be written in YAML (signals as `label: points` pairs).
    static func parameterText(_ value: ParameterValue) -> String {
        if case .signals(let signals) = value {
            return "[" + signals.map { "{when: \($0.condition.source), points: \($0.points)}" }.joined(separator: ", ")
                + "]"
        }
        return value.displayText
    }
}
