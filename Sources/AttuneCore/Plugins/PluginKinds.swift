import Foundation

/// Loads the plugins packs declare: checks each file against its sha256 pin, opens its
/// transport, asks it to declare its kinds and registers them, so that lint, test, explain,
/// docs and the schema treat them like built-in kinds.
///
/// ```swift
/// var registry = BuiltinKinds.registry
/// PluginKinds.register(manifest.plugins, directory: "clinic-rules", loader: loader, into: &registry, &diagnostics)
/// ```
public enum PluginKinds {
    public static func register(
        _ plugins: [PluginDeclaration], directory: String?, loader: (any PluginLoading)?,
        into registry: inout KindRegistry, _ diagnostics: inout [Diagnostic]
    ) {
        for plugin in plugins {
            do throws(PluginError) {
                guard let loader else {
                    throw PluginError(
                        plugin: plugin.name,
                        "this program cannot load plugins (build it with AttunePlugins, or use the attune command)")
                }
                guard let directory else {
                    throw PluginError(
                        plugin: plugin.name, "plugins load from a pack folder on disk, not from a built-in pack")
                }
                try checkPin(plugin, directory: directory)
                let transport = try loader.open(plugin, directory: directory)
                for kind in try KindProtocol.declarations(
                    from: try transport.call(KindProtocol.declareRequest()), plugin: plugin.name)
                {
                    if kind.recordLayout == .binary, case .exec = plugin.route {
                        throw PluginError(
                            plugin: plugin.name,
                            "kind \(kind.declaration.name) asks for record_layout binary, which is for WebAssembly plugins; a process plugin's requests are JSON Lines"
                        )
                    }
                    let registration = KindRegistration(
                        declaration: kind.declaration, origin: "plugin \(plugin.name) (\(plugin.location))",
                        plugin: plugin.name
                    ) { configuration -> any Detector in
                        switch kind.declaration.scope {
                        case .timeline:
                            PluginTimelineDetector(
                                transport: transport, kind: kind, parameters: configuration.parameters)
                        case .caseload:
                            PluginFindingsDetector(
                                transport: transport, kind: kind, parameters: configuration.parameters)
                        }
                    }
                    do {
                        try registry.add(registration)
                    } catch {
                        diagnostics.append(.error(.pack, error.message, at: plugin.location))
                    }
                }
            } catch {
                diagnostics.append(.error(.pack, error.description, at: plugin.location))
            }
        }
    }

    /// The file must be the one the pack's author pinned: a changed plugin is a load error.
    static func checkPin(_ plugin: PluginDeclaration, directory: String) throws(PluginError) {
        let path = directory + "/" + plugin.file
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PluginError(plugin: plugin.name, "cannot read \(path)")
        }
        var hash = SHA256()
        hash.update([UInt8](data))
        let actual = hash.hexDigest()
        guard actual == plugin.sha256 else {
            throw PluginError(
                plugin: plugin.name,
                "\(plugin.file) has sha256 \(actual), but pack.yaml pins \(plugin.sha256); if the change is meant, update the pin"
            )
        }
    }
}
