import AttuneYAML
import Foundation

/// The files of one rule pack: a folder on disk, or the default pack built into the binary.
///
/// ```swift
/// let site = try PackSource.directory("clinic-rules")
/// let builtIn = DefaultPack.source   // AttuneDefaultPack: the pack built into the binary
/// ```
public struct PackSource: Sendable {
    public struct File: Sendable {
        /// The path shown in diagnostics (`rules/alliance-drop.yaml`).
        public var path: String
        /// The path inside the pack (`alliance-drop.yaml`).
        public var relativePath: String
        public var bytes: [UInt8]

        public init(path: String, relativePath: String, bytes: [UInt8]) {
            self.path = path
            self.relativePath = relativePath
            self.bytes = bytes
        }
    }

    public let name: String
    public let files: [File]
    /// The folder on disk, when there is one (scenario `records_file` paths are relative to it).
    public let directory: String?
    /// The manifest (the first `pack.yaml` or `pack.yml`), parsed once for all who ask.
    let manifest: PackManifestDocuments

    public init(name: String, files: [File], directory: String? = nil) {
        self.name = name
        self.files = files
        self.directory = directory
        manifest = PackManifestDocuments(file: files.first { Self.isManifest($0.relativePath) })
    }

    /// Whether the file at this path inside a pack is its manifest.
    static func isManifest(_ relativePath: String) -> Bool {
        relativePath == "pack.yaml" || relativePath == "pack.yml"
    }

    /// The `name` its `pack.yaml` declares, or nil when there is none to read. Errors in the
    /// file are left for `PackLoader`, which reports them with their place.
    public var declaredName: String? {
        guard let document = try? manifest.documents?.get().first else { return nil }
        return document.mappingPairs?.first { $0.key.scalarText == "name" }?.value.scalarText
    }

    /// The process plugins (`exec:`) its pack.yaml declares, read before the pack loads, since
    /// loading one starts it: the CLI starts none unless asked to. A pack.yaml's own problems are
    /// left to the load, which reports them.
    public var processPlugins: [PluginDeclaration] {
        guard let file = manifest.file, let document = try? manifest.documents?.get().first else { return [] }
        var reportedByTheLoad: [Diagnostic] = []
        return PackManifest.decode(document, file: file.path, diagnostics: &reportedByTheLoad).plugins.filter {
            if case .exec = $0.route { return true }
            return false
        }
    }

    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(VisibleText.escaped(path)): error: \(reason)" }
    }

    /// Whether a pack folder's file of this name is part of the pack.
    public static func readsFile(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    /// Reads every `*.yaml`/`*.yml` below `path` (hidden files and folders skipped), sorted by path.
    public static func directory(_ path: String) throws(ReadError) -> PackSource {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReadError(path: path, reason: "no such rule pack folder" + Suggestion.phrase(forMissingPath: path))
        }
        guard isDirectory.boolValue else {
            throw ReadError(path: path, reason: "a rule pack is a folder holding pack.yaml")
        }
        let root = path.hasSuffix("/") ? String(path.dropLast()) : path
        let relativePaths: [String]
        do {
            relativePaths = try FolderListing.files(under: root, include: readsFile)
        } catch {
            throw ReadError(path: path, reason: "cannot list the folder")
        }
        var files: [File] = []
        for relative in relativePaths {
            let full = root + "/" + relative
            guard let data = manager.contents(atPath: full) else {
                throw ReadError(path: full, reason: "cannot read the file")
            }
            files.append(File(path: full, relativePath: relative, bytes: [UInt8](data)))
        }
        return PackSource(name: root, files: files, directory: root)
    }
}
