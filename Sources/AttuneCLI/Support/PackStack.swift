import ArgumentParser
import AttuneCore
import AttuneDefaultPack
import AttunePlugins
import Foundation

/// The one loading model of every command (review, explain, rules, schema, lint, test): the
/// built-in default pack first, then each folder in the order given, later packs overriding
/// earlier ones. A folder that holds the default pack itself (its pack.yaml has the built-in
/// pack's name, as the repository's `rules/` does) takes the built-in copy's place instead of
/// clashing with it. `--no-default-rules` leaves the built-in pack out.
///
/// ```swift
/// let ruleSet = PackStack(folders: ["Examples/custom-rules"], defaultPack: true).load()
/// ```
struct PackStack {
    var folders: [String]
    var defaultPack: Bool
    /// `--allow-exec-plugins`: whether the packs' process plugins may start.
    var allowsProcesses = false
    /// The kinds a rule may name: this `attune`'s, built in and the site's own (AttuneCLI.main).
    var kinds: KindRegistry = SiteRegistries.current.kinds

    /// The text `attune help` shows for the model, written once.
    static let help = """
        Rule packs load in one way for every command: the built-in default pack first, then each \
        folder given, in order, later packs overriding earlier ones. A folder holding the default \
        pack itself (pack.yaml named 'attune-default', like the repository's rules/) replaces the \
        built-in copy. --no-default-rules leaves the built-in pack out.
        """

    /// The packs, in loading order; the first folder that cannot be read stops it.
    func sources() throws(PackSource.ReadError) -> [PackSource] {
        var folderSources: [PackSource] = []
        for path in folders { folderSources.append(try PackSource.directory(path)) }
        return Self.stacked(folderSources, defaultPack: defaultPack)
    }

    /// The built-in pack (unless left out, or replaced by one of these) and then these packs,
    /// wherever they were read from (a folder, a git revision).
    static func stacked(_ packs: [PackSource], defaultPack: Bool) -> [PackSource] {
        DefaultPack.stacked(packs, including: defaultPack)
    }

    /// The process plugins of `sources` were declared, but `--allow-exec-plugins` was not given.
    struct ProcessPluginRefusal: Error {
        var diagnostics: [Diagnostic]

        /// Prints why, with the flag that allows them, and stops with exit 2 (a usage error).
        func stop() throws -> Never {
            for diagnostic in diagnostics { Terminal.standardError(diagnostic.description) }
            throw ExitCode(2)
        }
    }

    /// Each process plugin `sources` declare, named with the flag that allows it, unless allowed.
    func refusal(_ sources: [PackSource]) -> ProcessPluginRefusal? {
        guard !allowsProcesses else { return nil }
        let refused = sources.flatMap(\.processPlugins)
        guard !refused.isEmpty else { return nil }
        return ProcessPluginRefusal(
            diagnostics: refused.map { .error(.pack, PluginLoader.refusal($0).description, at: $0.location) })
    }

    /// The rule set of `sources`, with a hint on every unknown name the default pack would have
    /// supplied when it was left out. Process plugins the packs declare start here, so without
    /// `--allow-exec-plugins` none loads: every command stops naming them, lint and test too,
    /// since a plugin's kinds (and so the rules using them) exist only once it runs.
    func load(_ sources: [PackSource]) throws(ProcessPluginRefusal) -> RuleSet {
        if let refusal = refusal(sources) {
            throw refusal
        } else if allowsProcesses, sources.contains(where: { !$0.processPlugins.isEmpty }) {
            // A signal that ends Attune ends its plugin processes too.
            SignalCleanup.install()
        }
        // The kinds of this build, and the plugin kinds the packs declare (docs/plugins.md).
        var ruleSet = PackLoader(registry: kinds, plugins: PluginLoader(allowsProcesses: allowsProcesses)).load(sources)
        if ruleSet.diagnostics.contains(where: Self.mayNameSomethingMissing),
            !sources.contains(where: { $0.declaredName == DefaultPack.source.declaredName })
        {
            let builtIn = PackLoader(registry: kinds).load([DefaultPack.source])
            let names = Set(
                builtIn.vocabulary.measureNames + builtIn.vocabulary.constants.keys + builtIn.vocabulary.sets.keys
                    + builtIn.rules.map(\.id))
            for index in ruleSet.diagnostics.indices where Self.mayNameSomethingMissing(ruleSet.diagnostics[index]) {
                let quoted = Self.quotedWords(in: ruleSet.diagnostics[index].message)
                if let name = quoted.first(where: names.contains) {
                    ruleSet.diagnostics[index].message +=
                        " ('\(name)' comes from the built-in default pack, which"
                        + " --no-default-rules leaves out: drop that flag to load it)"
                }
            }
        }
        return ruleSet
    }

    /// Loads the packs for a command that uses them (review, explain, rules, schema): prints
    /// their errors and stops with exit 2 when there are any. Warnings that a pack did not do
    /// what it says (switching off or overriding a rule no earlier pack defines, a misspelt id
    /// say) are printed too; a rule without tests is lint's business.
    func loadForUse() throws -> RuleSet {
        try loadForUse(try sourcesForUse())
    }

    /// The packs, read; a folder that cannot be read is printed and stops with exit 2.
    func sourcesForUse() throws -> [PackSource] {
        do {
            return try sources()
        } catch {
            Terminal.standardError(error.description)
            throw ExitCode(2)
        }
    }

    /// `loadForUse()` of packs already read (`sourcesForUse`).
    func loadForUse(_ sources: [PackSource]) throws -> RuleSet {
        let ruleSet: RuleSet
        do {
            ruleSet = try load(sources)
        } catch {
            try error.stop()
        }
        let shown = ruleSet.diagnostics.filter(\.isShownWhenPacksAreUsed)
        for diagnostic in shown.sortedByLocation() { Terminal.standardError(diagnostic.description) }
        if ruleSet.diagnostics.hasErrors {
            Terminal.standardError("error: the rule packs have errors (see above; 'attune lint' checks them)")
            throw ExitCode(2)
        }
        return ruleSet
    }

    static func mayNameSomethingMissing(_ diagnostic: Diagnostic) -> Bool {
        diagnostic.message.contains("unknown") || diagnostic.message.contains("no earlier pack")
            || diagnostic.message.contains("is not provided")
    }

    /// `'gad7'` and `'{measures.gad7}'` both give `gad7` (a placeholder's last path part too).
    static func quotedWords(in message: String) -> [String] {
        let parts = message.split(separator: "'", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count, by: 2).flatMap { index -> [String] in
            let word = parts[index].trimmingCharacters(in: ["{", "}"])
            return [word] + (word.split(separator: ".").last.map { [String($0)] } ?? [])
        }
    }
}
