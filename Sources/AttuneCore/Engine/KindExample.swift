/// An example a kind declares: a rule using it, records in, findings out. Examples are the
/// kind's tests (one parameterised test runs them all) and its documentation.
///
/// ```swift
/// KindExample(
///     name: "three in a row",
///     rule: "match: attendance == 'no-show'\nparams: {length: 3}",
///     records: """
///     - {date: 2026-01-05, attendance: no-show}
///     - {date: 2026-01-12, attendance: no-show}
///     - {date: 2026-01-19, attendance: no-show}
///     """,
///     expect: [.init(opened: "2026-01-19", closed: nil)])
/// ```
public struct KindExample: Sendable {
    /// An expected finding, written as text for readability in declarations.
    public struct Expectation: Sendable, Hashable {
        public var opened: String
        /// nil: still open at as-of.
        public var closed: String?
        public var client: String?
        public var therapist: String?

        public init(opened: String, closed: String?, client: String? = nil, therapist: String? = nil) {
            self.opened = opened
            self.closed = closed
            self.client = client
            self.therapist = therapist
        }
    }

    public var name: String
    /// The rule's kind-specific keys in YAML (`match`, `params`, …); id, title, severity and
    /// message are filled in.
    public var rule: String
    /// Session records in YAML; client, therapist and episode default to C-1, T-1 and 1.
    public var records: String
    /// nil: the latest record's date.
    public var asOf: String?
    public var expect: [Expectation]
    /// Whole rule modules (YAML) the example's rule reads findings of (for `caseload`).
    public var supportingRules: [String]
    /// Pack files the rule reads, by path in the pack (`expected/ors.yaml`: a calibration, for `trajectory`).
    public var files: [String: String]

    public init(
        name: String, rule: String, records: String, asOf: String? = nil, expect: [Expectation],
        supportingRules: [String] = [], files: [String: String] = [:]
    ) {
        self.name = name
        self.rule = rule
        self.records = records
        self.asOf = asOf
        self.expect = expect
        self.supportingRules = supportingRules
        self.files = files
    }
}
