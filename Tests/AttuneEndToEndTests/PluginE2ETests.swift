import Foundation
import Testing

/// Plugin kinds through the command line: the WebAssembly example pack lints and passes its
/// tests, `attune schema plugin` gives the protocol, and a broken pin stops the load.
struct PluginE2ETests {
    static let pack = "Examples/plugins/wasm-streak"

    @Test func theWasmExamplePackLintsAndPassesItsTests() throws {
        let lint = try AttuneProcess.run(["lint", Self.pack])
        #expect(lint.status == 0, "\(lint.stderr)")
        let test = try AttuneProcess.run(["test", Self.pack])
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
        #expect(test.stdout.contains("PASS  plugin-missed-in-a-row › a no-show then a late cancellation"))
        #expect(test.stdout.contains("PASS  kind wasm-streak (plugin wasm-streak) › a broken run is a near miss"))
    }

    /// docs/plugins.md shows the example's pin as pack.yaml has it (rebuilding the module changes both).
    @Test func theGuideShowsTheExamplesPin() throws {
        let root = AttuneProcess.repositoryRoot
        let pack = try String(contentsOf: root.appendingPathComponent(Self.pack + "/pack.yaml"), encoding: .utf8)
        let pinned = try #require(pack.range(of: "sha256: ")).upperBound
        let guide = try String(contentsOf: root.appendingPathComponent("docs/plugins.md"), encoding: .utf8)
        #expect(guide.contains("sha256: \(pack[pinned...].prefix(8))…}"), "update the pin shown in docs/plugins.md")
    }

    @Test func theKindReferenceListsThePluginKind() throws {
        let result = try AttuneProcess.run(["rules", "reference", "--rules", Self.pack])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wasm-streak"))
    }

    @Test func schemaPluginPrintsTheProtocolSchema() throws {
        let result = try AttuneProcess.run(["schema", "plugin"])
        #expect(result.status == 0, "\(result.stderr)")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        #expect(
            Set(defs.keys).isSuperset(of: ["declareRequest", "declareResponse", "evaluateRequest", "evaluateResponse"]))
    }

    @Test func aBrokenPinIsALoadErrorAtThePackLine() throws {
        let folder = try AttuneProcess.temporaryDirectory()
        let source = AttuneProcess.repositoryRoot.appendingPathComponent(Self.pack)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        for file in ["missed-in-a-row.yaml", "plugins/wasm-streak.wasm"] {
            try FileManager.default.copyItem(
                at: source.appendingPathComponent(file), to: folder.appendingPathComponent(file))
        }
        let text = try String(contentsOf: source.appendingPathComponent("pack.yaml"), encoding: .utf8)
        let pinned = try #require(text.range(of: "sha256: ")).upperBound
        let actual = String(text[pinned...].prefix(64))
        let pack = text.replacingOccurrences(
            of: "sha256: \(actual)", with: "sha256: " + String(repeating: "0", count: 64))
        try pack.write(to: folder.appendingPathComponent("pack.yaml"), atomically: true, encoding: .utf8)
        let result = try AttuneProcess.run(["lint", folder.path])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "pack.yaml:11:3: error: plugin wasm-streak: plugins/wasm-streak.wasm has sha256 \(actual)"),
            "\(result.stderr)")
    }
}
