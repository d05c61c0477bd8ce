import AttuneYAML

/// A clinic's expected treatment response for one measure, made by `attune calibrate` from its
/// own closed episodes: for each intake band (a range of baseline scores) and each attended
/// session number up to a horizon, percentiles of the change from baseline.
///
/// Change is counted the good way for the measure (up for `better: higher`, down for
/// `better: lower`), so "below the 25th percentile" always means "worse than three quarters of
/// the clients who started there". The file holds no client id: only counts, dates and numbers.
///
/// ```swift
/// let expected = ExpectedResponse.decode(bytes, file: "expected/ors.yaml", diagnostics: &diagnostics)
/// if let expected, let band = expected.band(baseline: 16), let column = expected.percentileIndex(25) {
///     expected.cell(in: band, session: 6)?.values[column]   // 4: points of improvement at the 25th percentile
/// }
/// ```
public struct ExpectedResponse: Sendable, Hashable {
    public static let format = "attune.expected/1"

    /// The baseline scores a band holds: `low` included, `high` excluded (the last band includes it).
    public struct Band: Sendable, Hashable {
        public var low: Double
        public var high: Double
        /// Closed episodes whose baseline falls in the band.
        public var episodes: Int
        /// Attended sessions 2 up to the horizon, in order.
        public var sessions: [Cell]

        public init(low: Double, high: Double, episodes: Int, sessions: [Cell]) {
            self.low = low
            self.high = high
            self.episodes = episodes
            self.sessions = sessions
        }

        /// `14–18`.
        public var label: String { Value.format(low) + "–" + Value.format(high) }
    }

    /// The change from baseline at one attended session number, in one band.
    public struct Cell: Sendable, Hashable {
        public var session: Int
        /// Episodes with a value at this session (the count behind the percentiles).
        public var episodes: Int
        /// One value per percentile of `ExpectedResponse.percentiles`, smoothed across sessions.
        public var values: [Double]

        public init(session: Int, episodes: Int, values: [Double]) {
            self.session = session
            self.episodes = episodes
            self.values = values
        }
    }

    /// Where the calibration came from, without any client id.
    public struct Inputs: Sendable, Hashable {
        public var records: Int
        public var closedEpisodes: Int
        /// Closed episodes with a baseline value (those the percentiles are made of).
        public var episodesUsed: Int
        public var firstDate: Day
        public var lastDate: Day
        /// SHA-256 of the input files' bytes, in the order read (`cat FILES | sha256sum`).
        public var digest: String

        public init(records: Int, closedEpisodes: Int, episodesUsed: Int, firstDate: Day, lastDate: Day, digest: String)
        {
            self.records = records
            self.closedEpisodes = closedEpisodes
            self.episodesUsed = episodesUsed
            self.firstDate = firstDate
            self.lastDate = lastDate
            self.digest = digest
        }
    }

    public var measure: String
    public var better: MeasureSpec.Direction
    /// The attune version that made it.
    public var madeBy: String
    public var percentiles: [Int]
    public var horizon: Int
    /// The method's settings: fewest episodes per band, per cell, and the smoothing window.
    public var minimumPerBand: Int
    public var minimumPerCell: Int
    public var smoothingWindow: Int
    public var inputs: Inputs
    /// In order of baseline, contiguous.
    public var bands: [Band]

    public init(
        measure: String, better: MeasureSpec.Direction, madeBy: String, percentiles: [Int], horizon: Int,
        minimumPerBand: Int, minimumPerCell: Int, smoothingWindow: Int, inputs: Inputs, bands: [Band]
    ) {
        self.measure = measure
        self.better = better
        self.madeBy = madeBy
        self.percentiles = percentiles
        self.horizon = horizon
        self.minimumPerBand = minimumPerBand
        self.minimumPerCell = minimumPerCell
        self.smoothingWindow = smoothingWindow
        self.inputs = inputs
        self.bands = bands
    }

    /// The band a baseline falls in; baselines outside every band go to the nearest one.
    public func band(baseline: Double) -> Band? {
        guard let first = bands.first else { return nil }
        if baseline < first.low { return first }
        return bands.last { baseline >= $0.low } ?? first
    }

    /// The expectation at an attended session number; past the horizon, the horizon's.
    public func cell(in band: Band, session: Int) -> Cell? {
        guard session >= 2 else { return nil }
        return band.sessions.last { $0.session <= min(session, horizon) }
    }

    public func percentileIndex(_ percentile: Int) -> Int? {
        percentiles.firstIndex(of: percentile)
    }

    // MARK: Writing

