import AttuneCore
import Foundation

/// Opens the plugins packs declare: WebAssembly always, processes only when allowed
/// (`--allow-exec-plugins`), since those run whatever code they are given.
///
/// ```swift
/// let loader = PluginLoader(allowsProcesses: false)
/// let ruleSet = PackLoader(registry: registry, plugins: loader).load(sources)
/// ```
public struct PluginLoader: PluginLoading {
    public var allowsProcesses: Bool
    public var wasmLimits: WasmPlugin.Limits

    public init(allowsProcesses: Bool, wasmLimits: WasmPlugin.Limits = .standard) {
        self.allowsProcesses = allowsProcesses
        self.wasmLimits = wasmLimits
    }

    public func open(_ plugin: PluginDeclaration, directory: String) throws(PluginError) -> any PluginTransport {
        switch plugin.route {
        case .wasm(let path):
            let full = directory + "/" + path
            guard let data = FileManager.default.contents(atPath: full) else {
                throw PluginError(plugin: plugin.name, "cannot read \(full)")
            }
            return try WasmPlugin(name: plugin.name, bytes: [UInt8](data), limits: wasmLimits)
        case .exec:
            throw PluginError(
                plugin: plugin.name,
                "process plugins (exec:) do not run in this build; use a WebAssembly plugin (docs/plugins.md)")
        }
    }
}
