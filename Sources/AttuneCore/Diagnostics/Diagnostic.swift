/// A located error, warning or note, printed the way editors and CI annotate: `file:line:column: error: message`.
/// A note tells a fact that needs no fixing (a rule that is off until a calibration file exists).
///
/// ```swift
/// let d = Diagnostic.error(.unknownKind, "unknown kind 'windowed'; did you mean 'window'?", at: location)
/// print(d)   // rules/x.yaml:4:8: error: unknown kind 'windowed'; did you mean 'window'?
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case note, warning, error
        private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    /// What kind of problem it is, given where the diagnostic is made, never told from its words.
    public var check: DiagnosticCheck
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ check: DiagnosticCheck, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.check = check
        self.message = message
        self.location = location
    }

    public static func error(_ check: DiagnosticCheck, _ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, check, message, at: location)
    }

    public static func warning(_ check: DiagnosticCheck, _ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.warning, check, message, at: location)
    }

    public static func note(_ check: DiagnosticCheck, _ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.note, check, message, at: location)
    }

    /// What a command that uses the packs (review, explain, serve) shows of their diagnostics:
    /// errors, and warnings that a pack does not do what it says. A rule without tests and a note
    /// (a rule off until a calibration exists) are lint's business.
    public var isShownWhenPacksAreUsed: Bool {
        severity == .error || (severity == .warning && check != .noTests)
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
