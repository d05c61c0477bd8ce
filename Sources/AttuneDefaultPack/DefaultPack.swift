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
    /// The embedded files as a pack, named as if read from `rules/`.
    public static var source: PackSource {
        PackSource(name: displayRoot, files: files.map {
            PackSource.File(path: displayRoot + "/" + $0.path, relativePath: $0.path, bytes: Array($0.contents.utf8))
        })
    }
}
