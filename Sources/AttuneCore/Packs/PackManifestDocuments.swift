import AttuneYAML
import Synchronization

/// A pack's `pack.yaml` read into YAML documents once, however often it is asked for: before
/// the load the CLI asks a pack for its process plugins (and at times its name), and the load
/// reads the manifest itself. A parse of the built-in pack.yaml costs about 2 million
/// instructions, a fortieth of a one-record review. The copies of one `PackSource` share it.
///
/// ```swift
/// let manifest = PackManifestDocuments(file: source.files.first { $0.relativePath == "pack.yaml" })
/// let name = try manifest.documents?.get().first   // parsed here, and only here
/// ```
final class PackManifestDocuments: Sendable {
    let file: PackSource.File?
    private let parsed = Mutex<Result<[Node], any Error>?>(nil)

    init(file: PackSource.File?) {
        self.file = file
    }

    /// The manifest's documents, or the error that reading them gave; nil without a manifest.
    var documents: Result<[Node], any Error>? {
        guard let file else { return nil }
        return parsed.withLock { parsed in
            if let parsed { return parsed }
            let result = Result { try YAMLReader.documents(in: .bytes(file.bytes), limits: .rules) }
            parsed = result
            return result
        }
    }
}
