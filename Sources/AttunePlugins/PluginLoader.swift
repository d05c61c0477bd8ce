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
    /// For every process plugin; a pack's `timeout:` overrides the timeout.
    public var processLimits: ProcessPlugin.Limits

    public init(
        allowsProcesses: Bool, wasmLimits: WasmPlugin.Limits = .standard,
        processLimits: ProcessPlugin.Limits = .standard
    ) {
        self.allowsProcesses = allowsProcesses
        self.wasmLimits = wasmLimits
        self.processLimits = processLimits
    }

    public func open(_ plugin: PluginDeclaration, directory: String) throws(PluginError) -> any PluginTransport {
        switch plugin.route {
        case .wasm(let path):
            let full = directory + "/" + path
            guard let data = FileManager.default.contents(atPath: full) else {
                throw PluginError(plugin: plugin.name, "cannot read \(full)")
            }
            return try WasmPlugin(name: plugin.name, bytes: [UInt8](data), limits: wasmLimits)
        case .exec(let arguments):
            guard allowsProcesses else { throw Self.refusal(plugin) }
            var limits = processLimits
            if let timeout = plugin.timeout { limits.timeout = timeout }
            return try ProcessPlugin(name: plugin.name, arguments: arguments, directory: directory, limits: limits)
        }
    }

    /// Why a process plugin did not start, and how to let it: it runs a program with the user's rights.
    public static func refusal(_ plugin: PluginDeclaration) -> PluginError {
        let command: String
        switch plugin.route {
        case .exec(let arguments): command = arguments.joined(separator: " ")
        case .wasm(let path): command = path
        }
        return PluginError(
            plugin: plugin.name,
            "runs a program on this computer with your rights (\(command)); "
                + "process plugins run only when the command is given --allow-exec-plugins (docs/plugins.md)")
    }
}
