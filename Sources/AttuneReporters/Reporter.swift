import AttuneCore

/// Renders a `Review` in one format. One reporter per file; the CLI picks one by `format`.
///
/// ```swift
/// let text = Reporters.reporter(for: "json")!.render(review, options: ReportOptions())
/// ```
public protocol Reporter: Sendable {
    /// The `--format` value that selects this reporter.
    static var format: String { get }
    /// What the format is for, in a few words: `attune review --help` shows it by the format.
    static var summary: String { get }
    /// Whether the report shows the review's data quality: rules that could not evaluate, records
    /// a rule could not judge, bookings not recorded. A format that cannot (CSV is one row per
    /// finding) says `false`, and `attune review` prints that part on standard error instead, so
    /// that its quiet report is never taken for a quiet week. `true` unless a reporter says otherwise.
    static var showsDataQuality: Bool { get }
    init()
    func render(_ review: Review, options: ReportOptions) -> String
    /// This reporter, when it is a `StreamingReporter`; nil otherwise. Asked rather than cast
    /// (`as?`), whose first search of the binary's conformances costs about 350,000 instructions.
    var streaming: (any StreamingReporter)? { get }
}

extension Reporter {
    public static var showsDataQuality: Bool { true }
    public var streaming: (any StreamingReporter)? { nil }
}

extension StreamingReporter {
    public var streaming: (any StreamingReporter)? { self }
}

/// A reporter that writes its report as UTF-8 bytes, piece by piece: a large report goes to its
/// file as it is rendered, never whole in memory, and never as a `String` copy of itself. Every
/// built-in reporter is one; `render(_:options:)` puts the pieces together.
///
/// ```swift
/// var bytes: [UInt8] = []
/// JSONReporter().render(review, options: ReportOptions()) { bytes.append(contentsOf: $0) }
/// ```
public protocol StreamingReporter: Reporter {
    /// The same bytes as `render(_:options:)`'s text, handed to `output` in order.
    func render(_ review: Review, options: ReportOptions, output: (UnsafeRawBufferPointer) -> Void)
}

/// How a report should look where it is going.
public struct ReportOptions: Sendable {
    /// ANSI colour by severity (text on a terminal, never with NO_COLOR).
    public var colour: Bool
    /// Line width for wrapping text output.
    public var width: Int
    /// Threads a reporter may render on (the JSON report's long arrays); the bytes never depend on it.
    public var jobs: Int

    public init(colour: Bool = false, width: Int = 80, jobs: Int = 1) {
        self.colour = colour
        self.width = width
        self.jobs = max(1, jobs)
    }
}

/// The reporters that ship with Attune.
public enum Reporters {
    public static let all: [any Reporter.Type] = [
        TextReporter.self,
        MarkdownReporter.self,
        HTMLReporter.self,
        JSONReporter.self,
        CSVReporter.self,
    ]

    public static var formats: [String] { all.map { $0.format } }

    public static func reporter(for format: String) -> (any Reporter)? {
        all.first { $0.format == format }.map { $0.init() }
    }

    /// The built-in reporters alone. Their formats are distinct (a test builds
    /// `ReporterRegistry(all)` and would fail first), so this cannot trap.
    public static let registry: ReporterRegistry = {
        do { return try ReporterRegistry(all) } catch {
            preconditionFailure("the built-in reporters do not register: \(error)")
        }
    }()
}
