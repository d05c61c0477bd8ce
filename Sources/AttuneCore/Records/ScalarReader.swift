import AttuneYAML

/// Reads typed values out of located nodes by a schema's declared type, never by YAML 1.1
/// guessing: `0012` read as a string is `"0012"`, `NO` is `"NO"`, `yes` is not a boolean.
///
/// Every failure is appended to `diagnostics` at the node's location and returns nil, so a
/// caller can go on and report every problem of a record in one pass.
///
/// ```swift
/// var reader = ScalarReader(file: "week48.yaml")
/// let session = reader.integer(node, field: "session", range: 1...)
/// ```
public struct ScalarReader {
    public let file: String
    public var diagnostics: [Diagnostic] = []

    public init(file: String) {
        self.file = file
    }

    public func location(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, mark: node.mark)
    }

    public mutating func error(_ message: String, at node: Node) {
        diagnostics.append(.error(message, at: location(node)))
    }

    public mutating func scalar(_ node: Node, field: String) -> String? {
        guard let text = node.scalarText else {
            // Unquoted text with ': ' in it is read by YAML as a mapping: say how to fix that.
            let hint = node.mappingPairs?.count == 1 ? " (put text that contains ': ' in quotes)" : ""
            error("\(field) must be a single value, found \(node.shapeName)\(hint)", at: node)
            return nil
        }
        return text
    }

    public mutating func string(_ node: Node, field: String) -> String? {
        guard let text = scalar(node, field: field) else { return nil }
        guard !text.isEmpty else {
            error("\(field) is empty", at: node)
            return nil
        }
        return text
    }

    public mutating func enumeration<E: RawRepresentable & CaseIterable>(_ node: Node, field: String, as _: E.Type) -> E?
        where E.RawValue == String {
        guard let text = scalar(node, field: field) else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue)
        error("'\(text)' is not a valid \(field) (\(allowed.joined(separator: ", ")))" + Suggestion.phrase(for: text, in: allowed), at: node)
        return nil
    }

    public mutating func date(_ node: Node, field: String) -> Day? {
        guard let text = scalar(node, field: field) else { return nil }
        guard let day = Day(iso: text) else {
            error("'\(text)' is not a valid \(field); expected a date YYYY-MM-DD", at: node)
            return nil
        }
        return day
    }

    public mutating func integer(_ node: Node, field: String, range: ClosedRange<Int>) -> Int? {
        guard let text = scalar(node, field: field) else { return nil }
        guard let value = ScalarReader.parseInteger(text) else {
            error("'\(text)' is not a valid \(field); expected a whole number", at: node)
            return nil
        }
        guard range.contains(value) else {
            error("\(field) \(value) is out of range \(ScalarReader.describe(range))", at: node)
            return nil
        }
        return value
    }

    public mutating func boolean(_ node: Node, field: String) -> Bool? {
        guard let text = scalar(node, field: field) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            error("\(field) must be true or false, found '\(text)'", at: node)
            return nil
        }
    }

    public mutating func number(_ node: Node, field: String) -> Double? {
        guard let text = scalar(node, field: field) else { return nil }
        guard let value = ScalarReader.parseNumber(text) else {
            error("'\(text)' is not a valid \(field); expected a number", at: node)
            return nil
        }
        return value
    }

    public mutating func strings(_ node: Node, field: String) -> [String]? {
        guard let items = node.sequenceItems else {
            error("\(field) must be a list, found \(node.shapeName)", at: node)
            return nil
        }
        var result: [String] = []
        result.reserveCapacity(items.count)
        var failed = false
        for item in items {
            if let text = string(item, field: "an item of \(field)") { result.append(text) } else { failed = true }
        }
        return failed ? nil : result
    }

    /// Pairs of a mapping with string keys; reports duplicate and non-scalar keys.
    public mutating func pairs(_ node: Node, field: String) -> [(key: String, pair: Node.Pair)]? {
        guard let pairs = node.mappingPairs else {
            error("\(field) must be a mapping, found \(node.shapeName)", at: node)
            return nil
        }
        var result: [(key: String, pair: Node.Pair)] = []
        result.reserveCapacity(pairs.count)
        // Records have a dozen keys at most: comparing them pairwise beats hashing each one.
        var seen: Set<String>? = pairs.count > 16 ? [] : nil
        for pair in pairs {
            guard let key = pair.key.scalarText else {
                error("a key in \(field) must be a name, found \(pair.key.shapeName)", at: pair.key)
                continue
            }
            let duplicate = seen.map { $0.contains(key) } ?? result.contains { $0.key == key }
            guard !duplicate else {
                error("duplicate key '\(key)'", at: pair.key)
                continue
            }
            seen?.insert(key)
            result.append((key, pair))
        }
        return result
    }

    /// Decimal integers only: no octal, hex, `1_000` or sexagesimal YAML 1.1 forms.
    public static func parseInteger(_ text: String) -> Int? {
        var utf8 = Substring(text).utf8[...]
        if utf8.first == UInt8(ascii: "+") || utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    /// Decimal numbers: `31`, `18.5`, `-2`, `1e3`; never `.inf`, `nan` or hex.
    public static func parseNumber(_ text: String) -> Double? {
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || (first >= 0x30 && first <= 0x39),
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "(at least \(range.lowerBound))" : "\(range.lowerBound)–\(range.upperBound)"
    }
}
