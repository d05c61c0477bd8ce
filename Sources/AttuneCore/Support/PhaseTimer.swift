import Dispatch

/// Wall-clock time spent in each phase of a review, for `attune review --timings` and the
/// benchmark notes: where the time goes, measured rather than guessed.
///
/// ```swift
/// let timer = PhaseTimer()
/// let batch = timer.measure("read") { try loader.load(paths: paths) }
/// print(timer.report)
/// ```
public final class PhaseTimer {
    public private(set) var phases: [(name: String, seconds: Double)] = []

    public init() {}

    public func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { phases.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
        return try body()
    }

    /// One line per phase, and the total.
    public var report: String {
        let total = phases.reduce(0) { $0 + $1.seconds }
        return (phases + [("total", total)]).map { name, seconds in
            let padded = name + String(repeating: " ", count: max(0, 10 - name.count))
            let share = total > 0 ? Int((seconds / total * 100).rounded()) : 0
            return "\(padded) \(String(format: "%8.3f", seconds)) s  \(share)%"
        }.joined(separator: "\n")
    }
}
