/// How one loaded plugin is reached: in-process WebAssembly, or a local process speaking JSON
/// Lines. One request in, one response out; safe to call from several threads (a transport
/// serialises calls itself).
///
/// ```swift
/// let response = try transport.call(KindProtocol.declareRequest())
/// ```
public protocol PluginTransport: AnyObject, Sendable {
    /// The plugin's name from pack.yaml, for messages.
    var plugin: String { get }
    func call(_ request: [UInt8]) throws(PluginError) -> [UInt8]
}

/// Opens the transport for a plugin a pack declares. The CLI passes one that knows WebAssembly
/// and (with `--allow-exec-plugins`) processes; without one, a pack declaring plugins is an error.
public protocol PluginLoading: Sendable {
    /// `directory`: the pack's folder, which the plugin's paths are relative to.
    func open(_ plugin: PluginDeclaration, directory: String) throws(PluginError) -> any PluginTransport
}
