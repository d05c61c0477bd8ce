import AttuneCore
import AttunePlugins
import AttuneTestSupport
import Foundation
import Testing

/// The process transport on its own (JSON Lines over a child's standard streams), and the
/// `pack.yaml` entry that declares a process plugin. The CLI's end of it, with real packs, is in
/// ProcessPluginE2ETests.
struct ProcessPluginTests {
    static func folder() throws -> String {
        let url = TestFolder.unique("attune-process")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @Test func oneLineInOneLineOutThenTheProcessIsEndedAndReapedWhenReleased() throws {
        let directory = try Self.folder()
        // Echoes each request back, after writing its pid in its working directory (the folder given).
        var plugin: ProcessPlugin? = try ProcessPlugin(
            name: "echo",
            arguments: ["sh", "-c", "echo $$ > pid; while IFS= read -r line; do printf '%s\\n' \"$line\"; done"],
            directory: directory)
        for text in [#"{"a":1}"#, #"{"b":"two"}"#] {
            #expect(try plugin?.call(Array(text.utf8)) == Array(text.utf8))
        }
        let pidText = try String(contentsOfFile: directory + "/pid", encoding: .utf8)
        let pid = try #require(pid_t(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) == 0, "running while the transport is held")
        plugin = nil
        #expect(kill(pid, 0) != 0, "ended and waited for once released")
    }

    @Test func aProgramThatIsNotThereIsALoadErrorNamingThePlugin() throws {
        #expect(throws: PluginError.self) {
            _ = try ProcessPlugin(
                name: "missing", arguments: ["attune-no-such-program-\(UUID().uuidString)"],
                directory: try Self.folder())
        }
    }

    @Test func aRequestIsAlwaysOneLine() {
        // Line breaks in values (a tag, a client id) are escaped in compact JSON, never raw.
        let request = JSON.object([("client", .string("C-1\nC-2\r\u{2028}"))]).rendered(pretty: false)
        #expect(!request.utf8.contains(0x0A))
        #expect(!request.utf8.contains(0x0D))
    }

    @Test(arguments: [
        ("{exec: [python3, model.py], sha256: \(String(repeating: "0", count: 64)), timeout: 0}", "from 0.1 to 3600"),
        ("{wasm: k.wasm, sha256: \(String(repeating: "0", count: 64)), timeout: 5}", "timeout is for process plugins"),
    ])
    func aTimeoutOutOfRangeOrOnAWebAssemblyPluginIsAnError(_ entry: String, _ expected: String) throws {
        let manifest = "name: p\nversion: 1.0.0\nplugins:\n  k: \(entry)\n"
        let source = PackSource(
            name: "p",
            files: [PackSource.File(path: "p/pack.yaml", relativePath: "pack.yaml", bytes: Array(manifest.utf8))])
        let ruleSet = PackLoader(registry: KindRegistry(), plugins: PluginLoader(allowsProcesses: false)).load([source])
        #expect(ruleSet.diagnostics.errors.contains { $0.message.contains(expected) }, "\(ruleSet.diagnostics)")
    }

    @Test func theTimeoutInPackYamlIsRead() throws {
        let manifest = """
            name: p
            version: 1.0.0
            plugins:
              k: {exec: [python3, model.py], sha256: \(String(repeating: "a", count: 64)), timeout: 2.5}
            """
        let source = PackSource(
            name: "p",
            files: [PackSource.File(path: "p/pack.yaml", relativePath: "pack.yaml", bytes: Array(manifest.utf8))])
        #expect(source.processPlugins.map(\.timeout) == [2.5])
        #expect(source.processPlugins.map(\.file) == ["model.py"])
    }
}
