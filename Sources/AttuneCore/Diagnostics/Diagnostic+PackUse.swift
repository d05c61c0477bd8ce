extension Diagnostic {
    /// What a command that uses the packs (review, explain, serve) shows of their diagnostics:
    /// errors, and warnings that a pack does not do what it says. A rule without tests and a note
    /// (a rule off until a calibration exists) are lint's business.
    public var isShownWhenPacksAreUsed: Bool {
        severity == .error || (severity == .warning && !isMissingTests)
    }

    /// PackLoader's warning that a rule has no tests (lint's `no-tests` check).
    var isMissingTests: Bool { message.hasPrefix("rule '") && message.hasSuffix("' has no tests") }
}
