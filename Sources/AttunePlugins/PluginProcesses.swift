import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process plugins running now, so that none outlives Attune: at exit each is told to stop
/// (its standard input ends) and is waited for, then killed if it has not stopped; a signal
/// handler can end them all with `terminateFromSignalHandler()`.
///
/// The handler may only make async-signal-safe calls, so the process ids live in a fixed C
/// buffer, allocated once and never freed; the handler reads it, never Swift collections.
///
/// ```swift
/// try PluginProcesses.add(pid, input: socket)   // after spawning
/// PluginProcesses.remove(pid)                    // after reaping it
/// ```
public enum PluginProcesses {
    /// At most this many plugin processes at once: far more than a site's packs declare.
    public static let capacity = 64
    /// How long a plugin has, once its input ends at exit, to stop by itself.
    static let graceAtExit: Double = 1

    // Unsafe by necessity: the signal handler reads it, and a handler may not take a lock;
    // written only under `lock`, slot by slot, with a pid as the last store.
    nonisolated(unsafe) private static let ids: UnsafeMutablePointer<pid_t> = {
        let ids = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        ids.initialize(repeating: 0, count: capacity)
        return ids
    }()
    /// The write end of each one's standard input, by process id: closed (shut down) at exit.
    // Accessed only under `lock` (not from the signal handler).
    nonisolated(unsafe) private static var inputs: [pid_t: Int32] = [:]
    // Accessed only under `lock`.
    nonisolated(unsafe) private static var exitHandlerInstalled = false
    private static let lock = NSLock()

    static func add(_ pid: pid_t, input: Int32) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let slot = (0..<capacity).first(where: { ids[$0] == 0 }) else { return false }
        ids[slot] = pid
        inputs[pid] = input
        if !exitHandlerInstalled {
            exitHandlerInstalled = true
            atexit { PluginProcesses.endAll() }
        }
        return true
    }

    static func remove(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        for slot in 0..<capacity where ids[slot] == pid { ids[slot] = 0 }
        inputs[pid] = nil
    }

    /// Sends SIGTERM to every plugin process; async-signal-safe, for a signal handler that ends
    /// Attune (the processes are then reaped by init, so none is left a zombie).
    public static func terminateFromSignalHandler() {
        for slot in 0..<capacity where ids[slot] > 0 { kill(ids[slot], SIGTERM) }
    }

    /// At exit: every plugin's input ends (a plugin reading its requests sees end of file and
    /// stops), then each is waited for a moment and killed if still running, and reaped.
    static func endAll() {
        lock.lock()
        let running = inputs
        lock.unlock()
        for input in running.values { shutdown(input, Int32(SHUT_WR)) }
        let deadline = Date().addingTimeInterval(graceAtExit)
        for pid in running.keys { _ = ProcessPlugin.reap(pid, until: deadline) }
    }
}
