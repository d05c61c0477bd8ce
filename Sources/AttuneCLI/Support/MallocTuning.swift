import CMimalloc

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The allocator a review runs on, and how it is set up.
///
/// The command line links mimalloc, which takes the place of the C library's malloc for the whole
/// process, libyaml included: a review makes and frees millions of small blocks (libyaml allocates
/// each scalar's text and frees it with its event), and glibc's malloc and free cost 1.1 billion
/// instructions of a 100,000-record review, mimalloc a third of that (BENCHMARKS.md, issue 19).
///
/// By default mimalloc keeps freed memory for 25 ms before it returns it to the system. A review's
/// phases free large arrays and make as many again within that time, so with two workers the peak
/// grew by 40% (233 against 166 MB at a million records); freed memory is returned at once instead.
///
/// ```swift
/// MallocTuning.apply()   // first thing in main
/// ```
enum MallocTuning {
    static func apply() {
        attune_mimalloc_return_freed_memory_at_once()
    }

    /// Whether `malloc` is mimalloc's: false if the C library's came first in the link order.
    static var mallocIsMimalloc: Bool {
        guard let block = malloc(16) else { return false }
        defer { free(block) }
        return mi_is_in_heap_region(block)
    }
}
