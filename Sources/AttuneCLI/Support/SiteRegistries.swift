import AttuneCore
import AttuneKinds
import AttuneReporters

/// The kinds and reporters of this `attune`: the built-in ones and those a site's own build gives
/// `AttuneCLI.main(kinds:reporters:)`. Every command reads the one pair bound for the run, so a
/// site's kind is loaded, linted, tested, explained, documented and in the schema like a built-in one.
///
/// ```swift
/// let registries = try SiteRegistries(kinds: [ReliableChangeKind.self], reporters: [])
/// SiteRegistries.$current.withValue(registries) { /* parse and run a command */ }
/// ```
struct SiteRegistries: Sendable {
    var kinds: KindRegistry
    var reporters: ReporterRegistry

    /// The built-in kinds and reporters, then `kinds` and `reporters`; a clash of names is an error.
    init(kinds: [any Kind.Type], reporters: [any Reporter.Type]) throws(SiteRegistryError) {
        do {
            self.kinds = try BuiltinKinds.registry.adding(kinds)
        } catch {
            throw SiteRegistryError(message: "the kinds of this attune do not register: \(error)")
        }
        do {
            self.reporters = try Reporters.registry.adding(reporters)
        } catch {
            throw SiteRegistryError(message: "the reporters of this attune do not register: \(error)")
        }
    }

    init(kinds: KindRegistry, reporters: ReporterRegistry) {
        self.kinds = kinds
        self.reporters = reporters
    }

    /// The registries of the running command; the built-in ones unless `AttuneCLI.main` bound others.
    @TaskLocal static var current = SiteRegistries(kinds: BuiltinKinds.registry, reporters: Reporters.registry)
}

/// Extra kinds or reporters that clash with the built-in ones or each other.
struct SiteRegistryError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
