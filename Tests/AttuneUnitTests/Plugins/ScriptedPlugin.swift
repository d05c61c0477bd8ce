import AttuneCore
import AttuneTestSupport
import Foundation

/// A plugin transport whose answers a test writes, for the protocol and adapter tests that
/// must not depend on a runtime: declare gets `declaration`, evaluate gets `evaluate(request)`.
final class ScriptedPlugin: PluginTransport, PluginLoading, @unchecked Sendable {
    let plugin: String
    let declaration: String
    let evaluate: @Sendable (String) -> String

    init(
        _ name: String, declaration: String,
        evaluate: @escaping @Sendable (String) -> String = { _ in #"{"findings": []}"# }
    ) {
        plugin = name
        self.declaration = declaration
        self.evaluate = evaluate
    }

    func call(_ request: [UInt8]) throws(PluginError) -> [UInt8] {
        let text = String(decoding: request, as: UTF8.self)
        return Array((text.contains(#""type":"declare""#) ? declaration : evaluate(text)).utf8)
    }

    func open(_ plugin: PluginDeclaration, directory: String) throws(PluginError) -> any PluginTransport { self }

    /// A one-kind declaration: `name`, param `length`, expression `match`, placeholder `count`.
    static func declaring(_ kind: String, extra: String = "") -> String {
        """
        {"protocol": "attune.kind/1", "kinds": [{"name": "\(kind)", "summary": "a scripted kind", "scope": "timeline",
         "params": [{"name": "length", "type": "integer", "min": 1, "max": 10, "default": 2, "doc": "How many"}],
         "expressions": [{"name": "match", "required": true, "doc": "The condition"}],
         "placeholders": [{"name": "count", "doc": "how many"}]\(extra)}]}
        """
    }

    /// A pack folder on disk declaring this plugin, its file pinned correctly unless `pin` is given.
    static func pack(plugin: String = "scripted", rule: String, pin: String? = nil) throws -> String {
        let folder = TestFolder.unique("attune-plugin").path
        try FileManager.default.createDirectory(atPath: folder + "/plugins", withIntermediateDirectories: true)
        let bytes = Array("scripted plugin file".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/plugins/scripted.bin"))
        var hash = SHA256()
        hash.update(bytes)
        let pack =
            "name: site\nversion: 0.1.0\nplugins:\n  \(plugin): {wasm: plugins/scripted.bin, sha256: \(pin ?? hash.hexDigest())}\n"
        try pack.write(toFile: folder + "/pack.yaml", atomically: true, encoding: .utf8)
        try rule.write(toFile: folder + "/rule.yaml", atomically: true, encoding: .utf8)
        return folder
    }
}
