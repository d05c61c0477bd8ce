/// Some timelines' attended dates, in runs of records with one therapist: the first pass of
/// `Engine.attendedDates`, which needs no lookup by name, so that it can run on a thread per
/// range of timelines and be joined without merging dictionaries.
///
/// ```swift
/// let runs = AttendedRuns(of: timelines[range], startingAt: range.lowerBound)
/// for run in runs.runs { runs.dates[Int(run.first)..<Int(run.first + run.count)] … }
/// ```
struct AttendedRuns: Sendable {
    struct Run: Sendable {
        var therapist: InternedIdentifier
        /// The timeline's position among all the timelines.
        var timeline: Int32
        /// Where the run's dates are in `dates`, and how many.
        var first: Int32
        var count: Int32
    }

    /// Runs with at least one attended date, in timeline order.
    private(set) var runs: [Run] = []
    /// Every run's attended dates, one after the other.
    private(set) var dates: [Day] = []
    /// Each therapist id of a run (attended or not), once, in order of first appearance.
    private(set) var therapists: [InternedIdentifier] = []

    init() {}

    init(of timelines: ArraySlice<Timeline>, startingAt firstPosition: Int) {
        var known = Set<InternedIdentifier>()
        for (offset, timeline) in timelines.enumerated() {
            // A timeline is one client's, and its therapist seldom changes: one run per therapist.
            timeline.records.withUnsafeBufferPointer { records in
                var start = 0
                while start < records.count {
                    let therapistID = records[start].therapistID
                    let therapist = therapistID.text
                    let first = dates.count
                    var end = start
                    while end < records.count,
                        records[end].therapistID == therapistID || records[end].therapistID.text == therapist
                    {
                        // A stored field: a computed one (`attended`) would copy the record whole.
                        if records[end].attendance == .attended { dates.append(records[end].date) }
                        end += 1
                    }
                    if known.insert(therapistID).inserted { therapists.append(therapistID) }
                    if dates.count > first {
                        runs.append(
                            Run(
                                therapist: therapistID, timeline: Int32(firstPosition + offset), first: Int32(first),
                                count: Int32(dates.count - first)))
                    }
                    start = end
                }
            }
        }
    }

    /// The dates, left empty here: handed on without a copy.
    mutating func takeDates() -> [Day] {
        var taken: [Day] = []
        swap(&taken, &dates)
        return taken
    }
}
