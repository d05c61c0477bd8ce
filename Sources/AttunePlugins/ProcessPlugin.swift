import AttuneCore
import CPluginSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process plugin: a local program, started once when its pack loads, that answers
/// `attune.kind/1` requests as JSON Lines, one request line on its standard input and one
/// response line on its standard output, for the whole run. It runs with the user's rights, so
/// the CLI starts one only with `--allow-exec-plugins`.
///
/// What it gets (docs/plugins.md): the pack folder as its working directory; an environment of
/// PATH, HOME, TMPDIR, LANG, LC_ALL, LC_CTYPE and TZ as Attune has them, and nothing else; no
/// file descriptors but its three standard streams. Its standard error is passed through, each
/// line prefixed with its name and escaped for the terminal.
///
/// A call that takes longer than the timeout, output that is not one line within the response
/// cap, or the process ending, stops it: that call and every later one fail with an error naming
/// the plugin and why, which the engine reports as an evaluation error.
///
/// ```swift
/// let plugin = try ProcessPlugin(name: "dropout-model", arguments: ["python3", "plugins/model.py"],
///                                directory: "clinic-rules", limits: .standard)
/// let response = try plugin.call(KindProtocol.declareRequest())
/// ```
// Unchecked: its pipes and process state are only touched under `lock` (one call at a time).
public final class ProcessPlugin: PluginTransport, @unchecked Sendable {
    public struct Limits: Sendable {
        /// The longest one request may take to answer, in seconds.
        public var timeout: Double
        /// The longest response line accepted, in bytes.
        public var responseBytes: Int

        public init(timeout: Double, responseBytes: Int) {
            self.timeout = timeout
            self.responseBytes = responseBytes
        }

        /// The least time the first request (declare) has, whatever the timeout: it includes
        /// starting the program, which an interpreter on a busy machine takes seconds for.
        public static let startup: Double = 10

        /// 10 s a call; 16 MiB a response, as for WebAssembly plugins.
        public static let standard = Limits(timeout: 10, responseBytes: WasmPlugin.Limits.standard.responseBytes)
    }

    /// The variables of Attune's environment a plugin sees; the rest (tokens, credentials,
    /// ATTUNE_* settings) stay with Attune.
    public static let environmentNames = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TZ"]

    public let plugin: String
    private let limits: Limits
    private let command: String
    // Everything below is used under `lock`: one call at a time.
    private let lock = NSLock()
    private let pid: pid_t
    /// Attune's end of the plugin's standard input: a socket, so a write to a plugin that has
    /// ended fails with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE in Attune.
    private let input: Int32
    /// Attune's end of the plugin's standard output.
    private let output: Int32
    /// Bytes read past the last response line.
    private var pending: [UInt8] = []
    /// Why the plugin no longer answers, once it does not.
    private var stopped: String?
    /// Whether it has answered a request yet (the first one's time includes starting it).
    private var answered = false
    /// Until the process has been waited for: after that its id may be another process's.
    private var running = true

