import AttuneCore
import Foundation

/// Documentation of rules and kinds, from the rule files and the kinds' declarations: the
/// output of `attune rules` and the generated `docs/rules.md`.
///
/// ```swift
/// let markdown = RuleDocumentation(ruleSet: ruleSet, registry: BuiltinKinds.registry)
///     .reference(format: .markdown)       // what docs/rules.md holds
/// print(RuleDocumentation(ruleSet: ruleSet, registry: registry).list(format: .text))
/// ```
public struct RuleDocumentation: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, json
    }

    /// The command that regenerates docs/rules.md; the staleness test names it.
    public static let regenerateCommand = "swift run attune rules reference --format markdown > docs/rules.md"

    public let ruleSet: RuleSet
    public let registry: KindRegistry

    public init(ruleSet: RuleSet, registry: KindRegistry) {
        self.ruleSet = ruleSet
        self.registry = registry
    }

    // MARK: List

    /// One line (or row) per rule: id, kind, severity, title, pack; switched-off rules marked.
    public func list(format: Format) -> String {
        let rules = ruleSet.rules
        switch format {
        case .json:
            return JSON.array(rules.map { summaryJSON($0) }).rendered() + "\n"
        case .markdown:
            var lines = ["| id | kind | severity | title | pack |", "|---|---|---|---|---|"]
            for rule in rules {
                lines.append(
                    "| `\(rule.id)`\(rule.enabled ? "" : " (off)") | `\(rule.kindName)` | \(rule.severity.rawValue) | \(cell(rule.title)) | \(cell(rule.pack)) |"
                )
            }
            return lines.joined(separator: "\n") + "\n"
        case .text:
            let rows = rules.map {
                [$0.id + ($0.enabled ? "" : " (off)"), $0.kindName, $0.severity.rawValue, $0.title, $0.pack]
            }
            let active = rules.filter(\.enabled).count
            return Self.table(header: ["ID", "KIND", "SEVERITY", "TITLE", "PACK"], rows: rows)
                + "\(rules.count) rule\(rules.count == 1 ? "" : "s"), \(active) on\n"
        }
    }

    // MARK: Show

    /// One rule in full: its expressions, params (with the kind's docs), message, guidance,
    /// references and tests.
    public func show(_ rule: Rule, format: Format) -> String {
        switch format {
        case .json: return ruleJSON(rule).rendered() + "\n"
        case .markdown: return ruleMarkdown(rule, headingLevel: 1).joined(separator: "\n") + "\n"
        case .text: return ruleText(rule)
        }
    }

    private func ruleText(_ rule: Rule) -> String {
        let declaration = rule.declaration
        var lines = ["\(rule.id) — \(rule.title)"]
        func field(_ name: String, _ value: String) {
            lines.append("  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + value)
        }
        field("severity", rule.severity.rawValue)
        field("kind", "\(rule.kindName): \(declaration.summary)")
        field("pack", "\(rule.pack) (\(rule.location))")
        field("status", rule.enabled ? "on" : "off (enabled: false)")
        if let condition = rule.whereExpression { field("where", condition.source) }
        for expression in declaration.expressions {
            if let compiled = rule.expressions[expression.name] { field(expression.name, compiled.source) }
        }
        if !declaration.parameters.isEmpty {
            lines.append("  params")
            let width = (declaration.parameters.map(\.name.count).max() ?? 0) + 2
            for parameter in declaration.parameters {
                let value = rule.parameters[parameter.name].map(Self.parameterText) ?? "—"
                let isDefault =
                    parameter.defaultValue != nil && rule.parameters[parameter.name] == parameter.defaultValue
                lines.append(
                    "    " + parameter.name.padding(toLength: width, withPad: " ", startingAt: 0)
                        + value + (isDefault ? " (default)" : "") + "  — " + parameter.doc)
            }
        }
        field("message", rule.message.source)
        if !rule.tags.isEmpty { field("tags", rule.tags.joined(separator: ", ")) }
        if !rule.guidance.isEmpty {
            lines.append("guidance:")
            lines += Self.trimmedLines(rule.guidance).map { "  " + $0 }
        }
        if !rule.references.isEmpty {
            lines.append("references:")
            lines += rule.references.map { "  - " + $0 }
        }
        lines.append("tests (\(rule.tests.count)):")
        lines += rule.tests.map { "  - \($0.name) (\($0.location))" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func ruleMarkdown(_ rule: Rule, headingLevel: Int) -> [String] {
        let declaration = rule.declaration
        let hashes = String(repeating: "#", count: headingLevel)
        var lines = ["\(hashes) `\(rule.id)` — \(rule.title)", ""]
        lines.append("- severity: **\(rule.severity.rawValue)**")
        lines.append("- kind: [`\(rule.kindName)`](#kind-\(rule.kindName)) — \(declaration.summary)")
        lines.append("- source: `\(rule.location.file)` (pack `\(rule.pack)`)" + (rule.enabled ? "" : "; switched off"))
        if !rule.tags.isEmpty { lines.append("- tags: " + rule.tags.map { "`\($0)`" }.joined(separator: ", ")) }
        lines.append("")
        var code: [String] = []
        if let condition = rule.whereExpression { code.append("where: \(condition.source)") }
        for expression in declaration.expressions {
            if let compiled = rule.expressions[expression.name] {
                code.append("\(expression.name): \(compiled.source)")
            }
        }
        for parameter in declaration.parameters {
            if let value = rule.parameters[parameter.name] {
                let isDefault = parameter.defaultValue != nil && value == parameter.defaultValue
                code.append(
                    "params.\(parameter.name): \(Self.parameterText(value))" + (isDefault ? "   # default" : ""))
            }
        }
        code.append("message: \(rule.message.source)")
        lines += ["```yaml"] + code + ["```", ""]
        if !rule.guidance.isEmpty {
            lines += ["**Guidance for supervision**", ""] + Self.trimmedLines(rule.guidance).map { "> " + $0 } + [""]
        }
        if !rule.references.isEmpty {
            lines += ["**References**", ""] + rule.references.map { "- " + $0 } + [""]
        }
        if !rule.tests.isEmpty {
            lines +=
                ["**Tests**", ""]
                + rule.tests.map { test in
                    "- \(test.name) — expects "
                        + (test.expect.isEmpty ? "no finding" : test.expect.map(\.description).joined(separator: ", "))
                } + [""]
        }
        return lines
    }

    // MARK: Reference

    /// The whole reference: every registered kind, then the packs' vocabulary and rules.
    public func reference(format: Format) -> String {
        switch format {
        case .json:
            return JSON.object([
                ("kinds", .array(registry.kinds.map { Self.kindJSON($0.declaration) })),
                ("rules", .array(ruleSet.rules.map { ruleJSON($0) })),
            ]).rendered() + "\n"
        case .text:
            var out = "KINDS\n"
            out += Self.table(
                header: ["KIND", "FINDS", "PARAMS"],
                rows: registry.kinds.map {
                    let declaration = $0.declaration
                    return [
                        declaration.name, declaration.summary,
                        declaration.parameters.map(\.name).joined(separator: ", "),
                    ]
                })
            out += "\nRULES\n" + list(format: .text)
            return out
        case .markdown:
            return referenceMarkdown()
        }
    }

    private func referenceMarkdown() -> String {
        var lines = [
            "<!-- Generated from the rule packs and the kinds' declarations. Do not edit by hand; run:",
            "     \(Self.regenerateCommand) -->",
            "",
            "# Rules and kinds reference",
            "",
            "This page is generated from the default rule pack (`rules/`) and from the declarations of the kinds",
            "built into Attune, so it always says what the code does. To write rules of your own, see",
            "[Writing your own rules](writing-rules.md). `attune rules show ID` prints any loaded rule, site",
            "packs included; `attune schema rules` prints the JSON Schema of rule files.",
            "",
            "## Kinds",
            "",
            "| kind | finds | params |",
            "|---|---|---|",
        ]
        for kind in registry.kinds {
            let declaration = kind.declaration
            let params = declaration.parameters.map { "`\($0.name)`" }.joined(separator: ", ")
            lines.append(
                "| [`\(declaration.name)`](#kind-\(declaration.name)) | \(cell(declaration.summary)) | \(params.isEmpty ? "—" : params) |"
            )
        }
        lines.append("")
        for kind in registry.kinds { lines += kindMarkdown(kind.declaration) }

        for pack in ruleSet.packs {
            lines += ["## Pack `\(pack.name)` \(pack.version)", ""]
            if let description = pack.description {
                var text = Substring(description)
                while text.last?.isNewline == true { text = text.dropLast() }
                lines += [String(text), ""]
            }
            if !pack.measures.isEmpty {
                lines += [
                    "Measures:", "", "| name | title | range | better | cutoff | risk item |",
                    "|---|---|---|---|---|---|",
                ]
                for measure in pack.measures {
                    lines.append(
                        "| `\(measure.name)` | \(cell(measure.title)) | \(Value.format(measure.range.lowerBound))–\(Value.format(measure.range.upperBound)) | \(measure.better.rawValue) | \(measure.cutoff.map(Value.format) ?? "—") | \(measure.isRiskItem ? "yes" : "—") |"
                    )
                }
                lines.append("")
            }
            if !pack.constants.isEmpty {
                lines += ["Constants:", "", "| name | value | source |", "|---|---|---|"]
                lines += pack.constants.map {
                    "| `\($0.name)` | `\($0.constant.value)` | \(cell($0.constant.source ?? "—")) |"
                }
                lines.append("")
            }
            if !pack.sets.isEmpty {
                lines += ["Sets:", "", "| name | members |", "|---|---|"]
                lines += pack.sets.map {
                    "| `\($0.name)` | " + $0.set.members.map { "`\($0)`" }.joined(separator: ", ") + " |"
                }
                lines.append("")
            }
        }

        lines += ["## Rules", "", list(format: .markdown)]
        for rule in ruleSet.rules { lines += ruleMarkdown(rule, headingLevel: 3) }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    private func kindMarkdown(_ declaration: KindDeclaration) -> [String] {
        var lines = [
            "<a id=\"kind-\(declaration.name)\"></a>", "### `\(declaration.name)`", "", declaration.summary, "",
        ]
        if !declaration.details.isEmpty { lines += [declaration.details, ""] }
        lines.append(
            "Scope: "
                + (declaration.scope == .timeline
                    ? "one (client, episode) timeline at a time."
                    : "per therapist, over the findings of other rules."))
        lines.append("")
        if declaration.parameters.isEmpty {
            lines += ["Params: none.", ""]
        } else {
            lines += ["| param | type | default | meaning |", "|---|---|---|---|"]
            for parameter in declaration.parameters {
                lines.append(
                    "| `\(parameter.name)` | \(cell(parameter.type.description)) | \(parameter.defaultValue.map { "`\(Self.parameterText($0))`" } ?? "required") | \(cell(parameter.doc)) |"
                )
            }
            lines.append("")
        }
        let expressions =
            (declaration.scope == .timeline
                ? [
                    ExpressionDeclaration(
                        "where", required: false, doc: "Which records the kind looks at (every kind of timeline scope)")
                ] : [])
            + declaration.expressions
        if !expressions.isEmpty {
            lines += ["| expression | required | meaning |", "|---|---|---|"]
            lines += expressions.map { "| `\($0.name)` | \($0.required ? "yes" : "no") | \(cell($0.doc)) |" }
            lines.append("")
        }
        lines.append(
            "Message placeholders: "
                + declaration.allPlaceholders.map { "`{\($0.name)}` (\($0.doc))" }.joined(separator: ", ")
                + (declaration.scope == .timeline
                    ? "; and any record path or pack name, read from the last evidence record (`{measures.srs}`, `{srs_cutoff}`)."
                    : "."))
        lines.append("")
        for example in declaration.examples {
            lines += ["Example — \(example.name):", "", "```yaml", "kind: \(declaration.name)"]
            lines += example.rule.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines += ["# records" + (example.asOf.map { " (as of \($0))" } ?? "") + ":"]
            lines += Self.trimmedLines(example.records)
            let expected =
                example.expect.isEmpty
                ? "nothing"
                : example.expect.map { expectation in
                    var fields = ["opened: \(expectation.opened)", "closed: \(expectation.closed ?? "null")"]
                    if let client = expectation.client { fields.append("client: \(client)") }
                    if let therapist = expectation.therapist { fields.append("therapist: \(therapist)") }
                    return "{" + fields.joined(separator: ", ") + "}"
                }.joined(separator: ", ")
            lines += ["# finds: \(expected)", "```", ""]
        }
        // Pack files the examples read (a calibration), each shown once.
        var shown = Set<String>()
        for example in declaration.examples {
            for (path, text) in example.files.sorted(by: { $0.key < $1.key }) where shown.insert(path).inserted {
                lines +=
                    ["The examples' pack holds `\(path)`:", "", "```yaml"] + Self.trimmedLines(text) + ["```", ""]
            }
        }
        return lines
    }

    // MARK: JSON

    private func summaryJSON(_ rule: Rule) -> JSON {
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

    // MARK: Helpers

    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func trimmedLines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.allSatisfy(\.isWhitespace) == true { lines.removeLast() }
        let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
    }

    /// Columns padded to their widest cell; the last column is left ragged.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
