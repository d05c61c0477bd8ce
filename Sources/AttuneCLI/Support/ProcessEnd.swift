/// Values a command is done with just before the process ends, left for the end of the process to
/// reclaim rather than freed piece by piece.
///
/// A review of a million records is some 180 MB in millions of allocations. Freeing them one by
/// one, on one thread, after the report is written, took about 0.08 s (`attune review`, 1M records,
/// `--timings` against the wall time); the process's end returns all of it at once. Only a
/// command that ends the process right after (every command run by `AttuneCLI.main`) may use it.
///
/// ```swift
/// try writeReport(review, jobs: jobs, timer: timer)
/// ProcessEnd.reclaims(review)
/// ```
enum ProcessEnd {
    /// Keeps `value` (and all it references) allocated until the process ends.
    static func reclaims<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
