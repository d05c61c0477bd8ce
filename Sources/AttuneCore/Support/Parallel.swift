import Dispatch
import Synchronization

/// Work spread over `--jobs` threads, each worker writing only its own slots (with
/// `UnsafeSendableBuffer`), read after all finish; with one job, in the calling thread, in order.
///
/// ```swift
/// Parallel.ranges(jobs, records.count) { job, range in for index in range { hashes[index] = … } }
/// Parallel.forEach(largestFirst, jobs: jobs) { section in … }
/// Parallel.chunks(jobs, timelines.count, size: 256) { range in … }
/// ```
public enum Parallel {
    /// Runs `body` over `count` positions cut into `jobs` contiguous ranges, one per thread, with
    /// the range's number (a range may be empty when `jobs` does not divide `count` evenly).
    public static func ranges(_ jobs: Int, _ count: Int, _ body: @Sendable (_ job: Int, Range<Int>) -> Void) {
        guard jobs > 1 else { return body(0, 0..<count) }
        let chunk = (count + jobs - 1) / jobs
        DispatchQueue.concurrentPerform(iterations: jobs) { job in
            let start = min(count, job * chunk)
            body(job, start..<min(count, start + chunk))
        }
    }

    /// Calls `body` with each of `items`, handed to up to `jobs` threads in that order, each
    /// taking the next item when it is done with its last; `body` must touch only what belongs
    /// to its item.
    public static func forEach(_ items: [Int], jobs: Int, _ body: @Sendable (Int) -> Void) {
        guard jobs > 1, items.count > 1 else { return items.forEach(body) }
        let next = Atomic<Int>(0)
        // Never more threads than `--jobs`, however many cores the machine has.
        DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
            while true {
                let position = next.add(1, ordering: .relaxed).oldValue
                guard position < items.count else { return }
                body(items[position])
            }
        }
    }

    /// Positions of `sizes`, largest first (ties in position order): handed to threads in this
    /// order (`forEach`), the long pieces of work start first and the short ones fill in around them.
    public static func largestFirst(_ sizes: [Int]) -> [Int] {
        sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
    }

    /// Runs `body` over `count` positions cut into ranges of `size` (the last may be shorter),
    /// which up to `jobs` threads take one after another as each finishes its last: work that is
    /// uneven across positions still ends at about the same time on every thread. Each range is
    /// handed out once; with one job they run in order on the calling thread.
    public static func chunks(_ jobs: Int, _ count: Int, size: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let size = max(1, size)
        let chunkCount = (count + size - 1) / size
        forEach(Array(0..<chunkCount), jobs: jobs) { number in body(number * size..<min(count, (number + 1) * size)) }
    }
}
