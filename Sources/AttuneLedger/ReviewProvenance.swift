import AttuneCore

/// What a recorded review was run on, beyond what the review itself holds: the packs' content
/// digests and a digest of the input files, so an auditor can tell which rules read which data.
///
/// ```swift
/// let provenance = ReviewProvenance(packs: [.init(name: "attune-default", version: "1.0.0", digest: "…")],
///                                   inputDigest: InputDigest.of(paths: files), attuneVersion: "0.1.0")
/// ```
public struct ReviewProvenance: Sendable, Hashable, Codable {
    public struct Pack: Sendable, Hashable, Codable {
        public var name: String
        public var version: String
        /// `StableHash` of the pack's files (relative path and bytes, in path order), 16 hex digits.
        public var digest: String

        public init(name: String, version: String, digest: String) {
            self.name = name
            self.version = version
            self.digest = digest
        }
    }

    public var packs: [Pack]
    /// nil when the records came from standard input, which cannot be read twice.
    public var inputDigest: String?
    public var attuneVersion: String

    public init(packs: [Pack], inputDigest: String?, attuneVersion: String) {
        self.packs = packs
        self.inputDigest = inputDigest
        self.attuneVersion = attuneVersion
    }

    /// The provenance of a review run on `ruleSet`, loaded from `sources` (one per pack, in order;
    /// a pack whose source cannot be matched gets an empty digest).
    public init(ruleSet: RuleSet, sources: [PackSource], inputDigest: String?, attuneVersion: String) {
        let matched = sources.count == ruleSet.packs.count
        self.init(
            packs: ruleSet.packs.enumerated().map { index, manifest in
                Pack(
                    name: manifest.name, version: manifest.version,
                    digest: matched ? Self.digest(of: sources[index]) : "")
            }, inputDigest: inputDigest, attuneVersion: attuneVersion)
    }

    /// A pack's content digest: its files' relative paths and bytes, in path order.
    public static func digest(of source: PackSource) -> String {
        var hash = StableHash()
        for file in source.files.sorted(by: { $0.relativePath < $1.relativePath }) {
            hash.combine(file.relativePath)
            file.bytes.withUnsafeBytes { hash.combine($0) }
            hash.combine(byte: 0x1E)
        }
        return hash.hex
    }
}
