import Dispatch

/// Work spread over `--jobs` threads, each worker writing only its own slots (with
/// `UnsafeSendableBuffer`), read after all finish; with one job, in the calling thread, in order.
///
/// ```swift
/// Parallel.ranges(jobs, records.count) { job, range in for index in range { hashes[index] = … } }
/// Parallel.forEach(largestFirst, jobs: jobs) { section in … }
/// ```
enum Parallel {
    /// Runs `body` over `count` positions cut into `jobs` contiguous ranges, one per thread, with
    /// the range's number (a range may be empty when `jobs` does not divide `count` evenly).
    static func ranges(_ jobs: Int, _ count: Int, _ body: @Sendable (_ job: Int, Range<Int>) -> Void) {
        guard jobs > 1 else { return body(0, 0..<count) }
        let chunk = (count + jobs - 1) / jobs
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let start = min(count, job * chunk)
            body(job, start..<min(count, start + chunk))
        }
    }

    /// Calls `body` with each of `items`, handed to the threads in that order, when `jobs` allows
    /// more than one; `body` must touch only what belongs to its item.
    static func forEach(_ items: [Int], jobs: Int, _ body: @Sendable (Int) -> Void) {
        guard jobs > 1, items.count > 1 else { return items.forEach(body) }
        DispatchQueue.concurrentPerform(iterations: items.count) { body(items[$0]) }
    }
}
