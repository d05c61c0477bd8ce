/// A detector kind written in Swift: one type per kind, registered in a `KindRegistry`.
///
/// A kind is configured once per rule from the rule's checked parameters and holds no state
/// between evaluations: the same rule gives the same findings for the same records. Its scope
/// follows from the protocol it conforms to (`TimelineKind` or `FindingsKind`); a kind that
/// conforms to neither is refused by the registry.
///
/// ```swift
/// struct ThresholdKind: TimelineKind {
///     static let declaration = KindDeclaration(name: "threshold", ...)
///     init(configuration: KindConfiguration) throws(KindConfigurationError) {}
///     func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft] { ... }
/// }
/// ```
public protocol Kind: Detector {
    static var declaration: KindDeclaration { get }
    init(configuration: KindConfiguration) throws(KindConfigurationError)
    /// Where the kind looks, given by the protocol it conforms to (`TimelineKind`, `FindingsKind`);
    /// nil for neither. Not for a kind to state: `TimelineKind` and `FindingsKind` give it.
    static var conformedScope: KindDeclaration.Scope? { get }
}

extension Kind {
    public static var conformedScope: KindDeclaration.Scope? { nil }
}

/// What the engine runs for a rule: a configured Swift kind, or a plugin kind adapted to the
/// same two protocols, so the engine cannot tell them apart.
///
/// The engine asks a detector what it is through `timelineDetector`, `batchTimelineDetector`
/// and `findingsDetector`, which the protocols below give, rather than with a cast (`as?`): the
/// first cast of a type to a protocol searches every conformance in the binary, about 350,000
/// instructions, and a short review made some forty of them.
public protocol Detector: Sendable {
    /// The ways through the kind, as configured, that `attune test --coverage` asks tests to take.
    var branches: [KindBranch] { get }
    /// This detector, when it is a `TimelineDetector`; nil otherwise.
    var timelineDetector: (any TimelineDetector)? { get }
    /// This detector, when it is a `BatchTimelineDetector`; nil otherwise.
    var batchTimelineDetector: (any BatchTimelineDetector)? { get }
    /// This detector, when it is a `FindingsDetector`; nil otherwise.
    var findingsDetector: (any FindingsDetector)? { get }
}

extension Detector {
    public var timelineDetector: (any TimelineDetector)? { nil }
    public var batchTimelineDetector: (any BatchTimelineDetector)? { nil }
    public var findingsDetector: (any FindingsDetector)? { nil }
}

extension TimelineDetector {
    public var timelineDetector: (any TimelineDetector)? { self }
}

extension BatchTimelineDetector {
    public var batchTimelineDetector: (any BatchTimelineDetector)? { self }
}

/// A detector that looks at one (client, episode) timeline at a time.
public protocol TimelineDetector: Detector {
    func detect(in timeline: RuleTimeline) throws(EvaluationError) -> [FindingDraft]
}

/// A timeline detector that judges many timelines of one rule in one call: a plugin, whose every
/// call has a fixed cost (a pipe round trip, entering the WebAssembly interpreter). The engine
/// hands it the timelines of a rule up to `Engine.timelinesPerBatch` at a time.
public protocol BatchTimelineDetector: TimelineDetector {
    /// One result per timeline, in order: a timeline the kind cannot judge fails alone.
    func detect(in timelines: [RuleTimeline]) -> [Result<[FindingDraft], EvaluationError>]
}

/// A detector that reads other rules' findings, per therapist (the `caseload` kind).
public protocol FindingsDetector: Detector {
    /// The rules whose findings it reads; they run first.
    var inputRules: [String] { get }
    /// Whether it reads the findings' `values`. When not, a review keeps no values for the
    /// findings from before its period that only this kind's rules read.
    var readsValues: Bool { get }
    /// A caseload the kind cannot evaluate (a plugin's bad answer) is an evaluation error.
    func detect(in caseload: CaseloadView) throws(EvaluationError) -> [FindingDraft]
}

extension FindingsDetector {
    /// A kind that does not say reads them (a plugin: its request carries them).
    public var readsValues: Bool { true }
    public var findingsDetector: (any FindingsDetector)? { self }
}

/// A Swift kind that looks at one (client, episode) timeline at a time.
public protocol TimelineKind: Kind, TimelineDetector {}

extension TimelineKind {
    public static var conformedScope: KindDeclaration.Scope? { .timeline }
}

/// A Swift kind that reads other rules' findings, per therapist.
public protocol FindingsKind: Kind, FindingsDetector {}

extension FindingsKind {
    public static var conformedScope: KindDeclaration.Scope? { .caseload }
}

/// A rule's checked parameters (defaults filled in) and the vocabulary, handed to a kind's initialiser.
public struct KindConfiguration: Sendable {
    public var parameters: [String: ParameterValue]
    public var vocabulary: Vocabulary

    public init(parameters: [String: ParameterValue], vocabulary: Vocabulary) {
        self.parameters = parameters
        self.vocabulary = vocabulary
    }

    public func integer(_ name: String) -> Int? {
        if case .integer(let i)? = parameters[name] { return i }
        return nil
    }

