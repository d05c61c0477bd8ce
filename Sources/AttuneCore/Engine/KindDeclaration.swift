/// Everything a kind tells the rest of Attune about itself: lint, tests, docs and the JSON
/// Schema all read this one declaration.
///
/// ```swift
/// static let declaration = KindDeclaration(
///     name: "streak", summary: "L consecutive records match",
///     parameters: [.init("length", .integer(1...1000), doc: "How many in a row")],
///     expressions: [.match], placeholders: [.init("length", "the streak length")], examples: [...])
/// ```
public struct KindDeclaration: Sendable {
    public enum Scope: String, Sendable { case timeline, caseload }

    public var name: String
    public var summary: String
    /// A longer explanation for the generated docs.
    public var details: String
    /// Filled in at registration, and only there: from the protocol a Swift kind conforms to
    /// (`TimelineKind` or `FindingsKind`), or from a plugin's declare message. A Swift kind has no
    /// way to state it a second time.
    public internal(set) var scope: Scope
    public var parameters: [ParameterDeclaration]
    /// Expression-valued rule keys besides `where` (`match`, `until`, …).
    public var expressions: [ExpressionDeclaration]
    public var placeholders: [PlaceholderDeclaration]
    public var examples: [KindExample]

    public init(
        name: String, summary: String, details: String = "",
        parameters: [ParameterDeclaration], expressions: [ExpressionDeclaration],
        placeholders: [PlaceholderDeclaration], examples: [KindExample]
    ) {
        self.name = name
        self.summary = summary
        self.details = details
        scope = .timeline
        self.parameters = parameters
        self.expressions = expressions
        self.placeholders = placeholders
        self.examples = examples
    }

    public func parameter(_ name: String) -> ParameterDeclaration? {
        parameters.first { $0.name == name }
    }

    /// Placeholders every timeline finding's message can use, whatever its kind.
    public static let commonTimelinePlaceholders = [
        PlaceholderDeclaration("client", "the client's pseudonym"),
        PlaceholderDeclaration("episode", "the episode of care"),
        PlaceholderDeclaration("therapist", "the therapist's pseudonym"),
        PlaceholderDeclaration("opened", "the date the finding opened"),
        PlaceholderDeclaration("closed", "the date it closed, or 'open'"),
        PlaceholderDeclaration("sessions", "the dates of the evidence records"),
    ]

    public static let commonCaseloadPlaceholders = [
        PlaceholderDeclaration("therapist", "the therapist's pseudonym"),
        PlaceholderDeclaration("opened", "the date the finding opened"),
        PlaceholderDeclaration("closed", "the date it closed, or 'open'"),
    ]

    /// All placeholders a message of this kind may use.
    public var allPlaceholders: [PlaceholderDeclaration] {
        (scope == .timeline ? Self.commonTimelinePlaceholders : Self.commonCaseloadPlaceholders) + placeholders
    }
}

/// A parameter of a kind, with its type, default and documentation.
public struct ParameterDeclaration: Sendable {
    public var name: String
    public var type: ParameterType
    /// nil: the rule must give it.
    public var defaultValue: ParameterValue?
    public var doc: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: ParameterValue? = nil, doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }

    public var isRequired: Bool { defaultValue == nil }
}

/// The types a parameter can have.
public enum ParameterType: Sendable, Hashable {
    case integer(ClosedRange<Int>)
    case number
    case string
    /// One of fixed words; a `pattern` entry like `mean-of-first-N` accepts any whole number for N.
    case choice([String])
    /// The name of a measure of the vocabulary.
    case measure
    /// Ids of other rules.
    case ruleIDs
    /// A list of `{when: expression, points: integer, label: text}`.
    case signals
    /// A calibration file made by `attune calibrate`, by its path in a pack folder (`expected/ors.yaml`).
    case calibration

    public var description: String {
        switch self {
        case .integer(let range): return "whole number \(ScalarReader.describe(range))"
        case .number: return "number"
        case .string: return "text"
        case .choice(let words): return "one of " + words.joined(separator: ", ")
        case .measure: return "measure name"
        case .ruleIDs: return "list of rule ids"
        case .signals: return "list of signals {when, points, label}"
        case .calibration: return "calibration file in a pack folder (expected/NAME.yaml, made by attune calibrate)"
        }
    }
}

/// A parameter's value, once read and checked.
public enum ParameterValue: Sendable, Hashable {
    case integer(Int)
    case number(Double)
    case string(String)
    case strings([String])
    case signals([Signal])
    /// A calibration file's path and contents; nil contents when no pack holds the file (the rule is then off).
    case calibration(path: String, ExpectedResponse?)

    /// For docs and messages.
    public var displayText: String {
        switch self {
        case .integer(let i): return String(i)
        case .number(let n): return Value.format(n)
        case .string(let s): return s
        case .strings(let list): return "[" + list.joined(separator: ", ") + "]"
        case .signals(let signals): return signals.map { "\($0.label): \($0.points)" }.joined(separator: "; ")
        case .calibration(let path, _): return path
        }
    }

    public var value: Value {
        switch self {
        case .integer(let i): return .number(Double(i))
        case .number(let n): return .number(n)
        case .string(let s): return .string(s)
        case .strings(let list): return .list(list.map(Value.string))
        case .signals(let signals): return .list(signals.map { .string($0.label) })
        case .calibration(let path, _): return .string(path)
        }
    }
}

/// One scoring signal of a `score` rule.
public struct Signal: Sendable, Hashable {
    public var label: String
    public var points: Int
    public var condition: CompiledExpression

    public init(label: String, points: Int, condition: CompiledExpression) {
        self.label = label
        self.points = points
        self.condition = condition
    }

    public static func == (a: Signal, b: Signal) -> Bool {
        a.label == b.label && a.points == b.points && a.condition.source == b.condition.source
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(label)
        hasher.combine(points)
        hasher.combine(condition.source)
    }
}

/// An expression-valued rule key a kind reads.
public struct ExpressionDeclaration: Sendable, Hashable {
    public var name: String
    public var required: Bool
    public var doc: String

    public init(_ name: String, required: Bool, doc: String) {
        self.name = name
        self.required = required
        self.doc = doc
    }

    public static let match = ExpressionDeclaration(
        "match", required: true, doc: "The condition the kind looks for in each record")
}

/// A `{name}` a rule's message may use.
public struct PlaceholderDeclaration: Sendable, Hashable {
    public var name: String
    public var doc: String

    public init(_ name: String, _ doc: String) {
        self.name = name
        self.doc = doc
    }
}
