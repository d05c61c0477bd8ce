import AttuneCore
import Foundation
import Testing

/// Every lint check, declared once in `DiagnosticCheck.all`: its example makes lint report it,
/// and docs/writing-rules.md lists it as declared.
struct DiagnosticCheckTests {
    /// The example's files as a pack of their own, with a pack.yaml when the example has none.
    static func lint(_ check: DiagnosticCheck) -> [Diagnostic] {
        var files = check.example
        files["pack.yaml"] = files["pack.yaml"] ?? LintCheckTests.pack
        return Fixtures.ruleSet(files, alone: true).diagnostics
    }

    @Test(arguments: DiagnosticCheck.all)
    func theExampleIsReportedWithItsCheckAlone(_ check: DiagnosticCheck) {
        let diagnostics = Self.lint(check)
        // A rule without tests is reported wherever an example has one; every other
        // diagnostic of the example is of the check it shows.
        let checks = Set(diagnostics.map(\.check)).subtracting(check == .noTests ? [] : [.noTests])
        #expect(checks == [check], "\(diagnostics.map(\.description))")
    }

    @Test func idsAreUniqueAndNamed() {
        #expect(Set(DiagnosticCheck.all.map { $0.id }).count == DiagnosticCheck.all.count)
        for check in DiagnosticCheck.all { #expect(DiagnosticCheck.named(check.id) == check) }
    }

    /// The table of lint checks in docs/writing-rules.md, row for row the declaration.
    @Test func theDocumentationListsEveryCheckAsDeclared() throws {
        let text = try String(
            contentsOfFile: Fixtures.repositoryRoot + "/docs/writing-rules.md", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = try #require(lines.firstIndex(of: "| check (SARIF rule id) | what it reports |"))
        let rows = lines[(header + 2)...].prefix { $0.hasPrefix("|") }
        let declared = DiagnosticCheck.all.map { "| `\($0.id)` | \($0.documentation) |" }
        #expect(
            Array(rows) == declared,
            "docs/writing-rules.md's table of lint checks should read:\n\(declared.joined(separator: "\n"))")
    }
}