    public func number(_ name: String) -> Double? {
        switch parameters[name] {
        case .number(let n)?: return n
        case .integer(let i)?: return Double(i)
        default: return nil
        }
    }

    public func string(_ name: String) -> String? {
        if case .string(let s)? = parameters[name] { return s }
        return nil
    }

    public func strings(_ name: String) -> [String]? {
        if case .strings(let list)? = parameters[name] { return list }
        return nil
    }

    /// A declared param's value: the rule's, else the declaration's default, which the loader
    /// fills in before a kind is made. So a kind reads its defaults from its declaration and never
    /// writes one a second time; a param without a value is the param's error.
    public func requiredInteger(_ name: String) throws(KindConfigurationError) -> Int {
        guard let value = integer(name) else { throw Self.missing(name, "a whole number") }
        return value
    }

    /// As `requiredInteger(_:)`, for a number.
    public func requiredNumber(_ name: String) throws(KindConfigurationError) -> Double {
        guard let value = number(name) else { throw Self.missing(name, "a number") }
        return value
    }

    /// As `requiredInteger(_:)`, for text or one of a choice of words.
    public func requiredString(_ name: String) throws(KindConfigurationError) -> String {
        guard let value = string(name) else { throw Self.missing(name, "text") }
        return value
    }

    private static func missing(_ name: String, _ type: String) -> KindConfigurationError {
        KindConfigurationError(
            "param '\(name)' has no value (\(type)): give it in the rule", parameter: name, check: .missingKey)
    }

    /// A measure param's name, vocabulary index and declaration; unknown names are the param's error.
    public func measure(_ name: String) throws(KindConfigurationError) -> (name: String, index: Int, spec: MeasureSpec)
    {
        let measure = string(name) ?? ""
        guard let spec = vocabulary.measure(measure), let index = vocabulary.measureIndex(measure) else {
            throw KindConfigurationError("unknown measure '\(measure)'", parameter: name)
        }
        return (measure, index, spec)
    }

    /// A calibration param's path and the file's contents (nil when no pack holds it).
    public func calibration(_ name: String) -> (path: String, expected: ExpectedResponse?)? {
        if case .calibration(let path, let expected)? = parameters[name] { return (path, expected) }
        return nil
    }

    public func signals(_ name: String) -> [Signal]? {
        if case .signals(let list)? = parameters[name] { return list }
        return nil
    }
}

/// A rule's parameters that make sense one by one but not together.
public struct KindConfigurationError: Error, Sendable {
    public var message: String
    /// The parameter to point at, when one is to blame.
    public var parameter: String?
    /// The lint check it belongs to: a value the kind cannot use unless the kind says otherwise
    /// (a missing param, a calibration file that does not fit).
    public var check: DiagnosticCheck

    public init(_ message: String, parameter: String? = nil, check: DiagnosticCheck = .invalidValue) {
        self.message = message
        self.parameter = parameter
        self.check = check
    }
}

/// What a kind reports; the engine adds the rule, subject, evidence records and message.
public struct FindingDraft: Sendable, Hashable {
    public var opened: Day
    public var closed: Day?
    /// Indices into the timeline's records (timeline kinds); empty for caseload findings.
    public var evidence: [Int]
    /// Placeholder values, which are also the finding's evidence values: in the finding's own
    /// form, so that a kind's `["count": .number(2), …]` is not made a dictionary first (hashing
    /// each name) and then turned into it.
    public var values: FindingValues
    /// What the client's scores were expected to be (a `trajectory` finding), for the chart.
    public var expectedBand: ExpectedBand?

    public init(
        opened: Day, closed: Day?, evidence: [Int] = [], values: FindingValues = [:],
        expectedBand: ExpectedBand? = nil
    ) {
        self.opened = opened
        self.closed = closed
        self.evidence = evidence
        self.values = values
        self.expectedBand = expectedBand
    }
}

/// The findings a `FindingsKind` reads: one therapist's, from its input rules.
///
/// Each finding comes as its rule, subject, dates and values (`ReadFinding`), in the order of the
/// timelines' findings. In a review (`Engine.Options.keepsFindingsOpenSince`), those closed before
/// the period (never reported) have values only when the kind reads them (`readsValues`).
public struct CaseloadView: Sendable {
    public let therapist: String
    public let findings: [ReadFinding]
    public let asOf: Day
    /// Client → the dates of their attended appointments with this therapist, in order: what a
    /// share of the therapist's active caseload is counted against.
    public let attended: [String: [Day]]
    /// Set only for an instrumented rule (`attune test --coverage`).
    let coverage: RuleCoverage?

    public init(
        therapist: String, findings: [ReadFinding], asOf: Day, attended: [String: [Day]] = [:],
        coverage: RuleCoverage? = nil
    ) {
        self.therapist = therapist
        self.findings = findings
        self.asOf = asOf
        self.attended = attended
        self.coverage = coverage
    }

    /// Tells `attune test --coverage` that the kind took one of its branches.
    public func reached(_ branch: String) {
        coverage?.reach(branch)
    }
}
