import AttuneCore

/// Makes an `ExpectedResponse` from session records fed one at a time, so that a history of
/// any length is calibrated in memory proportional to its episodes, not its records.
///
/// Per (client, episode) it keeps whether the episode has closed and its `horizon` earliest
/// attended appointments (date, session number, the measure or none): an appointment later than
/// those can never be one of the first `horizon` attended sessions, whatever order records come in.
///
/// ```swift
/// var calibrator = Calibrator(settings: .init(measure: "ors", measureIndex: 1, better: .higher, range: 0...40))
/// for record in records { calibrator.add(record) }
/// let expected = try calibrator.result(madeBy: "attune 0.1.0", digest: hash.hexDigest())
/// ```
public struct Calibrator: Sendable {
    public struct Settings: Sendable {
        public var measure: String
        public var measureIndex: Int
        public var better: MeasureSpec.Direction
        public var range: ClosedRange<Double>
        public var horizon = 10
        public var minimumPerBand = 100
        public var minimumPerCell = 30
        public var maximumBands = 5
        public var smoothingWindow = 3
        public var percentiles = [10, 25, 50, 75, 90]

        public init(measure: String, measureIndex: Int, better: MeasureSpec.Direction, range: ClosedRange<Double>) {
            self.measure = measure
            self.measureIndex = measureIndex
            self.better = better
            self.range = range
        }
    }

    /// Why there is no calibration: the counts it has against the counts it needs.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// One attended appointment, as small as it can be.
    struct Appointment: Sendable {
        var day: Int32
        var session: Int32
        /// NaN when the appointment has no value of the measure.
        var value: Double
    }

    struct Episode: Sendable {
        var closed = false
        /// The earliest attended appointments, at most `horizon`, in order.
        var earliest: [Appointment] = []
    }

    public let settings: Settings
    private var episodes: [EpisodeKey: Episode] = [:]
    private(set) public var records = 0
    private var firstDay: Day?
    private var lastDay: Day?

    public init(settings: Settings) {
        self.settings = settings
    }

    public mutating func add(_ record: SessionRecord) {
        records += 1
        if firstDay.map({ record.date < $0 }) ?? true { firstDay = record.date }
        if lastDay.map({ record.date > $0 }) ?? true { lastDay = record.date }
        guard record.attended || record.episodeEnd != nil else { return }
        let key = EpisodeKey(client: record.client, episode: record.episode)
        var episode = episodes.removeValue(forKey: key) ?? Episode()
        if record.episodeEnd != nil { episode.closed = true }
        if record.attended {
            let value = record.measures[settings.measureIndex] ?? .nan
            let appointment = Appointment(
                day: record.date.number, session: Int32(record.session ?? Int(Int32.max)), value: value)
            Self.insert(appointment, into: &episode.earliest, keeping: settings.horizon)
        }
        episodes[key] = episode
    }

    /// Keeps the list sorted by (date, session number) and at most `limit` long; an appointment
    /// of the same date and session as one already kept is a duplicate and left out.
    static func insert(_ appointment: Appointment, into list: inout [Appointment], keeping limit: Int) {
        func before(_ a: Appointment, _ b: Appointment) -> Bool {
            a.day != b.day ? a.day < b.day : a.session < b.session
        }
        if list.count == limit, let last = list.last, !before(appointment, last) { return }
        let position = list.firstIndex { !before($0, appointment) } ?? list.count
        if position < list.count, list[position].day == appointment.day, list[position].session == appointment.session {
            return
        }
        list.insert(appointment, at: position)
        if list.count > limit { list.removeLast() }
    }

