/// A client's appointments as a review shows them, one `TrajectoryPoint` each, in timeline order.
///
/// A review's trajectories read the timeline's records when a point is asked for, rather than
/// holding a copy of each: the records are held once (`TimelineRecords`), and a large review
/// reports tens of thousands of clients. A trajectory can also hold points of its own (a report
/// that rewrites some, or a test).
///
/// Reports written on several threads walk trajectories with `forEachPoint`, which looks the
/// shared records up once per trajectory: every timeline shares one array, and a first version
/// that made each point through the subscript (a reference count of that array per point, from
/// two threads at once, the likely cause) measured 15–18% slower on both cores.
///
/// ```swift
/// client.trajectory.forEachPoint { point in if point.attendance == .attended { print(point.date) } }
/// let points = Trajectory([TrajectoryPoint(record)])
/// ```
public struct Trajectory: RandomAccessCollection, Sendable {
    private enum Storage: Sendable {
        case records(TimelineRecords)
        case points([TrajectoryPoint])
    }

    private let storage: Storage
    public let count: Int

    /// Points of its own.
    public init(_ points: [TrajectoryPoint] = []) {
        storage = .points(points)
        count = points.count
    }

    /// The points of a timeline's records, read from them when asked for.
    init(records: TimelineRecords) {
        storage = .records(records)
        count = records.count
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(index: Int) -> TrajectoryPoint {
        switch storage {
        case .records(let records): return TrajectoryPoint(records[index])
        case .points(let points): return points[index]
        }
    }

    /// Calls `body` with each point in order, reading the records in place: each point is made
    /// once, and the shared records are looked up once for the whole trajectory, not per point.
    public func forEachPoint(_ body: (TrajectoryPoint) throws -> Void) rethrows {
        switch storage {
        case .records(let records):
            try records.withUnsafeBufferPointer { buffer in
                for index in buffer.indices { try body(TrajectoryPoint(buffer[index])) }
            }
        case .points(let points):
            for point in points { try body(point) }
        }
    }

    /// The points in an array, each made once (for reports that read them several times).
    public var points: [TrajectoryPoint] {
        switch storage {
        case .records:
            var points: [TrajectoryPoint] = []
            points.reserveCapacity(count)
            forEachPoint { points.append($0) }
            return points
        case .points(let points):
            return points
        }
    }
}
