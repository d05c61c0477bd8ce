/// A located error, warning or note, printed the way editors and CI annotate: `file:line:column: error: message`.
/// A note tells a fact that needs no fixing (a rule that is off until a calibration file exists).
///
/// ```swift
/// let d = Diagnostic.error("unknown kind 'windowed'; did you mean 'window'?", at: location)
/// print(d)   // rules/x.yaml:4:8: error: unknown kind 'windowed'; did you mean 'window'?
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case note, warning, error
        private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public static func warning(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    public static func note(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.note, message, at: location)
    }

    /// One line whatever the message holds: a value with a line break or an escape sequence is
    /// shown escaped, so that no input can forge or hide a diagnostic.
    public var description: String { "\(location): \(severity.rawValue): \(VisibleText.escaped(message))" }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
    public var notes: [Diagnostic] { filter { $0.severity == .note } }

    /// In file, line, column order: the order a reader scans a file in.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            a.element.location != b.element.location ? a.element.location < b.element.location : a.offset < b.offset
        }.map(\.element)
    }
}
