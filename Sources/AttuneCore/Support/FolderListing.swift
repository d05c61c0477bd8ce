import Foundation

/// The files below a folder that a reader wants, the way Attune reads folders everywhere:
/// recursively, hidden files and folders skipped, sorted by path so that results do not depend
/// on the file system's order.
///
/// ```swift
/// let rules = try FolderListing.files(under: "rules") { $0.hasSuffix(".yaml") }   // ["pack.yaml", …]
/// ```
public enum FolderListing {
    public struct Unlistable: Error {}

    /// Paths relative to `root` of the files `include` accepts.
    public static func files(under root: String, include: (String) -> Bool) throws(Unlistable) -> [String] {
        // The enumerator does not descend into a root that is a symbolic link (`records -> /mnt/export`),
        // which would read as an empty folder: list the folder it points to.
        let resolved = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        guard let enumerator = FileManager.default.enumerator(atPath: resolved) else { throw Unlistable() }
        var found: [String] = []
        while let next = enumerator.nextObject() as? String {
            if (next as NSString).lastPathComponent.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            if include(next) { found.append(next) }
        }
        return found.sorted()
    }
}
