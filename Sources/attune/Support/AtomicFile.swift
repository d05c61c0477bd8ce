import Foundation

/// Writes a file whole or not at all, readable by its owner only: a temporary file in the same
/// folder (created 0600 by mkstemp), flushed, then renamed over the target.
///
/// ```swift
/// try AtomicFile.write(report, to: "review.html")
/// ```
enum AtomicFile {
    struct WriteError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): error: cannot write the report: \(reason)" }
    }

    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array((folder + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            guard result > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw WriteError(path: path, reason: reason)
            }
            written += result
        }
        guard fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw WriteError(path: path, reason: reason)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        finished = true
    }
}
