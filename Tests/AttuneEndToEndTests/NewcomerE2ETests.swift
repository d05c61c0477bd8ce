import Foundation
import Testing

/// The path of someone new to Attune: install into a prefix and uninstall, and the CI examples
/// run from any folder, finding the binary or saying how to get it.
struct NewcomerE2ETests {
    static let shell = URL(fileURLWithPath: "/bin/sh")

    static func script(_ path: String) -> String {
        AttuneProcess.repositoryRoot.appendingPathComponent(path).path
    }

    @Test func installIntoAPrefixRunsFromAnyFolderAndUninstalls() throws {
        let prefix = try AttuneProcess.temporaryDirectory()
        let elsewhere = try AttuneProcess.temporaryDirectory()
        let install = try AttuneProcess.run(
            program: Self.shell, [Self.script("scripts/install.sh"), prefix.path], directory: elsewhere,
            environment: ["ATTUNE_BINARY": AttuneProcess.executable.path])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("installed \(prefix.path)/bin/attune (0.1.0)"), "\(install.stdout)")
        #expect(install.stdout.contains("is not on PATH; add it"))
        let installed = prefix.appendingPathComponent("bin/attune")
        let review = try AttuneProcess.run(
            program: installed, ["review", Self.script("Examples/clinic")], directory: elsewhere)
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.hasPrefix("Attune supervision review"))
        let uninstall = try AttuneProcess.run(
            program: Self.shell, [Self.script("scripts/install.sh"), "--uninstall", prefix.path],
            directory: elsewhere)
        #expect(uninstall.status == 0)
        #expect(!FileManager.default.fileExists(atPath: installed.path))
        #expect(
            FileManager.default.fileExists(atPath: prefix.appendingPathComponent("bin").path),
            "only the binary is removed")
        let usage = try AttuneProcess.run(
            program: Self.shell, [Self.script("scripts/install.sh")], directory: elsewhere)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("usage: scripts/install.sh [--uninstall] PREFIX"))
        let missing = try AttuneProcess.run(
            program: Self.shell, [Self.script("scripts/install.sh"), prefix.path + "-2"],
            directory: elsewhere, environment: ["ATTUNE_BINARY": elsewhere.appendingPathComponent("no-such").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("is not an executable file; name a built attune"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: prefix.path + "-2"), "nothing is created")
    }

    @Test func theCIScriptChecksTheRepositoryPacksFromAnyFolder() throws {
        let elsewhere = try AttuneProcess.temporaryDirectory()
        let result = try AttuneProcess.run(
            program: Self.shell, [Self.script("Examples/ci/rule-checks.sh")], directory: elsewhere,
            environment: ["ATTUNE": AttuneProcess.executable.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("lint exit status: 0; test exit status: 0"))
        let sarif = try String(
            contentsOf: elsewhere.appendingPathComponent("reports/attune-lint.sarif"), encoding: .utf8)
        #expect(sarif.contains("\"version\": \"2.1.0\""))
        let junit = try String(
            contentsOf: elsewhere.appendingPathComponent("reports/attune-rule-tests.xml"), encoding: .utf8)
        #expect(
            junit.contains("file=\"rules/alliance-drop.yaml\""),
            "paths stay relative to the repository, as CI systems expect")
    }

    /// A copy of the CI examples outside the repository, with no attune on PATH or in .build/.
    @Test func withoutABinaryTheCIExamplesSayHowToGetOne() throws {
        let copy = try AttuneProcess.temporaryDirectory()
        let ci = copy.appendingPathComponent("Examples/ci")
        try FileManager.default.createDirectory(at: ci, withIntermediateDirectories: true)
        for name in ["rule-checks.sh", "pre-commit"] {
            try FileManager.default.copyItem(
                atPath: Self.script("Examples/ci/" + name), toPath: ci.appendingPathComponent(name).path)
        }
        let environment = ["PATH": "/usr/bin:/bin", "ATTUNE": ""]
        let checks = try AttuneProcess.run(
            program: Self.shell, [ci.appendingPathComponent("rule-checks.sh").path], directory: copy,
            environment: environment)
        #expect(checks.status == 2)
        #expect(checks.stderr.contains("rule-checks.sh: cannot find the attune binary."), "\(checks.stderr)")
        #expect(checks.stderr.contains("set ATTUNE=/path/to/attune"))
        #expect(!FileManager.default.fileExists(atPath: copy.appendingPathComponent("reports").path))

        // The hook in a git repository whose commit touches a pack.
        let git = { (arguments: [String]) throws -> AttuneProcess.Result in
            try AttuneProcess.run(
                program: URL(fileURLWithPath: "/usr/bin/git"), arguments, directory: copy, environment: environment)
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/git") else { return }
        _ = try git(["init", "-q"])
        try FileManager.default.createDirectory(
            at: copy.appendingPathComponent("rules"), withIntermediateDirectories: true)
        try "name: site\n".write(to: copy.appendingPathComponent("rules/pack.yaml"), atomically: true, encoding: .utf8)
        _ = try git(["add", "rules/pack.yaml"])
        let hook = try AttuneProcess.run(
            program: Self.shell, [ci.appendingPathComponent("pre-commit").path], directory: copy,
            environment: environment)
        #expect(hook.status == 1)
        #expect(
            hook.stderr.contains(
                "pre-commit: cannot find the attune binary, so the rule packs were not checked; commit stopped."),
            "\(hook.stderr)")
        #expect(!hook.stderr.contains("attune lint found errors"))
    }
}