    /// The calibration, or a refusal that says which counts fall short.
    public func result(madeBy: String, digest: String) throws(Refusal) -> ExpectedResponse {
        let sign: Double = settings.better == .higher ? 1 : -1
        // Baseline and the changes at attended sessions 2...horizon, per closed episode.
        var closed = 0
        var used: [(baseline: Double, changes: [Double?])] = []
        for episode in episodes.values where episode.closed {
            closed += 1
            guard let first = episode.earliest.firstIndex(where: { !$0.value.isNaN }) else { continue }
            let baseline = episode.earliest[first].value
            var changes = [Double?](repeating: nil, count: settings.horizon + 1)
            for position in (first + 1)..<episode.earliest.count where !episode.earliest[position].value.isNaN {
                changes[position + 1] = sign * (episode.earliest[position].value - baseline)
            }
            used.append((baseline, changes))
        }
        let measure = settings.measure
        guard used.count >= settings.minimumPerBand else {
            throw Refusal(
                description: "\(used.count) closed episode\(used.count == 1 ? "" : "s") with a baseline \(measure) "
                    + "(of \(closed) closed, \(episodes.count) in all, in \(records) records); a calibration needs at least "
                    + "\(settings.minimumPerBand) (--min-band) for even one intake band")
        }
        used.sort { $0.baseline < $1.baseline }
        let cuts = Self.cuts(
            used.map(\.baseline), bands: min(settings.maximumBands, used.count / settings.minimumPerBand),
            minimum: settings.minimumPerBand)

        var bands: [ExpectedResponse.Band] = []
        var thin: [String] = []
        var lastGoodHorizon = settings.horizon
        var start = 0
        for (index, end) in cuts.enumerated() {
            let members = used[start..<end]
            let low = index == 0 ? min(settings.range.lowerBound, members.first!.baseline) : members.first!.baseline
            let high =
                index == cuts.count - 1 ? max(settings.range.upperBound, members.last!.baseline) : used[end].baseline
            var raw: [(count: Int, values: [Double])] = []
            for session in 2...max(settings.horizon, 2) {
                var changes = members.compactMap { session < $0.changes.count ? $0.changes[session] : nil }
                if changes.count < settings.minimumPerCell {
                    thin.append(
                        "band \(Value.format(low))–\(Value.format(high)) at session \(session): \(changes.count) episode\(changes.count == 1 ? "" : "s")"
                    )
                    lastGoodHorizon = min(lastGoodHorizon, session - 1)
                }
                changes.sort()
                raw.append((changes.count, settings.percentiles.map { Self.percentile($0, ofSorted: changes) }))
            }
            bands.append(
                ExpectedResponse.Band(
                    low: low, high: high, episodes: members.count,
                    sessions: Self.smoothed(raw, window: settings.smoothingWindow)))
            start = end
        }
        guard thin.isEmpty else {
            let shown = thin.prefix(6).joined(separator: "; ") + (thin.count > 6 ? "; and \(thin.count - 6) more" : "")
            let advice = lastGoodHorizon >= 2 ? "--horizon \(lastGoodHorizon) would hold" : "no horizon would hold"
            throw Refusal(
                description:
                    "too few episodes in \(thin.count) cell\(thin.count == 1 ? "" : "s") (needs \(settings.minimumPerCell) each, "
                    + "--min-cell): \(shown). \(used.count) closed episodes with a baseline \(measure) in \(bands.count) band\(bands.count == 1 ? "" : "s"); "
                    + "\(advice) with these records, or add more history")
        }
        let inputs = ExpectedResponse.Inputs(
            records: records, closedEpisodes: closed, episodesUsed: used.count,
            firstDate: firstDay ?? Day(number: 0), lastDate: lastDay ?? Day(number: 0), digest: digest)
        return ExpectedResponse(
            measure: measure, better: settings.better, madeBy: madeBy, percentiles: settings.percentiles,
            horizon: settings.horizon, minimumPerBand: settings.minimumPerBand, minimumPerCell: settings.minimumPerCell,
            smoothingWindow: settings.smoothingWindow, inputs: inputs, bands: bands)
    }

    /// Where each band ends (exclusive indices into the sorted baselines): cut at quantiles, moved
    /// past ties so that equal baselines share a band, and merged until each band holds `minimum`.
    static func cuts(_ sorted: [Double], bands: Int, minimum: Int) -> [Int] {
        var ends: [Int] = []
        for band in 1..<max(bands, 1) {
            var end = sorted.count * band / bands
            while end < sorted.count, end > 0, sorted[end] == sorted[end - 1] { end += 1 }
            if end - (ends.last ?? 0) >= minimum, sorted.count - end >= minimum { ends.append(end) }
        }
        return ends + [sorted.count]
    }

    /// Linear interpolation between order statistics (Hyndman and Fan's type 7, R's default).
    static func percentile(_ p: Int, ofSorted values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let position = Double(p) / 100 * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        return values[lower] + (position - Double(lower)) * (values[upper] - values[lower])
    }

    /// Each session's percentiles averaged with its neighbours' (a centred window), weighted by
    /// their counts, to one decimal: noise of a few episodes should not make the curve zigzag.
    static func smoothed(_ raw: [(count: Int, values: [Double])], window: Int) -> [ExpectedResponse.Cell] {
        let half = max(window, 1) / 2
        return raw.indices.map { index in
            let neighbours = raw[max(0, index - half)...min(raw.count - 1, index + half)]
            let weight = Double(neighbours.reduce(0) { $0 + $1.count })
            let values = raw[index].values.indices.map { p in
                let sum = neighbours.reduce(0.0) { $0 + Double($1.count) * $1.values[p] }
                return ((weight > 0 ? sum / weight : 0) * 10).rounded() / 10
            }
            return ExpectedResponse.Cell(session: index + 2, episodes: raw[index].count, values: values)
        }
    }
}
