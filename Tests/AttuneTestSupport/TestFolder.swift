import Foundation

/// Where tests put their temporary files and folders: one folder per test process, in the
/// system's temporary directory, removed when the process exits. A run of the suite makes a few
/// hundred (ledgers, plugin packs, end-to-end inputs), and leaves none of them behind.
///
/// ```swift
/// let folder = TestFolder.unique("attune-ledger")   // …/attune-tests-<pid>-<UUID>/attune-ledger-<UUID>
/// try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
/// ```
public enum TestFolder {
    /// Made on first use, when its removal at exit is registered.
    public static let root: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attune-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            fatalError("cannot make the tests' temporary folder \(url.path): \(error)")
        }
        atexit { TestFolder.removeRoot() }
        return url
    }()

    /// A path in `root` no other test uses: `prefix`, a UUID, then `suffix` (an extension, say).
    public static func unique(_ prefix: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
    }

    private static func removeRoot() {
        do {
            try FileManager.default.removeItem(at: root)
        } catch {
            FileHandle.standardError.write(
                Data("warning: tests' temporary folder \(root.path) not removed: \(error)\n".utf8))
        }
    }
}
