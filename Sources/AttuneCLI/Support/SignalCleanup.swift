import AttunePlugins
import Foundation

/// Removes the report's temporary file when SIGINT, SIGTERM or SIGHUP ends a review while it is
/// being written, and ends the process plugins running, then lets the signal end the process as
/// usual (status 128 + signal number).
///
/// The handler may only make async-signal-safe calls, so the name lives in a fixed C buffer,
/// allocated once and never freed: the handler reads it, never Swift strings or arrays.
///
/// ```swift
/// let template = SignalCleanup.watch("out/.review.json.tmp-XXXXXX")!
/// let descriptor = mkstemp(template)   // the handler now sees the real name
/// defer { SignalCleanup.unwatch() }
/// ```
enum SignalCleanup {
    static let signals = [SIGINT, SIGTERM, SIGHUP]
    /// PATH_MAX plus the terminating NUL: longer paths cannot be created anyway.
    static let capacity = Int(PATH_MAX) + 1
    /// Empty (first byte NUL) when there is nothing to remove.
    // Unsafe by necessity: the signal handler reads it, and a handler may not take a lock.
    nonisolated(unsafe) private static let buffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()
    // Touched only by the command's own thread (commands run synchronously), never by a handler.
    nonisolated(unsafe) private static var installed = false

    /// Copies `template` into the watched buffer and returns it, for mkstemp to fill in; nil
    /// when the path is too long to be a path.
    static func watch(_ template: String) -> UnsafeMutablePointer<CChar>? {
        let bytes = template.utf8CString
        guard bytes.count <= capacity else { return nil }
        let buffer = buffer
        install()
        buffer[0] = 0
        bytes.withUnsafeBufferPointer { source in
            // Everything after the first byte, then the first: the handler never sees half a name.
            (buffer + 1).update(from: source.baseAddress! + 1, count: source.count - 1)
            buffer[0] = source[0]
        }
        return buffer
    }

    /// Nothing to remove any more.
    static func unwatch() {
        buffer[0] = 0
    }

    /// Handlers for the three signals, except those the parent asked to ignore (`nohup`); once.
    static func install() {
        guard !installed else { return }
        installed = true
        for signal in signals {
            var previous = sigaction()
            guard sigaction(signal, nil, &previous) == 0, !Self.ignores(previous) else { continue }
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = handler
            #else
                action.__sigaction_u.__sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        // A blocked mask is inherited by accident (a launcher's worker thread, a test runner);
        // ignoring is how a parent says "not these". Unblocked here, the signals reach this thread.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    private static func ignores(_ action: sigaction) -> Bool {
        #if canImport(Glibc)
            let current = action.__sigaction_handler.sa_handler
        #else
            let current = action.__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(current, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    private static let handler: @convention(c) (Int32) -> Void = { signal in
        let name = SignalCleanup.buffer
        if name[0] != 0 { unlink(name) }
        PluginProcesses.terminateFromSignalHandler()
        // The default action, once this handler returns: the process ends by the signal.
        Foundation.signal(signal, SIG_DFL)
        raise(signal)
    }
}