    /// The file a supervisor can read: the method in words, the inputs, then the numbers.
    public func yaml() -> String {
        let direction = better == .higher ? "up" : "down"
        var out = """
            # Expected treatment response for \(measure), from this clinic's own closed episodes.
            # Made by `attune calibrate`; read by rules of kind `trajectory` (params: expected).
            # For each intake band (the baseline score) and attended session number: percentiles of the
            # change from baseline, counted the good way (\(direction) is better for \(measure)), with the number of
            # episodes behind them. No client or therapist id is kept.
            format: \(Self.format)
            measure: \(measure)
            better: \(better.rawValue)
            made_by: \(Self.quoted(madeBy))
            method:
              baseline: "the first recorded \(measure) of the episode, at an attended session"
              change: "\(measure) at attended session N minus the baseline, counted \(direction) as improvement"
              episodes: "closed episodes only (a record with episode_end)"
              bands: "baseline ranges cut at quantiles, each holding at least minimum_per_band episodes"
              smoothing: "each percentile averaged over \(smoothingWindow) neighbouring sessions, weighted by their counts"
              percentiles: "linear interpolation between order statistics"
              minimum_per_band: \(minimumPerBand)
              minimum_per_cell: \(minimumPerCell)
              smoothing_window: \(smoothingWindow)
            inputs:
              records: \(inputs.records)
              closed_episodes: \(inputs.closedEpisodes)
              episodes_used: \(inputs.episodesUsed)
              first_date: \(inputs.firstDate)
              last_date: \(inputs.lastDate)
              digest: sha256:\(inputs.digest)
            percentiles: [\(percentiles.map(String.init).joined(separator: ", "))]
            horizon: \(horizon)
            bands:

            """
        for band in bands {
            out += "  - baseline: [\(Value.format(band.low)), \(Value.format(band.high))]\n"
            out += "    episodes: \(band.episodes)\n"
            out += "    sessions:\n"
            for cell in band.sessions {
                let values = zip(percentiles, cell.values).map { "p\($0): \(Value.format($1))" }.joined(separator: ", ")
                out += "      - {session: \(cell.session), episodes: \(cell.episodes), \(values)}\n"
            }
        }
        return out
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: Reading

    public static let keys = [
        "format", "measure", "better", "made_by", "method", "inputs", "percentiles", "horizon", "bands",
    ]

    /// Reads a calibration file, reporting every problem at its place in the file.
    public static func decode(_ bytes: [UInt8], file: String, diagnostics: inout [Diagnostic]) -> ExpectedResponse? {
        let node: Node
        do {
            guard let first = try YAMLReader.documents(in: .bytes(bytes), limits: .rules).first else {
                diagnostics.append(
                    .error(
                        .calibration, "the calibration file is empty",
                        at: SourceLocation(file: file, line: 1, column: 1)))
                return nil
            }
            node = first
        } catch let error as DocumentError {
            diagnostics.append(.error(.yamlSyntax, error.message, at: SourceLocation(file: file, mark: error.mark)))
            return nil
        } catch {
            diagnostics.append(.error(.invalidValue, "\(error)", at: SourceLocation(file: file, line: 1, column: 1)))
            return nil
        }
        var reader = ScalarReader(file: file)
        defer { diagnostics += reader.diagnostics }
        guard let pairs = reader.pairs(node, field: "a calibration file") else { return nil }
        var values: [String: Node] = [:]
        for (key, pair) in pairs {
            if keys.contains(key) {
                values[key] = pair.value
            } else {
                reader.error(
                    .calibration,
                    "unknown key '\(key)' in a calibration file" + Suggestion.phrase(for: key, in: keys), at: pair.key)
            }
        }
        for key in keys where values[key] == nil {
            reader.error(
                .calibration, "the calibration file is missing '\(key)' (make it with attune calibrate)", at: node)
        }
        guard reader.diagnostics.isEmpty else { return nil }
        if let format = reader.string(values["format"]!, field: "format"), format != Self.format {
            reader.error(.invalidValue, "format '\(format)' is not \(Self.format)", at: values["format"]!)
        }
        let measure = reader.string(values["measure"]!, field: "measure") ?? ""
        let better = reader.enumeration(values["better"]!, field: "better", as: MeasureSpec.Direction.self)
        let madeBy = reader.scalar(values["made_by"]!, field: "made_by") ?? ""
        let horizon = reader.integer(values["horizon"]!, field: "horizon", range: 2...1000) ?? 0
        var percentiles: [Int] = []
        for item in values["percentiles"]!.sequenceItems ?? [] {
            if let p = reader.integer(item, field: "a percentile", range: 1...99) { percentiles.append(p) }
        }
        if percentiles.isEmpty || percentiles != percentiles.sorted() || Set(percentiles).count != percentiles.count {
            reader.error(
                .invalidValue,
                "percentiles must be a list of different whole numbers from 1 to 99, in increasing order",
                at: values["percentiles"]!)
        }
        var method: [String: Int] = [:]
        for (key, pair) in reader.pairs(values["method"]!, field: "method") ?? []
        where key.hasPrefix("minimum_") || key == "smoothing_window" {
            method[key] = reader.integer(pair.value, field: key, range: 1...1_000_000)
        }
        let inputs = decodeInputs(values["inputs"]!, &reader)
        let bands = decodeBands(values["bands"]!, percentiles: percentiles, horizon: horizon, &reader)
        guard reader.diagnostics.isEmpty, let better, let inputs else { return nil }
        return ExpectedResponse(
            measure: measure, better: better, madeBy: madeBy, percentiles: percentiles, horizon: horizon,
            minimumPerBand: method["minimum_per_band"] ?? 0, minimumPerCell: method["minimum_per_cell"] ?? 0,
            smoothingWindow: method["smoothing_window"] ?? 1, inputs: inputs, bands: bands)
    }

    private static func decodeInputs(_ node: Node, _ reader: inout ScalarReader) -> Inputs? {
        var fields: [String: Node] = [:]
        for (key, pair) in reader.pairs(node, field: "inputs") ?? [] { fields[key] = pair.value }
        let required = ["records", "closed_episodes", "episodes_used", "first_date", "last_date", "digest"]
        for key in required where fields[key] == nil {
            reader.error(.missingKey, "inputs is missing '\(key)'", at: node)
        }
        guard required.allSatisfy({ fields[$0] != nil }) else { return nil }
        let count = { (key: String, reader: inout ScalarReader) in
            reader.integer(fields[key]!, field: key, range: 0...Int.max)
        }
        guard let records = count("records", &reader), let closed = count("closed_episodes", &reader),
            let used = count("episodes_used", &reader),
            let first = reader.date(fields["first_date"]!, field: "first_date"),
            let last = reader.date(fields["last_date"]!, field: "last_date"),
            let digest = reader.string(fields["digest"]!, field: "digest")
        else { return nil }
        return Inputs(
            records: records, closedEpisodes: closed, episodesUsed: used, firstDate: first, lastDate: last,
            digest: digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest)
    }

    private static func decodeBands(_ node: Node, percentiles: [Int], horizon: Int, _ reader: inout ScalarReader)
        -> [Band]
    {
        guard let items = node.sequenceItems, !items.isEmpty else {
            reader.error(.invalidValue, "bands must be a list of at least one band", at: node)
            return []
        }
        var bands: [Band] = []
        for item in items {
            var fields: [String: Node] = [:]
            for (key, pair) in reader.pairs(item, field: "a band") ?? [] {
                if ["baseline", "episodes", "sessions"].contains(key) {
                    fields[key] = pair.value
                } else {
                    reader.error(
                        .unknownKey,
                        "unknown key '\(key)' in a band"
                            + Suggestion.phrase(for: key, in: ["baseline", "episodes", "sessions"]), at: pair.key)
                }
            }
            guard let range = fields["baseline"], let episodesNode = fields["episodes"],
                let sessionsNode = fields["sessions"]
            else {
                reader.error(.invalidValue, "a band needs baseline, episodes and sessions", at: item)
                continue
            }
            let bounds = range.sequenceItems ?? []
            guard bounds.count == 2, let low = reader.number(bounds[0], field: "baseline"),
                let high = reader.number(bounds[1], field: "baseline"),
                low <= high
            else {
                reader.error(.invalidValue, "a band's baseline must be [lowest, highest]", at: range)
                continue
            }
            if let previous = bands.last, previous.high != low {
                reader.error(
                    .invalidValue,
                    "bands must follow each other: this one starts at \(Value.format(low)), the one before ends at \(Value.format(previous.high))",
                    at: range)
            }
            let episodes = reader.integer(episodesNode, field: "episodes", range: 0...Int.max) ?? 0
            var cells: [Cell] = []
            for cellNode in sessionsNode.sequenceItems ?? [] {
                var session: Int?
                var count: Int?
                var byPercentile: [Int: Double] = [:]
                for (key, pair) in reader.pairs(cellNode, field: "a session") ?? [] {
                    switch key {
                    case "session": session = reader.integer(pair.value, field: "session", range: 2...1000)
                    case "episodes": count = reader.integer(pair.value, field: "episodes", range: 0...Int.max)
                    default:
                        if key.hasPrefix("p"), let p = Int(key.dropFirst()), percentiles.contains(p) {
                            byPercentile[p] = reader.number(pair.value, field: key)
                        } else {
                            reader.error(
                                .unknownKey,
                                "unknown key '\(key)' in a session (percentiles: \(percentiles.map { "p\($0)" }.joined(separator: ", ")))",
                                at: pair.key)
                        }
                    }
                }
                guard let session, let count, byPercentile.count == percentiles.count else {
                    reader.error(
                        .invalidValue,
                        "a session needs session, episodes and \(percentiles.map { "p\($0)" }.joined(separator: ", "))",
                        at: cellNode)
                    continue
                }
                let values = percentiles.map { byPercentile[$0]! }
                if values != values.sorted() {
                    reader.error(.invalidValue, "the percentiles of a session must not decrease", at: cellNode)
                }
                cells.append(Cell(session: session, episodes: count, values: values))
            }
            // A horizon that did not read has its own error already.
            if horizon >= 2, cells.map(\.session) != Array(2...horizon) {
                reader.error(
                    .invalidValue,
                    "a band needs one entry for each session from 2 to the horizon (\(horizon)), in order",
                    at: sessionsNode)
            }
            bands.append(Band(low: low, high: high, episodes: episodes, sessions: cells))
        }
        return bands
    }
}
