/// Findings in order, held in runs of `runLength` (the last may be shorter), each made at its
/// size: a large review's findings are gathered from every timeline without a second buffer of
/// their size beside the timelines' lists, and are let go run by run as the review takes them,
/// never held twice beside what is made from them. Read by position like an array.
///
/// ```swift
/// var findings = FindingRuns(expecting: 3, runLength: 2)
/// var found = [a, b, c]
/// findings.append(movingFrom: &found)   // runs [[a, b], [c]]; findings[2] == c
/// ```
struct FindingRuns: RandomAccessCollection, Sendable {
    /// About half a megabyte of findings a run.
    static let defaultRunLength = 4_096

    let runLength: Int
    private(set) var runs: [[Finding]] = []
    private(set) var count = 0
    /// How many findings are to come in all, so that the last run is made at its size too.
    private let expected: Int

    init(expecting expected: Int, runLength: Int = Self.defaultRunLength) {
        precondition(runLength > 0)
        self.expected = expected
        self.runLength = runLength
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Read in place (`findings[position].rule` copies no other field), like an array's element.
    subscript(position: Int) -> Finding {
        _read {
            precondition(UInt(bitPattern: position) < UInt(bitPattern: count), "finding position out of range")
            yield runs[position / runLength][position % runLength]
        }
    }

    /// Appends `other`'s findings in order, leaving it empty: each is moved, not copied.
    mutating func append(movingFrom other: inout [Finding]) {
        // Reversed in place, then taken from the end: `popLast` moves out of an array held once.
        // Reversed through its buffer, whose `swapAt` moves elements: `Array.reverse` copies each
        // finding, a count for every reference it holds.
        other.withUnsafeMutableBufferPointer { $0.reverse() }
        while let finding = other.popLast() {
            if runs.isEmpty || runs[runs.count - 1].count == runLength {
                var run: [Finding] = []
                run.reserveCapacity(Swift.min(runLength, Swift.max(1, expected - count)))
                runs.append(run)
            }
            runs[runs.count - 1].append(finding)
            count += 1
        }
        other = []
    }

    /// The runs, leaving none.
    mutating func takeRuns() -> [[Finding]] {
        defer { (runs, count) = ([], 0) }
        return runs
    }
}
