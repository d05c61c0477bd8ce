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

    /// The longest part of a value a message repeats, in characters.
    public static let maxShownLength = 60

    /// A value as a message repeats it: whole when short, else its start and `…`, so that a
    /// thousand errors about megabyte values do not make a gigabyte report.
    public static func shown(_ text: String) -> String {
        guard let cut = text.index(text.startIndex, offsetBy: maxShownLength, limitedBy: text.endIndex),
            cut < text.endIndex
        else { return text }
        return text[..<cut] + "…"
    }

    public mutating func error(_ check: DiagnosticCheck, _ message: String, at node: Node) {
        diagnostics.append(.error(check, message, at: location(node)))
    }

    /// `key` as a case of the mapping's key enum, or nil once "unknown key 'key' in `place`" is
    /// reported at `node`, with a did-you-mean among `suggestions` (the keys allowed there).
    ///
    /// ```swift
    /// guard let known = reader.known(key, as: Key.self, in: "pack.yaml", suggesting: keys, at: pair.key) else { continue }
    /// ```
    mutating func known<Key: RawRepresentable<String>>(
        _ key: String, as _: Key.Type, in place: String, suggesting suggestions: [String], at node: Node
    ) -> Key? {
        if let known = Key(rawValue: key) { return known }
        error(.unknownKey, "unknown key '\(key)' in \(place)" + Suggestion.phrase(for: key, in: suggestions), at: node)
        return nil
    }

    public mutating func scalar(_ node: Node, field: String) -> String? {
        guard let text = node.scalarText else {
            // Unquoted text with ': ' in it is read by YAML as a mapping: say how to fix that.
            let hint = node.mappingPairs?.count == 1 ? " (put text that contains ': ' in quotes)" : ""
            error(.invalidValue, "\(field) must be a single value, found \(node.shapeName)\(hint)", at: node)
            return nil
        }
        return text
    }

    public mutating func string(_ node: Node, field: String) -> String? {
        guard let text = scalar(node, field: field) else { return nil }
        guard !text.isEmpty else {
            error(.invalidValue, "\(field) is empty", at: node)
            return nil
        }
        return text
    }

    /// The longest id or code accepted, in characters: pseudonyms are short, and an id is
    /// repeated in every line of a report that names its subject.
    public static let maxIdentifierLength = 100

    /// An id or code (client, therapist, episode, a tag, a marker): at most `maxIdentifierLength`
    /// characters (the error does not echo a longer one), visible text only, with no space at
    /// either end, so that two ids that look alike are the same id.
    public mutating func identifier(_ node: Node, field: String) -> String? {
        guard let text = string(node, field: field) else { return nil }
        let length = text.utf8.count <= Self.maxIdentifierLength ? text.utf8.count : text.count
        guard length <= Self.maxIdentifierLength else {
            error(
                .invalidValue, "\(field) is \(length) characters long; at most \(Self.maxIdentifierLength) are allowed",
                at: node)
            return nil
        }
        if let scalar = VisibleText.firstInvisible(in: text) {
            error(
                .invalidValue,
                "\(field) '\(text)' contains the invisible or control character \(VisibleText.name(scalar)); "
                    + "ids must be visible text", at: node)
            return nil
        }
        if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
            error(
                .invalidValue,
                "\(field) '\(text)' starts or ends with a space; ids must not, so that two ids never look alike",
                at: node)
            return nil
        }
        return text
    }

    /// A list of ids or codes, each checked as `identifier`.
    public mutating func identifiers(_ node: Node, field: String) -> [String]? {
        list(node, field: field) { reader, item, field in reader.identifier(item, field: field) }
    }

    public mutating func enumeration<E: RawRepresentable & CaseIterable>(_ node: Node, field: String, as _: E.Type)
        -> E?
    where E.RawValue == String {
        guard let text = scalar(node, field: field) else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue)
        error(
            .invalidValue,
            "'\(Self.shown(text))' is not a valid \(field) (\(allowed.joined(separator: ", ")))"
                + Suggestion.phrase(for: text, in: allowed), at: node)
        return nil
    }

    public mutating func date(_ node: Node, field: String) -> Day? {
        guard let text = scalar(node, field: field) else { return nil }
        guard let day = Day(iso: text) else {
            error(.invalidValue, "'\(Self.shown(text))' is not a valid \(field); expected a date YYYY-MM-DD", at: node)
            return nil
        }
        return day
    }

    public mutating func integer(_ node: Node, field: String, range: ClosedRange<Int>) -> Int? {
        guard let text = scalar(node, field: field) else { return nil }
        guard let value = ScalarReader.parseInteger(text) else {
            if Self.isWholeNumber(text) {
                error(
                    .invalidValue,
                    "\(field) \(Self.shown(text)) is out of range: whole numbers are at most 2^53 − 1 (\(Self.largestExactInteger)) in size",
                    at: node)
            } else {
                error(.invalidValue, "'\(Self.shown(text))' is not a valid \(field); expected a whole number", at: node)
            }
            return nil
        }
        guard range.contains(value) else {
            error(.invalidValue, "\(field) \(value) is out of range \(ScalarReader.describe(range))", at: node)
            return nil
        }
        return value
    }

    /// 2^53 − 1: whole numbers up to this are exact everywhere, in expressions (which compute
    /// in `Double`) as in reports; larger ones are a range error rather than silently rounded.
    public static let largestExactInteger = 9_007_199_254_740_991

    public mutating func boolean(_ node: Node, field: String) -> Bool? {
        guard let text = scalar(node, field: field) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            error(.invalidValue, "\(field) must be true or false, found '\(text)'", at: node)
            return nil
        }
    }

    public mutating func number(_ node: Node, field: String) -> Double? {
        guard let text = scalar(node, field: field) else { return nil }
        guard let value = ScalarReader.parseNumber(text) else {
            if Self.underflows(text) {
                error(
                    .invalidValue,
                    "'\(Self.shown(text))' is not a valid \(field); it is too close to zero to be represented (give 0, or a number of at least 1e-300)",
                    at: node)
            } else {
                error(.invalidValue, "'\(Self.shown(text))' is not a valid \(field); expected a number", at: node)
            }
            return nil
        }
        return value
    }

    public mutating func strings(_ node: Node, field: String) -> [String]? {
        list(node, field: field) { reader, item, field in reader.string(item, field: field) }
    }

    /// Every item of a sequence read by `read`; nil when any fails (each failure reported).
    private mutating func list(_ node: Node, field: String, _ read: (inout ScalarReader, Node, String) -> String?)
        -> [String]?
    {
        guard let items = node.sequenceItems else {
            error(.invalidValue, "\(field) must be a list, found \(node.shapeName)", at: node)
            return nil
        }
        var result: [String] = []
        result.reserveCapacity(items.count)
        var failed = false
        for item in items {
            if let text = read(&self, item, "an item of \(field)") { result.append(text) } else { failed = true }
        }
        return failed ? nil : result
    }

    /// Pairs of a mapping with string keys; reports duplicate and non-scalar keys.
    public mutating func pairs(_ node: Node, field: String) -> [(key: String, pair: Node.Pair)]? {
        guard let pairs = node.mappingPairs else {
            error(.invalidValue, "\(field) must be a mapping, found \(node.shapeName)", at: node)
            return nil
        }
        var result: [(key: String, pair: Node.Pair)] = []
        result.reserveCapacity(pairs.count)
        // Records have a dozen keys at most: comparing them pairwise beats hashing each one.
        var seen: Set<String>? = pairs.count > 16 ? [] : nil
        for pair in pairs {
            guard let key = pair.key.scalarText else {
                error(.invalidValue, "a key in \(field) must be a name, found \(pair.key.shapeName)", at: pair.key)
                continue
            }
            let duplicate = seen.map { $0.contains(key) } ?? result.contains { $0.key == key }
            guard !duplicate else {
                error(.unknownKey, "duplicate key '\(Self.shown(key))'", at: pair.key)
                continue
            }
            seen?.insert(key)
            result.append((key, pair))
        }
        return result
    }

    /// Decimal integers only: no octal, hex, `1_000` or sexagesimal YAML 1.1 forms; nil past
    /// ±(2^53 − 1) (`isWholeNumber` tells a range error from a typo).
    public static func parseInteger(_ text: String) -> Int? {
        guard isWholeNumber(text) else { return nil }
        let digits = text.utf8.drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        guard digits.count <= 16, let value = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text),
            abs(value) <= largestExactInteger
        else { return nil }
        return value
    }

    /// An optional sign and decimal digits, however many.
    public static func isWholeNumber(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8[...]
        if utf8.first == UInt8(ascii: "+") || utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        return !utf8.isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Decimal numbers: `31`, `18.5`, `-2`, `1e3`; never `.inf`, `nan` or hex, and never a
    /// nonzero number so small that it reads as 0 or loses its precision (`1e-400`).
    public static func parseNumber(_ text: String) -> Double? {
        guard let first = text.utf8.first,
            first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || (first >= 0x30 && first <= 0x39),
            text.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45
            }),
            let value = Double(text), value.isFinite, !value.isSubnormal
        else { return nil }
        if value == 0, underflows(text) { return nil }
        return value
    }

    /// A number written with a nonzero digit before its exponent that reads as 0 or as a
    /// subnormal `Double`: it underflowed.
    static func underflows(_ text: String) -> Bool {
        guard let value = Double(text) else { return false }
        let mantissa = text.utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        return (value == 0 && mantissa.contains { $0 >= 0x31 && $0 <= 0x39 }) || value.isSubnormal
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        range.upperBound == Int.max ? "(at least \(range.lowerBound))" : "\(range.lowerBound)–\(range.upperBound)"
    }
}
