import Foundation
import Testing

/// `attune diff` on the synthetic corpus: a moved threshold, the same packs twice, a git base.
struct DiffE2ETests {
    static let corpus = AttuneProcess.repositoryRoot.appendingPathComponent("Examples/corpus").path

    /// A copy of the default pack with one line of its `pack.yaml` replaced.
    static func changedPack(in folder: URL, replacing old: String, with new: String) throws -> URL {
        let pack = folder.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: AttuneProcess.repositoryRoot.appendingPathComponent("rules"), to: pack)
        let manifest = pack.appendingPathComponent("pack.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(to: manifest, atomically: true, encoding: .utf8)
        return pack
    }

    @Test func aLowerCutoffRemovesAndChangesFindings() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let head = try Self.changedPack(
            in: folder, replacing: "srs_cutoff: {value: 36,", with: "srs_cutoff: {value: 35,")
        let text = try AttuneProcess.run([
            "diff", "--base", "rules", "--head", head.path, Self.corpus, "--fail-on-change",
        ])
        #expect(text.status == 1, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count > 4)
        // Counts first, then the rules, with the one whose threshold moved on top.
        #expect(lines[1].hasPrefix("1279 records as of 2026-11-27: "), "\(lines[1])")
        #expect(lines[2] == "By rule:")
        #expect(lines[3].hasPrefix("  alliance-below-cutoff "))
        #expect(text.stdout.contains("\n  - alliance-below-cutoff  C-"))
        #expect(text.stdout.contains("below the cutoff of 36"))
        #expect(text.stdout.contains("message \"SRS "))

        let json = try AttuneProcess.run([
            "diff", "--base", "rules", "--head", head.path, Self.corpus, "--format", "json",
        ])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "attune.diff/1")
        let counts = try #require(object["counts"] as? [String: Int])
        let removed = try #require(object["removed"] as? [[String: Any]])
        #expect(counts["removed"] == removed.count)
        #expect(
            removed.allSatisfy {
                ($0["message"] as? String)?.contains("SRS 35") == true
                    || $0["rule"] as? String != "alliance-below-cutoff"
            })

        let markdown = try AttuneProcess.run([
            "diff", "--base", "rules", "--head", head.path, Self.corpus, "--format", "markdown",
        ])
        #expect(markdown.stdout.hasPrefix("### Attune: what this rule change does to the findings\n"))
        #expect(markdown.stdout.contains("| alliance-below-cutoff | 0 | "), "\(markdown.stdout.prefix(800))")
        #expect(markdown.stdout.contains("<details><summary>Each finding</summary>"))
    }

    @Test func theSamePacksChangeNothing() throws {
        let result = try AttuneProcess.run([
            "diff", "--base", "rules", "--head", "rules", Self.corpus, "--fail-on-change",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(": 0 added, 0 removed, 0 changed, "))
        #expect(result.stdout.hasSuffix("No finding changed.\n"))
    }

    @Test func theBaseComesFromAGitRevision() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pack = try Self.changedPack(
            in: folder, replacing: "ors_cutoff: {value: 25,", with: "ors_cutoff: {value: 25,")
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"] + arguments
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        try git("init", "-q")
        try git("add", "rules")
        try git("commit", "-q", "-m", "base")
        let manifest = pack.appendingPathComponent("pack.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "ors_cutoff: {value: 25,", with: "ors_cutoff: {value: 27,").write(
            to: manifest, atomically: true, encoding: .utf8)

        let result = try AttuneProcess.run(
            ["diff", "--base-ref", "HEAD", "--head", "rules", Self.corpus, "--fail-on-change"], directory: folder)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("attune diff: base rules@HEAD; head rules\n"), "\(result.stdout.prefix(300))")
        #expect(!result.stdout.contains(": 0 added, 0 removed, 0 changed"))
        // The working tree is read as it is: the committed pack is not checked out.
        #expect(try String(contentsOf: manifest, encoding: .utf8).contains("ors_cutoff: {value: 27,"))

        let unknown = try AttuneProcess.run(
            ["diff", "--base-ref", "no-such-ref", "--head", "rules", Self.corpus], directory: folder)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("for revision 'no-such-ref'"), "\(unknown.stderr)")
    }

    @Test func aBaseIsRequired() throws {
        let result = try AttuneProcess.run(["diff", "--head", "rules", Self.corpus])
        #expect(result.status == 2)
        #expect(result.stderr.contains("give the base packs: --base PACK, or --base-ref REF"))
        let option = try AttuneProcess.run(["diff", "--base-ref=--output=x", "--head", "rules", Self.corpus])
        #expect(option.status == 2)
        #expect(option.stderr.contains("'--output=x' is not a git revision (--base-ref)"), "\(option.stderr)")
    }
}
