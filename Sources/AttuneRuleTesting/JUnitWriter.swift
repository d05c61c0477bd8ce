import AttuneCore

/// Writes rule test outcomes as JUnit XML, which CI systems render as a test report: one
/// `<testsuite>` per rule (inline tests) or scenario file, one `<testcase>` per test, the
/// readable diff of a failure as its body.
///
/// ```swift
/// let xml = JUnitWriter().render(RuleTestRunner(ruleSet: ruleSet).runAll())   // attune test --format junit
/// ```
public struct JUnitWriter: Sendable {
    public init() {}

    /// `errors` are what stopped tests from running or made the run fail without a failing test
    /// (packs that do not load, no tests at all, a filter that matches none): each becomes a
    /// test case with an `<error>`, so the document is valid and a CI system shows the failure.
    public func render(_ outcomes: [RuleTestRunner.Outcome], errors: [String] = []) -> String {
        var suites: [(name: String, outcomes: [RuleTestRunner.Outcome])] = []
        for outcome in outcomes {
            if let index = suites.firstIndex(where: { $0.name == outcome.suite }) {
                suites[index].outcomes.append(outcome)
            } else {
                suites.append((outcome.suite, [outcome]))
            }
        }
        let failures = outcomes.filter { !$0.passed }.count
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"attune test\" tests=\"\(outcomes.count + errors.count)\" failures=\"\(failures)\" errors=\"\(errors.count)\">",
        ]
        if !errors.isEmpty {
            lines.append(
                "  <testsuite name=\"attune\" tests=\"\(errors.count)\" failures=\"0\" errors=\"\(errors.count)\" skipped=\"0\">"
            )
            for (index, error) in errors.enumerated() {
                let firstLine = error.split(separator: "\n").first.map(String.init) ?? error
                lines.append("    <testcase name=\"error \(index + 1)\" classname=\"attune\">")
                lines.append(
                    "      <error message=\"\(Self.escape(firstLine))\" type=\"attune.error\">\(Self.escape(error))</error>"
                )
                lines.append("    </testcase>")
            }
            lines.append("  </testsuite>")
        }
        for suite in suites {
            let suiteFailures = suite.outcomes.filter { !$0.passed }.count
            lines.append(
                "  <testsuite name=\"\(Self.escape(suite.name))\" tests=\"\(suite.outcomes.count)\" failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"0\">"
            )
            for outcome in suite.outcomes {
                let attributes =
                    "name=\"\(Self.escape(outcome.name))\" classname=\"\(Self.escape(outcome.suite))\""
                    + " file=\"\(Self.escape(outcome.location.file))\" line=\"\(outcome.location.line)\""
                if outcome.passed {
                    lines.append("    <testcase \(attributes)/>")
                } else {
                    lines.append("    <testcase \(attributes)>")
                    lines.append(
                        "      <failure message=\"\(Self.escape(Self.summary(outcome)))\" type=\"attune.rule-test\">"
                            + Self.escape(outcome.report) + "</failure>")
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One line for the failure's `message` attribute.
    static func summary(_ outcome: RuleTestRunner.Outcome) -> String {
        var parts: [String] = []
        if !outcome.missing.isEmpty {
            parts.append("\(outcome.missing.count) expected finding\(outcome.missing.count == 1 ? "" : "s") missing")
        }
        if !outcome.unexpected.isEmpty {
            parts.append("\(outcome.unexpected.count) unexpected finding\(outcome.unexpected.count == 1 ? "" : "s")")
        }
        if !outcome.failures.isEmpty {
            parts.append("\(outcome.failures.count) evaluation error\(outcome.failures.count == 1 ? "" : "s")")
        }
        return parts.joined(separator: ", ")
    }

    /// XML text and attribute escaping; control characters XML 1.0 cannot carry become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += " "
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
