import CFileWriteback
import Foundation

/// Writes a file whole or not at all, readable by its owner only: a temporary file in the same
/// folder (created 0600 by mkstemp), flushed, then renamed over the target. SIGINT, SIGTERM and
/// SIGHUP on the way remove the temporary file before the process ends as the signal says.
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
        var text = text
        // Native strings are UTF-8 already: written from their own storage, not a copy.
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path) }
    }

    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        try write(to: path) { output in output(bytes) }
    }

    /// The file is what `produce` hands its `output`, piece by piece; after a failed write the
    /// rest is dropped and the error thrown once `produce` returns. A device or FIFO (`/dev/null`,
    /// `/dev/stdout`, a named pipe) is written to as a stream, never replaced by a regular file.
    static func write(to path: String, _ produce: (_ output: (UnsafeRawBufferPointer) -> Void) -> Void) throws {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG, (info.st_mode & S_IFMT) != S_IFDIR {
            return try stream(to: path, produce)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        // mkstemp fills in the name in the buffer the signal handlers watch, so that a signal at
        // any moment finds the temporary file's name there.
        guard let template = SignalCleanup.watch(folder + "/." + url.lastPathComponent + ".tmp-XXXXXX") else {
            throw WriteError(path: path, reason: String(cString: strerror(ENAMETOOLONG)))
        }
        defer { SignalCleanup.unwatch() }
        let descriptor = mkstemp(template)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(cString: template)
        var finished = false
        defer {
            if !finished { unlink(temporary) }
        }
        var failure: Int32?
        var writeback = Writeback()
        produce { bytes in
            if failure == nil, !writeAll(bytes, to: descriptor) { failure = errno }
            if failure == nil { writeback.wrote(bytes.count, to: descriptor) }
        }
        if let failure {
            close(descriptor)
            throw WriteError(path: path, reason: String(cString: strerror(failure)))
        }
        guard fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw WriteError(path: path, reason: reason)
        }
        close(descriptor)
        // A signal after the rename finds no file by the temporary name: nothing to remove.
        guard rename(temporary, path) == 0 else {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        finished = true
    }

    /// Starts writing a long file to disk every `step` bytes while the rest is still being
    /// produced, so that the closing fsync waits for the last piece only: 0.14 s for a 338 MB
    /// report otherwise. Only a hint: a refusal changes nothing, as fsync still waits for it all.
    struct Writeback {
        static let step = 8 << 20
        private var written = 0
        private var started = 0

        mutating func wrote(_ count: Int, to descriptor: Int32) {
            written += count
            guard written - started >= Self.step else { return }
            _ = attune_start_writeback(descriptor, Int64(started), Int64(written - started))
            started = written
        }
    }

    /// Writes to a device or FIFO as it is: opened for writing (no create, no truncate, no chmod).
    private static func stream(to path: String, _ produce: (_ output: (UnsafeRawBufferPointer) -> Void) -> Void) throws
    {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var failure: Int32?
        produce { bytes in
            if failure == nil, !writeAll(bytes, to: descriptor) { failure = errno }
        }
        if let failure { throw WriteError(path: path, reason: String(cString: strerror(failure))) }
    }

    /// Every byte, however many `write` calls that takes; false (errno set) when one fails.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var written = 0
        while written < bytes.count {
            let result = Foundation.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return false }
            written += result
        }
        return true
    }
}
