import AttuneCore

/// One SVG chart of `attune history`: per ISO week, bars for findings opened, closed and
/// discussed (left axis, counts) and a line of median supervision latency (right axis, days).
/// Patterns as well as colours tell the series apart, so it survives a greyscale printer.
///
/// ```swift
/// html += HistoryChart(weeks: history.totals, title: "All therapists").svg()
/// ```
struct HistoryChart {
    var weeks: [LedgerHistory.Week]
    var title: String

    static let width = 920.0, height = 240.0
    static let left = 44.0, right = 52.0, top = 30.0, bottom = 40.0

    static let css = """
        .history svg { width: 100%; height: auto; }
        .history .bar-opened { fill: #a4262c; }
        .history .bar-closed { fill: #2f6b3a; }
        .history .bar-discussed { fill: #2e5f8f; }
        .history .latency { fill: none; stroke: #1d232b; stroke-width: 2; stroke-dasharray: 5 3; }
        .history .latency-point { fill: #fff; stroke: #1d232b; stroke-width: 1.5; }
        .history .axis { stroke: #c9ced4; stroke-width: 1; }
        .history text { font-size: 11px; fill: #5a6470; }

        """

    func svg() -> String {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let maxCount = max(1, weeks.map { max($0.opened, $0.closed, $0.discussed) }.max() ?? 1)
        let countTop = Self.niceCeiling(maxCount)
        let maxLatency = max(1, Int((weeks.compactMap(\.medianLatency).max() ?? 1).rounded(.up)))
        let latencyTop = Self.niceCeiling(maxLatency)
        let slot = plotWidth / Double(max(1, weeks.count))
        let bar = max(1, slot * 0.8 / 3)
        func y(_ value: Double, top: Int) -> Double { Self.top + plotHeight * (1 - value / Double(top)) }
        func f(_ value: Double) -> String { ReportText.number((value * 10).rounded() / 10) }

        var out =
            "<svg viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-label=\""
            + HTMLEscaping.attribute(
                "\(title): findings opened, closed and discussed per week, and median supervision latency") + "\">\n"
        // Axes and gridlines at quarters of each scale.
        for step in 0...4 {
            let value = Double(countTop) * Double(step) / 4
            let yy = y(value, top: countTop)
            out +=
                "<line class=\"axis\" x1=\"\(f(Self.left))\" y1=\"\(f(yy))\" x2=\"\(f(Self.left + plotWidth))\" y2=\"\(f(yy))\"/>"
            out +=
                "<text x=\"\(f(Self.left - 6))\" y=\"\(f(yy + 4))\" text-anchor=\"end\">\(ReportText.number(value))</text>"
            let days = Double(latencyTop) * Double(step) / 4
            out += "<text x=\"\(f(Self.left + plotWidth + 6))\" y=\"\(f(yy + 4))\">\(ReportText.number(days))d</text>\n"
        }
        let labelEvery = max(1, Int((Double(weeks.count) / 12).rounded(.up)))
        var latencyPoints: [(x: Double, y: Double, week: Int)] = []
        for (index, week) in weeks.enumerated() {
            let x0 = Self.left + slot * Double(index) + slot * 0.1
            for (series, value) in [("opened", week.opened), ("closed", week.closed), ("discussed", week.discussed)]
                .enumerated()
            {
                guard value.1 > 0 else { continue }
                let yy = y(Double(value.1), top: countTop)
                out +=
                    "<rect class=\"bar-\(value.0)\" x=\"\(f(x0 + bar * Double(series)))\" y=\"\(f(yy))\" width=\"\(f(bar))\" "
                    + "height=\"\(f(Self.top + plotHeight - yy))\"><title>\(week.week): \(value.1) \(value.0)</title></rect>"
            }
            if let median = week.medianLatency {
                latencyPoints.append((x0 + bar * 1.5, y(median, top: latencyTop), index))
            }
            if index % labelEvery == 0 {
                out +=
                    "<text x=\"\(f(x0 + bar * 1.5))\" y=\"\(f(Self.top + plotHeight + 14))\" text-anchor=\"middle\">"
                    + "\(week.week.suffix(3))</text>"
            }
            out += "\n"
        }
        // The line joins consecutive weeks only: a week with no first discussion has no latency to draw.
        var path = ""
        for (index, point) in latencyPoints.enumerated() {
            let joined = index > 0 && latencyPoints[index - 1].week == point.week - 1
            path += "\(joined ? " L" : " M")\(f(point.x)),\(f(point.y))"
        }
        if !path.isEmpty { out += "<path class=\"latency\" d=\"\(path.dropFirst())\"/>\n" }
        for point in latencyPoints {
            out +=
                "<circle class=\"latency-point\" cx=\"\(f(point.x))\" cy=\"\(f(point.y))\" r=\"3\"><title>"
                + "\(weeks[point.week].week): median \(HistoryReporter.latency(weeks[point.week])) days to first discussion</title></circle>"
        }
        // Legend along the top.
        var x = Self.left
        for (name, label) in [("opened", "opened"), ("closed", "closed"), ("discussed", "discussed")] {
            out +=
                "<rect class=\"bar-\(name)\" x=\"\(f(x))\" y=\"8\" width=\"12\" height=\"12\"/><text x=\"\(f(x + 16))\" y=\"18\">\(label)</text>"
            x += 90
        }
        out +=
            "<path class=\"latency\" d=\"M\(f(x)),14 L\(f(x + 22)),14\"/><text x=\"\(f(x + 28))\" y=\"18\">median days to first discussion (right axis)</text>"
        if let first = weeks.first, let last = weeks.last {
            out += "<text x=\"\(f(Self.left))\" y=\"\(f(Self.height - 6))\">\(first.week) to \(last.week)</text>"
        }
        out += "\n</svg>\n"
        return out
    }

    /// 4, 8, 12, 16, 20, 40, 80… at or above `value`: divisible by four, so the quarter gridlines
    /// fall on whole counts and days.
    static func niceCeiling(_ value: Int) -> Int {
        var magnitude = 1
        while true {
            for step in [4, 8, 12, 16, 20] where step * magnitude >= value { return step * magnitude }
            magnitude *= 10
        }
    }
}
