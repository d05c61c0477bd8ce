/// A rule module, loaded and checked: ready for the engine.
///
/// Rules hold no runtime state; the engine hands each rule's kind the records to look at.
///
/// ```swift
/// for rule in ruleSet.rules where rule.severity >= .high { print(rule.id, rule.kindName) }
/// ```
public struct Rule: Sendable {
    public var id: String
    public var title: String
    public var severity: Severity
    public var kindName: String
    public var kind: any Detector
    /// The kind as registered: its declaration (scope filled in from the protocol it conforms
    /// to) and how to configure it again (`attune test --mutate` rebuilds rules).
    public var registration: KindRegistration
    public var whereExpression: CompiledExpression?
    /// `match` and any other expression-valued keys the kind declares, by key.
    public var expressions: [String: CompiledExpression]
    public var parameters: [String: ParameterValue]
    public var message: MessageTemplate
    /// Placeholders that are expressions (`{measures.srs}`, `{srs_cutoff}`), read from the
    /// finding's last evidence record.
    public var messageExpressions: [String: CompiledExpression]
    public var guidance: String
    public var references: [String]
    public var tags: [String]
    public var enabled: Bool
    public var tests: [RuleTest]
    /// The pack the rule came from, and where.
    public var pack: String
    public var location: SourceLocation
    /// Where each key of the rule module stands, for later diagnostics.
    public var keyLocations: [String: SourceLocation]
    /// Set only on an instrumented copy (`attune test --coverage`): where the kind reports branches taken.
    public var coverage: RuleCoverage? = nil
    /// Params given as a pack constant's name (`by: phq9_reliable_change`), by param name.
    public var parameterConstants: [String: String] = [:]

    /// Ids of rules whose findings this rule reads.
    public var inputRules: [String] {
        kind.findingsDetector?.inputRules ?? []
    }

    public var declaration: KindDeclaration { registration.declaration }
}

/// A rule's `message`, with its `{placeholders}` found once.
///
/// ```swift
/// let template = try MessageTemplate.parse("withdrawal in {count} of the last {of_last} sessions").get()
/// template.render(["count": .number(3), "of_last": .number(4)])
/// ```
public struct MessageTemplate: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case placeholder(String, offset: Int)
    }

    public let source: String
    public let parts: [Part]

    public var placeholders: [(name: String, offset: Int)] {
        parts.compactMap {
            if case .placeholder(let name, let offset) = $0 { return (name, offset) }
            return nil
        }
    }

    /// `{name}` inserts a value; `{{` and `}}` stand for braces.
    public static func parse(_ source: String) -> Result<MessageTemplate, ExpressionError> {
        var parts: [Part] = []
        var text = ""
        let chars = Array(source)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                text.append("{")
                i += 2
            } else if c == "}", i + 1 < chars.count, chars[i + 1] == "}" {
                text.append("}")
                i += 2
            } else if c == "{" {
                guard let close = chars[(i + 1)...].firstIndex(of: "}") else {
                    return .failure(ExpressionError("'{' without a closing '}' (write '{{' for a brace)", offset: i))
                }
                let name = String(chars[(i + 1)..<close]).trimmingCharacters(in: " ")
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
                    return .failure(ExpressionError("'{\(name)}' is not a placeholder name", offset: i))
                }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.placeholder(name, offset: i))
                i = close + 1
            } else if c == "}" {
                return .failure(ExpressionError("'}' without an opening '{' (write '}}' for a brace)", offset: i))
            } else {
                text.append(c)
                i += 1
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return .success(MessageTemplate(source: source, parts: parts))
    }

    /// Limits that keep one finding's message a sentence or two: a rule checked by lint has at
    /// most `maxPlaceholders` placeholders and `maxSourceLength` characters; a rendered message
    /// (whose values may be long lists) is cut at `maxRenderedLength` characters, ending in "…".
    public static let maxPlaceholders = 32
    public static let maxSourceLength = 1_000
    public static let maxRenderedLength = 2_000

    /// What is wrong with a template past the limits, as the end of a sentence; nil within them.
    public var exceedsLimits: String? {
        let placeholderCount = parts.count { if case .placeholder = $0 { true } else { false } }
        if placeholderCount > Self.maxPlaceholders {
            return "has \(placeholderCount) placeholders; at most \(Self.maxPlaceholders) are allowed"
        }
        let length = source.count
        if length > Self.maxSourceLength {
            return "is \(length) characters long; at most \(Self.maxSourceLength) are allowed"
        }
        return nil
    }

    public func render(_ values: [String: Value]) -> String {
        render { values[$0] }
    }

    /// Renders with each placeholder's value asked for by name, so that values the message
    /// does not use are never made (the engine renders one message per finding).
    public func render(_ value: (String) -> Value?) -> String {
        // Every piece is made first, so that the message is allocated once at its size: grown by
        // appending, its buffer keeps up to twice the room it needs for as long as the finding.
        var pieces: [String] = []
        pieces.reserveCapacity(parts.count)
        var bytes = 0
        for part in parts {
            let piece: String
            switch part {
            case .text(let text): piece = text
            case .placeholder(let name, _): piece = value(name)?.displayText ?? "{\(name)}"
            }
            bytes += piece.utf8.count
            pieces.append(piece)
        }
        // A piece has no more characters than UTF-8 bytes: within the limit, nothing can be cut.
        if bytes <= Self.maxRenderedLength {
            // One piece is the message as it is (a template's own text, shared, not copied).
            if pieces.count == 1 { return pieces[0] }
            var result = ""
            result.reserveCapacity(bytes)
            for piece in pieces { result += piece }
            return result
        }
        return Self.cut(pieces)
    }

    /// The pieces joined and cut at `maxRenderedLength` characters, ending in "…". Characters are
    /// counted (the costly part) only once the bytes so far pass the limit.
    private static func cut(_ pieces: [String]) -> String {
        var result = ""
        var bytes = 0
        var length: Int?
        var pieceEnds: [Int] = []
        pieceEnds.reserveCapacity(pieces.count)
        for piece in pieces {
            if length == nil {
                let size = piece.utf8.count
                if bytes + size <= Self.maxRenderedLength {
                    result += piece
                    bytes += size
                    pieceEnds.append(bytes)
                    continue
                }
                length = Self.characterCount(of: result, pieceEnds: pieceEnds)
            }
            // Characters are counted only up to the room left, so a long value costs no more than that.
            let room = Self.maxRenderedLength - (length ?? 0)
            let cut = piece.index(piece.startIndex, offsetBy: room, limitedBy: piece.endIndex) ?? piece.endIndex
            result += piece[..<cut]
            if cut < piece.endIndex { return result + "…" }
            length = (length ?? 0) + piece.distance(from: piece.startIndex, to: cut)
        }
        return result
    }

    /// The characters of `text` counted piece by piece (its pieces end at these UTF-8 offsets), as
    /// they were appended: a character is never counted across two pieces.
    private static func characterCount(of text: String, pieceEnds: [Int]) -> Int {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var count = 0
        for end in pieceEnds {
            let endIndex = utf8.index(utf8.startIndex, offsetBy: end)
            count += String(decoding: utf8[start..<endIndex], as: UTF8.self).count
            start = endIndex
        }
        return count
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
