import Synchronization
import Testing

@testable import AttuneCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `Parallel.chunks`: every position is handed out exactly once, in ranges of the given size,
/// whatever the number of jobs; one job runs them in order on the calling thread.
struct ParallelChunksTests {
    @Test(arguments: [0, 1, 255, 256, 257, 1_000, 7_703])
    func everyPositionOnceInRangesOfTheSize(_ count: Int) {
        for jobs in [1, 2, 3, 8] {
            let seen = Mutex([Int](repeating: 0, count: count))
            let ranges = Mutex([Range<Int>]())
            Parallel.chunks(jobs, count, size: 256) { range in
                ranges.withLock { $0.append(range) }
                seen.withLock { seen in for position in range { seen[position] += 1 } }
            }
            #expect(seen.withLock { $0.allSatisfy { $0 == 1 } }, "jobs \(jobs)")
            let handed = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
            #expect(handed.count == (count + 255) / 256, "jobs \(jobs)")
            #expect(handed.dropLast().allSatisfy { $0.count == 256 })
            #expect(handed.allSatisfy { !$0.isEmpty })
            if jobs == 1 { #expect(ranges.withLock { $0 } == handed) }
        }
    }
}

/// `Parallel.forEach`: every item once, on no more threads than `jobs` at a time (which a
/// machine with more cores than `jobs` can break: the threads are Dispatch's, one per core).
struct ParallelForEachTests {
    @Test func everyItemOnceAndNoMoreThreadsThanJobs() {
        let items = Array((0..<400).reversed())
        for jobs in [1, 2, 3] {
            let seen = Mutex([Int](repeating: 0, count: items.count))
            let running = Atomic<Int>(0)
            let mostAtOnce = Atomic<Int>(0)
            Parallel.forEach(items, jobs: jobs) { item in
                let now = running.add(1, ordering: .relaxed).newValue
                mostAtOnce.max(now, ordering: .relaxed)
                seen.withLock { $0[item] += 1 }
                usleep(100)  // Long enough for the other threads to start.
                running.subtract(1, ordering: .relaxed)
            }
            #expect(seen.withLock { $0.allSatisfy { $0 == 1 } }, "jobs \(jobs)")
            #expect(mostAtOnce.load(ordering: .relaxed) <= jobs, "jobs \(jobs)")
        }
    }
}
