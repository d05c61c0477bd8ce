import AttuneCore

/// The default rule pack (the repository's `rules/`), built into the binary so that
/// `attune review FILES` works from any folder with no flags.
///
/// ```swift
/// for file in DefaultPack.files { print(file.path) }   // pack.yaml, alliance-drop.yaml, …
/// ```
public enum DefaultPack {
    /// How diagnostics name the embedded files.
    public static let displayRoot = "rules"
}

extension DefaultPack {
    /// The embedded files as a pack, named as if read from `rules/`. Made once: its pack.yaml is
    /// then parsed once a run, however many times it is asked for.
    public static let source = PackSource(
        name: displayRoot,
        files: files.map {
            PackSource.File(path: displayRoot + "/" + $0.path, relativePath: $0.path, bytes: Array($0.contents.utf8))
        })
}

extension DefaultPack {
    /// The packs every command loads, in order: the built-in pack (unless left out, or replaced by
    /// a pack that declares its name, such as the repository's `rules/`), then `packs`.
    ///
    /// ```swift
    /// let sources = DefaultPack.stacked([try PackSource.directory("site-rules")], including: true)
    /// ```
    public static func stacked(_ packs: [PackSource], including: Bool) -> [PackSource] {
        let replacesBuiltIn = packs.contains { pack in pack.declaredName.map { $0 == source.declaredName } ?? false }
        return (including && !replacesBuiltIn ? [source] : []) + packs
    }
}
