import AttuneCore

/// The reporters `attune review --format` may name: the built-in ones and a site's own, given to
/// `AttuneCLI.main(reporters:)`. One format per reporter; a second reporter of a format is refused.
///
/// ```swift
/// let registry = try Reporters.registry.adding([FHIRNoteReporter.self])
/// registry.reporter(for: "fhir-note")?.render(review, options: ReportOptions())
/// ```
public struct ReporterRegistry: Sendable {
    public private(set) var reporters: [any Reporter.Type]

    public init(_ reporters: [any Reporter.Type]) throws(ReporterRegistryError) {
        self.reporters = []
        try add(reporters)
    }

    /// This registry and `extra` after it; a format already taken is an error naming both reporters.
    public func adding(_ extra: [any Reporter.Type]) throws(ReporterRegistryError) -> ReporterRegistry {
        var registry = self
        try registry.add(extra)
        return registry
    }

    private mutating func add(_ extra: [any Reporter.Type]) throws(ReporterRegistryError) {
        for reporter in extra {
            let format = reporter.format
            guard !format.isEmpty, format.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw ReporterRegistryError(
                    "reporter \(reporter) has the format '\(format)'; a format is one word (letters, digits, - and _)")
            }
            if let taken = reporters.first(where: { $0.format == format }) {
                throw ReporterRegistryError(
                    "reporter \(reporter) has the format '\(format)' of reporter \(taken); formats must be unique")
            }
            reporters.append(reporter)
        }
    }

    public var formats: [String] { reporters.map { $0.format } }

    public func reporter(for format: String) -> (any Reporter)? {
        reporters.first { $0.format == format }.map { $0.init() }
    }

    /// "text (for the terminal…), markdown (for a wiki…), …": the formats with what each is for.
    public var formatHelp: String {
        reporters.map { "\($0.format) (\($0.summary))" }.joined(separator: ", ")
    }
}

/// A reporter the registry refuses: a format already taken, or one that is no single word.
public struct ReporterRegistryError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
