import Testing

@testable import AttuneCLI

/// The command line's allocator is mimalloc for the whole process: `malloc`, which libyaml and the
/// Swift runtime call, must be mimalloc's and not the C library's, which a change in the link
/// order would bring back without any other sign (BENCHMARKS.md, issue 19).
struct MallocTuningTests {
    @Test func mallocIsMimallocsOnceTheCommandLineIsLinked() {
        MallocTuning.apply()
        #expect(MallocTuning.mallocIsMimalloc)
    }
}
