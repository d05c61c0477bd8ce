/// A plugin that could not be loaded or did not answer as `attune.kind/1` says: always named,
/// so the message tells which plugin to look at.
public struct PluginError: Error, Sendable, Hashable, CustomStringConvertible {
    public var plugin: String
    public var message: String

    public init(plugin: String, _ message: String) {
        self.plugin = plugin
        self.message = message
    }

    public var description: String { "plugin \(plugin): \(message)" }
}
