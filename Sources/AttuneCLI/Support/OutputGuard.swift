import AttuneCore
import Foundation

/// Refuses an `--output` path that would overwrite an input: the same file (by device and inode,
/// so symlinks and hard links count), or a file inside an input folder that the folder's reader
/// would pick up next time (a record file among the records, a YAML file in a rule pack).
///
/// ```swift
/// let inputs = [OutputGuard.Input(path: "recs", reads: { RecordFormat.forPath($0) != nil }, role: "records")]
/// if let refusal = OutputGuard.refusal(for: "recs/2026-W48.yaml", inputs: inputs) { print(refusal) }
/// ```
enum OutputGuard {
    /// A path the command reads: a file, or a folder whose files `reads` accepts.
    struct Input {
        var path: String
        /// For a folder: whether a file of this name is read from it.
        var reads: (String) -> Bool
        /// What the path is to the user (`records`, `rule pack`, `CSV map`), for the message.
        var role: String
    }

    /// Device and inode: what makes two paths the same file.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64

        /// Of the file a path names, following symlinks; nil when there is none.
        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }

        /// Of the file an open descriptor reads (standard input redirected from a file).
        init?(descriptor: Int32) {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }

        static func isFolder(_ path: String) -> Bool {
            var info = stat()
            return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
    }

    /// Record paths (files, folders or `-`) and the CSV map, as inputs to keep.
    static func records(_ paths: [String], csvMap: String?) -> [Input] {
        paths.map { Input(path: $0, reads: { RecordFormat.forPath($0) != nil }, role: "records") }
            + (csvMap.map { [Input(path: $0, reads: { _ in false }, role: "CSV map")] } ?? [])
    }

    /// Why writing the report to `output` would destroy an input, or nil when it would not.
    static func refusal(for output: String, option: String = "--output", inputs: [Input]) -> String? {
        let target = Identity(output)
        // The name, and the folders the output would land in, innermost first, by identity.
        let slash = output.lastIndex(of: "/")
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        let parent = slash.map { $0 == output.startIndex ? "/" : String(output[..<$0]) } ?? "."
        let enclosing = enclosingFolders(of: parent)
        for input in inputs {
            if input.path == "-" {
                // `attune review - --output data.yaml < data.yaml` reads it first, then replaces it.
                if let target, Identity(descriptor: STDIN_FILENO) == target {
                    return "\(option) \(output) is the file standard input reads; refusing to overwrite an input"
                }
                continue
            }
            guard Identity.isFolder(input.path) else {
                if let target, Identity(input.path) == target {
                    return "\(option) \(output) is the \(input.role) file \(input.path); refusing to overwrite an input"
                }
                continue
            }
            if let folder = Identity(input.path), enclosing.contains(folder), input.reads(name) {
                return
                    "\(option) \(output) is inside the \(input.role) folder \(input.path) and would be read as input; "
                    + "write the report elsewhere"
            }
            // A hard link or symlink elsewhere to a file of the folder is that file too.
            guard let target, let files = try? FolderListing.files(under: input.path, include: input.reads) else {
                continue
            }
            let root = input.path.hasSuffix("/") ? String(input.path.dropLast()) : input.path
            if let file = files.first(where: { Identity(root + "/" + $0) == target }) {
                return "\(option) \(output) is the \(input.role) file \(root)/\(file); refusing to overwrite an input"
            }
        }
        return nil
    }

    /// The folder and every folder above it, after symlinks are resolved.
    private static func enclosingFolders(of folder: String) -> [Identity] {
        guard let resolved = realpath(folder, nil) else { return [] }
        var path = String(cString: resolved)
        free(resolved)
        var result: [Identity] = []
        while true {
            if let identity = Identity(path) { result.append(identity) }
            guard path != "/", let slash = path.lastIndex(of: "/") else { break }
            path = slash == path.startIndex ? "/" : String(path[..<slash])
        }
        return result
    }
}
