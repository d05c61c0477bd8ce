import Testing

@testable import AttuneCore

/// `attune review --timings`: one line per phase and a total; on Linux each phase also says how
/// much memory was resident when it ended, and the peak so far.
struct PhaseTimerTests {
    @Test func reportsEachPhaseItsShareAndMemory() {
        let timer = PhaseTimer()
        let kept = timer.measure("read") { [UInt8](repeating: 1, count: 8 << 20) }
        timer.measure("evaluate") {}
        let lines = timer.report.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("read "))
        #expect(lines[1].hasPrefix("evaluate "))
        #expect(lines[2].hasPrefix("total "))
        #expect(lines[2].hasSuffix("100%"))
        #expect(kept.count == 8 << 20)
        #if os(Linux)
            let memory = timer.phases[0].memory
            // The 8 MB just written are resident, and the peak is never below what is resident.
            #expect((memory?.resident ?? 0) >= 8 << 20)
            #expect((memory?.peak ?? 0) >= (memory?.resident ?? .max))
            #expect(lines[0].contains("resident") && lines[0].contains("MB, peak"))
            #expect(!lines[2].contains("resident"))
        #endif
    }

    /// A review without `--timings` reads no memory figures: they cost a file read a phase.
    @Test func notesNoMemoryWhenNotAsked() {
        let timer = PhaseTimer(notesMemory: false)
        timer.measure("read") {}
        #expect(timer.phases.count == 1)
        #expect(timer.phases[0].memory == nil)
        #expect(!timer.report.contains("resident"))
    }

    /// A phase timed on another thread (the records, read while the rules load) is noted as it
    /// was measured, in the order noted.
    @Test func notesAPhaseTimedElsewhere() {
        let timer = PhaseTimer(notesMemory: false)
        timer.note("read", seconds: 0.25)
        timer.measure("evaluate") {}
        #expect(timer.phases.map(\.name) == ["read", "evaluate"])
        #expect(timer.phases[0].seconds == 0.25)
        #expect(timer.report.hasPrefix("read          0.250 s"))
    }
}
