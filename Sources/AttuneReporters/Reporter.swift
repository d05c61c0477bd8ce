import AttuneCore

/// Renders a `Review` in one format. One reporter per file; the CLI picks one by `format`.
///
/// ```swift
/// let text = Reporters.reporter(for: "json")!.render(review, options: ReportOptions())
/// ```
public protocol Reporter: Sendable {
    /// The `--format` value that selects this reporter.
    static var format: String { get }
    init()
    func render(_ review: Review, options: ReportOptions) -> String
}

/// How a report should look where it is going.
public struct ReportOptions: Sendable {
    /// ANSI colour by severity (text on a terminal, never with NO_COLOR).
    public var colour: Bool
    /// Line width for wrapping text output.
    public var width: Int

    public init(colour: Bool = false, width: Int = 80) {
        self.colour = colour
        self.width = width
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
}
