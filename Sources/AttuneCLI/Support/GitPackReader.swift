import AttuneCore
import Foundation

/// Reads a rule pack folder as it was at a git revision (`attune diff --base-ref main`), without
/// touching the working tree: `git ls-tree` lists the files, `git show` reads each one.
///
/// ```swift
/// let base = try GitPackReader(revision: "main").pack("rules")
/// ```
struct GitPackReader {
    var revision: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func pack(_ folder: String) throws(Failure) -> PackSource {
        let root = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        let listing = try git(["ls-tree", "-r", "-z", "--name-only", revision, "--", root + "/"])
        let paths = String(decoding: listing, as: UTF8.self).split(separator: "\0").map(String.init)
            .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !Self.isHidden($0, under: root) }
            .sorted()
        guard !paths.isEmpty else {
            throw Failure(description: "\(root): error: no rule pack folder '\(root)' at git revision '\(revision)'")
        }
        var files: [PackSource.File] = []
        for path in paths {
            let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
            files.append(
                PackSource.File(
                    path: "\(path)@\(revision)", relativePath: relative,
                    bytes: try git(["show", "\(revision):./\(path)"])))
        }
        return PackSource(name: "\(root)@\(revision)", files: files)
    }

    /// Hidden files and folders are skipped, as `PackSource.directory` skips them on disk.
    static func isHidden(_ path: String, under root: String) -> Bool {
        path.dropFirst(root.count).split(separator: "/").contains { $0.hasPrefix(".") }
    }

    private func git(_ arguments: [String]) throws(Failure) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(
                description: "error: cannot run git (\(error.localizedDescription)); --base-ref needs git on PATH")
        }
        // Read before waiting, so that a large file cannot fill the pipe and stall git.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure(
                description:
                    "error: git \(arguments.prefix(2).joined(separator: " ")) failed for revision '\(revision)': \(reason)"
            )
        }
        return [UInt8](data)
    }
}
