import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Wall-clock time spent in each phase of a review, for `attune review --timings` and the
/// benchmark notes: where the time goes, measured rather than guessed. On Linux each phase also
/// notes the resident memory when it ended and the peak so far (`VmRSS`, `VmHWM`), which says in
/// which phase a review's peak memory is reached.
///
/// ```swift
/// let timer = PhaseTimer()
/// let batch = timer.measure("read") { try loader.load(paths: paths) }
/// print(timer.report)
/// ```
public final class PhaseTimer {
    public struct Phase: Sendable {
        public var name: String
        public var seconds: Double
        /// Resident and peak resident memory in bytes when the phase ended; nil where unknown.
        public var memory: (resident: Int, peak: Int)?
    }

    public private(set) var phases: [Phase] = []
    /// Whether each phase notes its memory: reading `/proc/self/status` costs about a million
    /// instructions a phase (a twentieth of a one-record review's, in all), so only `--timings`
    /// asks for it.
    private let notesMemory: Bool

    public init(notesMemory: Bool = true) {
        self.notesMemory = notesMemory
    }

    public func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { note(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        return try body()
    }

    /// Adds a phase timed elsewhere (on another thread), as if it had ended now.
    public func note(_ name: String, seconds: Double) {
        phases.append(Phase(name: name, seconds: seconds, memory: notesMemory ? Self.memory() : nil))
    }

    /// One line per phase, and the total.
    public var report: String {
        let total = phases.reduce(0) { $0 + $1.seconds }
        let lines = phases.map { phase in
            Self.line(phase.name, phase.seconds, total: total)
                + (phase.memory.map { "  resident \(Self.megabytes($0.resident)), peak \(Self.megabytes($0.peak))" }
                    ?? "")
        }
        return (lines + [Self.line("total", total, total: total)]).joined(separator: "\n")
    }

    private static func line(_ name: String, _ seconds: Double, total: Double) -> String {
        let padded = name + String(repeating: " ", count: max(0, 10 - name.count))
        let share = total > 0 ? Int((seconds / total * 100).rounded()) : 0
        let shown = String(repeating: " ", count: max(0, 3 - String(share).count)) + "\(share)"
        return "\(padded) \(String(format: "%8.3f", seconds)) s \(shown)%"
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%7.1f MB", Double(bytes) / 1_000_000)
    }

    /// `VmRSS` and `VmHWM` from `/proc/self/status`, in bytes.
    static func memory() -> (resident: Int, peak: Int)? {
        #if os(Linux)
            guard let file = fopen("/proc/self/status", "r") else { return nil }
            defer { fclose(file) }
            var resident: Int?
            var peak: Int?
            var buffer = [CChar](repeating: 0, count: 256)
            while fgets(&buffer, Int32(buffer.count), file) != nil {
                let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                // "VmRSS:     12345 kB"
                let kilobytes = Int(line.drop { $0 != ":" }.filter(\.isNumber)).map { $0 * 1024 }
                if line.hasPrefix("VmRSS:") { resident = kilobytes }
                if line.hasPrefix("VmHWM:") { peak = kilobytes }
            }
            guard let resident, let peak else { return nil }
            return (resident, peak)
        #else
            return nil
        #endif
    }
}
