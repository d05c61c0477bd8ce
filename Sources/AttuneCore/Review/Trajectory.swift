/// A client's appointments as a review shows them, one `TrajectoryPoint` each, in timeline order.
///
/// A review's trajectories read the timeline's records when a point is asked for, rather than
/// holding a copy of each: the records are held once (`TimelineRecords`), and a large review
/// reports tens of thousands of clients. A trajectory can also hold points of its own (a report
/// that rewrites some, or a test).
///
/// ```swift
/// for point in client.trajectory where point.attendance == .attended { print(point.date) }
/// let points = Trajectory([TrajectoryPoint(record)])
/// ```
public struct Trajectory: RandomAccessCollection, Sendable {
    private enum Storage: Sendable {
        case records(TimelineRecords)
        case points([TrajectoryPoint])
    }

    private let storage: Storage

    /// Points of its own.
    public init(_ points: [TrajectoryPoint] = []) {
        storage = .points(points)
    }

    /// The points of a timeline's records, read from them when asked for.
    init(records: TimelineRecords) {
        storage = .records(records)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int {
        switch storage {
        case .records(let records): return records.count
        case .points(let points): return points.count
        }
    }

    public subscript(index: Int) -> TrajectoryPoint {
        switch storage {
        case .records(let records): return TrajectoryPoint(records[index])
        case .points(let points): return points[index]
        }
    }
}