    public init(name: String, arguments: [String], directory: String, limits: Limits = .standard)
        throws(PluginError)
    {
        plugin = name
        self.limits = limits
        command = arguments.joined(separator: " ")
        guard let program = arguments.first, !program.isEmpty else {
            throw PluginError(plugin: name, "exec needs a program: [python3, plugins/model.py]")
        }
        var inputPair: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &inputPair) == 0,
            attune_pipe_cloexec(&outputPipe) == 0, attune_pipe_cloexec(&errorPipe) == 0
        else {
            let reason = String(cString: strerror(errno))
            for fd in inputPair + outputPipe + errorPipe where fd >= 0 { close(fd) }
            throw PluginError(plugin: name, "cannot start \(command): \(reason)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPair[1], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        attune_spawn_chdir(&actions, directory)
        // Signals as a new program expects them, whatever Attune's threads block or handle.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // Nothing of Attune's (record files, the report being written) is left open in the plugin.
        attune_spawn_close_from(&actions, &attributes, 3)

        let environment = ProcessInfo.processInfo.environment
        let variables = Self.environmentNames.compactMap { key in environment[key].map { "\(key)=\($0)" } }
        var child: pid_t = 0
        let status = Self.withCStrings(arguments) { argv in
            Self.withCStrings(variables) { envp in
                posix_spawnp(&child, program, &actions, &attributes, argv, envp)
            }
        }
        close(inputPair[1])
        close(outputPipe[1])
        close(errorPipe[1])
        guard status == 0 else {
            close(inputPair[0])
            close(outputPipe[0])
            close(errorPipe[0])
            throw PluginError(
                plugin: name,
                "cannot start \(command) in \(directory): \(String(cString: strerror(status)))"
                    + (status == ENOENT ? " (is \(program) installed and on PATH?)" : ""))
        }
        pid = child
        input = inputPair[0]
        output = outputPipe[0]
        Self.passThrough(errorPipe[0], plugin: name)
        guard PluginProcesses.add(child, input: input) else {
            _ = stop("not started")
            throw PluginError(
                plugin: name, "more than \(PluginProcesses.capacity) process plugins at once; this one was not started")
        }
    }

    deinit {
        // The run is over for it: its input ends, and a plugin reading requests stops by itself.
        _ = end(waiting: PluginProcesses.graceAtExit)
        close(input)
        close(output)
    }

    public func call(_ request: [UInt8]) throws(PluginError) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        if let stopped { throw failure("is not running: \(stopped)") }
        guard pending.isEmpty else {
            throw failure(stop("wrote output nobody asked for (one response line per request, docs/plugins.md)"))
        }
        // Compact JSON has no raw line breaks (they are escaped in strings): the request is one line.
        let message = request + [0x0A]
        let timeout = answered ? limits.timeout : max(limits.timeout, Limits.startup)
        let deadline = Date().addingTimeInterval(timeout)
        var written = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        // Bytes of `pending` already searched for a line break: a long line is scanned once, not per read.
        var searched = 0
        while true {
            if let newline = pending[searched...].firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                answered = true
                return line
            }
            searched = pending.count
            if pending.count > limits.responseBytes {
                throw failure(
                    stop(
                        "wrote more than \(limits.responseBytes >> 20) MiB without ending its response line; the most a response may be is \(limits.responseBytes >> 20) MiB"
                    ))
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw failure(
                    stop(
                        "did not answer within \(Self.seconds(timeout)) (timeout: in pack.yaml sets how long a call may take); it was stopped"
                    ))
            }
            var watched = [pollfd(fd: output, events: Int16(POLLIN), revents: 0)]
            if written < message.count { watched.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&watched, nfds_t(watched.count), Int32(min(remaining * 1000 + 1, 60_000)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw failure(stop("could not be waited for: \(String(cString: strerror(errno)))"))
            }
            if watched.count > 1, watched[1].revents != 0 {
                let sent = message.withUnsafeBytes { bytes in
                    send(
                        input, bytes.baseAddress! + written, message.count - written, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)
                    )
                }
                if sent > 0 {
                    written += sent
                } else if sent < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
                    // Its input is closed: it has ended, or is about to; its exit status says why.
                    throw failure(stop(ended(reading: false)))
                }
            }
            if watched[0].revents != 0 {
                let count = read(output, &chunk, chunk.count)
                if count > 0 {
                    pending += chunk[..<count]
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    throw failure(stop(ended(reading: true)))
                }
            }
        }
    }

    /// Why a plugin that closed its output or input stopped: its exit status, waited for briefly.
    private func ended(reading: Bool) -> String {
        let what = reading ? "closed its output before answering" : "stopped reading its input"
        guard let status = end(waiting: 2) else { return what + "; it was stopped" }
        if status & 0x7f == 0 {
            return what + ": it exited with status \((status >> 8) & 0xff)"
        }
        let signal = status & 0x7f
        return what + ": it was ended by signal \(signal) (\(String(cString: strsignal(signal))))"
    }

    /// Kills the process (if still running) and remembers why; returns the reason for the error.
    private func stop(_ reason: String) -> String {
        if running { kill(pid, SIGKILL) }
        _ = end(waiting: 2)
        stopped = reason
        return reason
    }

    /// Ends the process once: its input ends, it has `grace` seconds to stop by itself, then it
    /// is killed; it is always waited for, so none is left a zombie. Its wait status, once.
    private func end(waiting grace: Double) -> Int32? {
        guard running else { return nil }
        running = false
        PluginProcesses.remove(pid)
        shutdown(input, Int32(SHUT_WR))
        return Self.reap(pid, until: Date().addingTimeInterval(grace))
    }

    private func failure(_ message: String) -> PluginError { PluginError(plugin: plugin, message) }

    /// Waits for `pid` to end until `deadline`, then kills it and waits for that; its wait
    /// status, or nil when it had already been reaped.
    static func reap(_ pid: pid_t, until deadline: Date) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0, errno != EINTR { return nil }
            if Date() >= deadline { break }
            usleep(5_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return nil }
        }
        return status
    }

    /// Copies the plugin's standard error to Attune's, line by line, each prefixed with its name
    /// and escaped as Attune escapes anything it prints; on a thread of its own, so a chatty
    /// plugin never blocks on a full pipe.
    private static func passThrough(_ descriptor: Int32, plugin: String) {
        let thread = Thread {
            var line: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 14)
            func flush() {
                let text = VisibleText.escaped(String(decoding: line, as: UTF8.self))
                FileHandle.standardError.write(Data("plugin \(plugin): \(text)\n".utf8))
                line.removeAll(keepingCapacity: true)
            }
            while true {
                let count = read(descriptor, &chunk, chunk.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                for byte in chunk[..<count] {
                    if byte == 0x0A {
                        flush()
                    } else {
                        line.append(byte)
                        // A line without end is shown in pieces rather than held without bound.
                        if line.count >= 1 << 14 { flush() }
                    }
                }
            }
            if !line.isEmpty { flush() }
            close(descriptor)
        }
        thread.name = "plugin \(plugin) stderr"
        thread.start()
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// A NULL-terminated C array of `strings` for the duration of `body`.
    private static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { for copy in copies { free(copy) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
