import ArgumentParser
import AttuneCore
import AttuneKinds
import AttunePlugins

/// `--allow-exec-plugins`, and the one pack loader every command uses: the kinds this `attune`
/// was built with, plus the plugin kinds the packs declare.
struct PluginOptions: ParsableArguments {
    @Flag(name: .customLong("allow-exec-plugins"), help: "Run the process plugins packs declare (exec: [...]); they run arbitrary code, so this is off by default.")
    var allowExecPlugins = false

    func packLoader() throws -> PackLoader {
        PackLoader(registry: try CommandKinds.registry(), plugins: PluginLoader(allowsProcesses: allowExecPlugins))
    }
}

/// The Swift kinds of this build, registered once; a clash between them is a usage error (exit 2).
enum CommandKinds {
    private static let shared = Result { () throws(KindRegistryError) -> KindRegistry in try KindRegistry(BuiltinKinds.all) }

    static func registry() throws -> KindRegistry {
        switch shared {
        case .success(let registry): return registry
        case .failure(let error):
            Terminal.standardError("error: \(error.message)")
            throw ExitCode(2)
        }
    }
}
