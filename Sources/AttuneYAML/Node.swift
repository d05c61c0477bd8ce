/// A 1-based position in a source document.
///
/// ```swift
/// let mark = Mark(line: 3, column: 5)   // line 3, column 5
/// ```
public struct Mark: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: Mark, b: Mark) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One node of a YAML or JSON document, with the position it started at.
///
/// Scalars keep their text untyped: the consumer types them by its own schema, never by
/// YAML 1.1 guessing (`NO` stays the string `"NO"` until a schema says otherwise).
///
/// ```swift
/// if case .mapping(let pairs) = node.content {
///     for pair in pairs { print(pair.key.scalarText ?? "?", pair.value.mark) }
/// }
/// ```
public struct Node: Sendable {
    public enum ScalarStyle: Sendable, Hashable {
        /// Plain (unquoted) YAML scalar, or a JSON number, `true`, `false` or `null`.
        case plain
        /// Single- or double-quoted YAML scalar, a block scalar, or a JSON string.
        case quoted
    }

    public struct Pair: Sendable {
        public var key: Node
        public var value: Node

        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }
    }

    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([Node])
        case mapping([Pair])
    }

    public var content: Content
    public var mark: Mark

    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// The text of a scalar node, or nil for collections.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// True for a plain `null`, `~` or empty scalar (YAML) or JSON `null`.
    public var isNull: Bool {
        if case .scalar(let text, .plain) = content {
            // By length first: most values are not null, and need no string comparison at all.
            switch text.utf8.count {
            case 0: return true
            case 1: return text == "~"
            case 4: return text == "null" || text == "Null" || text == "NULL"
            default: return false
            }
        }
        return false
    }

    public var mappingPairs: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    public var sequenceItems: [Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// A short name for the node's shape, for error messages ("a mapping", "a sequence", "a scalar").
    public var shapeName: String {
        switch content {
        case .scalar: return "a scalar"
        case .sequence: return "a sequence"
        case .mapping: return "a mapping"
        }
    }
}

/// An error found while reading a document: syntax, limits, encoding.
public struct DocumentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var mark: Mark

    public init(_ message: String, at mark: Mark) {
        self.message = message
        self.mark = mark
    }

    public var description: String { "\(mark): \(message)" }
}

/// Bounds that keep hostile input in bounded time and memory.
public struct DocumentLimits: Sendable, Hashable {
    /// Deepest nesting of collections allowed (records.md: 64).
    public var maxDepth: Int
    /// Longest scalar allowed, in bytes (records.md: 1 MiB).
    public var maxScalarBytes: Int
    /// Whether aliases (`*name`) are allowed at all. Record files reject them.
    public var allowsAliases: Bool
    /// With aliases allowed: the most nodes that alias expansion may add to one document,
    /// so that a "billion laughs" file ends in an error instead of exhausting memory.
    public var aliasExpansionBudget: Int
    /// The most nodes one streamed item (`forEachItem`, `forEachLine`) may hold, so that a record
    /// with a 30-million-element `tags: [a,a,…]` is an error, not gigabytes of nodes.
    public var maxNodes: Int
    /// The most nodes a whole document built by `documents`/`document` may hold.
    public var maxDocumentNodes: Int

    public init(
        maxDepth: Int = 64, maxScalarBytes: Int = 1 << 20, allowsAliases: Bool, aliasExpansionBudget: Int = 10_000,
        maxNodes: Int = 1_000_000, maxDocumentNodes: Int = 1_000_000
    ) {
        self.maxDepth = maxDepth
        self.maxScalarBytes = maxScalarBytes
        self.allowsAliases = allowsAliases
        self.aliasExpansionBudget = aliasExpansionBudget
        self.maxNodes = maxNodes
        self.maxDocumentNodes = maxDocumentNodes
    }

    /// Input libyaml may read without emitting an event: a scalar at the length limit written
    /// with escapes (`\u00e9`) takes up to six bytes a character, plus room for read-ahead.
    public var tokenInputBudget: Int { maxScalarBytes * 8 + (64 << 10) }

    /// Limits for session record files: no aliases; a record is a few dozen nodes, so 10,000 is generous.
    public static let records = DocumentLimits(allowsAliases: false, maxNodes: 10_000)
    /// Limits for rule packs: aliases allowed within a budget.
    public static let rules = DocumentLimits(allowsAliases: true)
}
