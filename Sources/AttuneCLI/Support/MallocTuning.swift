import CMallocTuning

/// How the allocator is set up for a review, which holds every record and finding at once.
///
/// By default glibc raises its mmap threshold each time a large block is freed, up to 32 MB: once
/// the read has grown and freed its arrays, every later array under 32 MB (the engine's results,
/// findings, the report's chunks) comes from the heap, and what is freed there stays resident
/// among the live findings. A fixed threshold gives such blocks pages of their own, returned when
/// freed (BENCHMARKS.md, issue 19).
///
/// ```swift
/// MallocTuning.apply()   // first thing in main
/// ```
enum MallocTuning {
    /// Blocks of this many bytes or more are mapped on their own.
    static let mmapThreshold: Int32 = 1 << 20

    static func apply() {
        // Where it is not set (another C library), the defaults only cost memory, not correctness.
        _ = attune_fix_mmap_threshold(mmapThreshold)
    }
}
