import Foundation
import Testing

/// Every example `attune help …` prints runs as printed, from the repository root, on Examples/.
/// They run in a scratch folder that links the repository's Examples/ and rules/, so that the
/// files they write (`> lint.sarif`, `> docs/rules.md`) land there and not in the repository.
struct HelpExamplesE2ETests {
    static let commands = ["", "review", "lint", "test", "explain", "rules", "schema"]

    /// The example command lines of one help text: after "Example(s):", each line starting with
    /// `attune`, joined with the lines it continues onto (a trailing `\`).
    static func examples(inHelp help: String) -> [String] {
        var examples: [String] = []
        var inExamples = false
        var continued: String?
        for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "Examples:" || trimmed == "Example:" {
                inExamples = true
                continue
            }
            guard inExamples else { continue }
            if let start = continued {
                continued = nil
                let joined = start + " " + trimmed
                if joined.hasSuffix("\\") {
                    continued = String(joined.dropLast()).trimmingCharacters(in: .whitespaces)
                } else {
                    examples.append(joined)
                }
                continue
            }
            if trimmed.isEmpty {
                inExamples = false
                continue
            }
            guard trimmed.hasPrefix("attune") else { continue }
            if trimmed.hasSuffix("\\") {
                continued = String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces)
            } else {
                examples.append(trimmed)
            }
        }
        return examples
    }

    static func scratchFolder() throws -> URL {
        let folder = try AttuneProcess.temporaryDirectory()
        let manager = FileManager.default
        for name in ["Examples", "rules"] {
            try manager.createSymbolicLink(
                at: folder.appendingPathComponent(name),
                withDestinationURL: AttuneProcess.repositoryRoot.appendingPathComponent(name))
        }
        try manager.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: commands)
    func everyHelpExampleRunsAsPrinted(_ command: String) throws {
        let help = try AttuneProcess.run(command.isEmpty ? ["help"] : ["help", command])
        #expect(help.status == 0)
        let examples = Self.examples(inHelp: help.stdout)
        #expect(!examples.isEmpty, "attune help \(command) shows no example")
        let folder = try Self.scratchFolder()
        let path =
            AttuneProcess.executable.deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for example in examples {
            let result = try AttuneProcess.run(
                program: URL(fileURLWithPath: "/bin/sh"), ["-c", example], directory: folder,
                environment: ["PATH": path])
            #expect(result.status == 0, "\(example) exited \(result.status): \(result.stderr.prefix(600))")
        }
    }

    @Test func reviewHelpGivesTheExitStatusesAndTheDefaultFormat() throws {
        let help = try AttuneProcess.run(["help", "review"]).stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(help.contains("Exit status: 0 the review was written; 1 with --fail-on"), "\(help)")
        #expect(help.contains("2 for a usage error"))
        #expect(help.contains("its format is text (the default"))
    }
}
