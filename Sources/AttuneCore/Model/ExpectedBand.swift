/// The range a client's scores were expected to stay within, session by session, drawn behind
/// their line on the chart of a `trajectory` finding (a clinic's calibration, not a norm).
///
/// ```swift
/// ExpectedBand(measure: "ors", label: "25th–75th percentile of clients who started at 14–18",
///              points: [.init(date: day, low: 15, high: 19)])
/// ```
public struct ExpectedBand: Sendable, Hashable {
    /// The band at one attended session of the client, in the measure's own units.
    public struct Point: Sendable, Hashable {
        public var date: Day
        public var low: Double
        public var high: Double

        public init(date: Day, low: Double, high: Double) {
            self.date = date
            self.low = low
            self.high = high
        }
    }

    public var measure: String
    /// What the band is, for its text label.
    public var label: String
    public var points: [Point]

    public init(measure: String, label: String, points: [Point]) {
        self.measure = measure
        self.label = label
        self.points = points
    }
}
