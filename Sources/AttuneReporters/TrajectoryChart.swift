import AttuneCore

/// An inline SVG of one client's sessions: a lane of events (ruptures, repairs, missed and
/// cancelled appointments) above small multiples, one panel per measure on its own sensible
/// scale, with the clinical cutoff drawn and the side of concern hatched. The horizontal axis is
/// time, from the first appointment to the end of the review period, so a gap in attendance is
/// as wide as it was long, and a gap longer than `gapDays` is labelled under the axis. Every
/// data point and event carries a text label for screen readers, and nothing depends on colour
/// alone: points on the side of concern are filled, others hollow; a risk item's score above
/// its lowest is a large filled "!" mark; events have distinct shapes.
///
/// ```swift
/// let svg = TrajectoryChart(client: "C-1010", points: client.trajectory.points, measures: used, period: review.period).svg()
/// ```
struct TrajectoryChart {
    let client: String
    let points: [TrajectoryPoint]
    let measures: [MeasureColumn]
    let period: ClosedRange<Day>
    /// Expected ranges from trajectory findings, drawn behind the line of their measure.
    var bands: [ExpectedBand] = []

    // Geometry, in SVG user units (the chart scales to its container).
    static let width = 760.0
    static let left = 96.0
    static let right = 56.0
    static let laneTop = 22.0
    static let laneHeight = 26.0
    static let panelHeight = 62.0
    static let panelGap = 22.0
    static let axisHeight = 52.0
    /// Days without an attended session that the axis labels as a gap: longer than a fortnightly
    /// rhythm (a local default of the chart, not a clinical threshold; rules judge disengagement).
    static let gapDays = 14
    /// Axis labels closer than this to the previous one are left out.
    static let labelSpacing = 44.0

    var plotWidth: Double { Self.width - Self.left - Self.right }
    /// The days drawn: from the first appointment (or the period's start) to the period's end (or
    /// the last appointment), with a margin so the end points are not on the frame.
    var start: Day { min(points.first?.date ?? period.lowerBound, period.lowerBound) }
    var end: Day { max(points.last?.date ?? period.upperBound, period.upperBound) }
    var margin: Double { max(Double(start.days(to: end)) * 0.03, 2) }
    var dayWidth: Double { plotWidth / (Double(start.days(to: end)) + 2 * margin) }
    func x(_ day: Day) -> Double { Self.left + (Double(start.days(to: day)) + margin) * dayWidth }
    func x(_ index: Int) -> Double { x(points[index].date) }
    func panelTop(_ index: Int) -> Double {
        Self.laneTop + Self.laneHeight + 8 + Double(index) * (Self.panelHeight + Self.panelGap)
    }
    var height: Double { panelTop(measures.count) - Self.panelGap + Self.axisHeight }

    func svg() -> String {
        let id = "chart-" + HTMLEscaping.identifier(client)
        var out = ""
        out +=
            "<svg class=\"chart\" viewBox=\"0 0 \(f(Self.width)) \(f(height))\" role=\"group\" aria-labelledby=\"\(id)-title\" "
            + "font-family=\"inherit\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        out += "<title id=\"\(id)-title\">\(HTMLEscaping.text(summary))</title>\n"
        out += defs(id)
        out += periodBand()
        out += eventLane()
        for (index, column) in measures.enumerated() {
            out += panel(column, top: panelTop(index), patternID: id + "-hatch")
        }
        out += axis()
        out += "</svg>\n"
        return out
    }

    var summary: String {
        let names = measures.map { $0.spec.name.uppercased() }.joined(separator: ", ")
        return
            "\(client): \(ReportText.plural(points.count, "appointment")) from \(points.first.map { "\($0.date)" } ?? "-") "
            + "to \(points.last.map { "\($0.date)" } ?? "-")" + (names.isEmpty ? "" : "; \(names) by session")
    }

    private func defs(_ id: String) -> String {
        """
        <defs><pattern id="\(id)-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>

        """
    }

    /// The review period as a light band behind every panel.
    private func periodBand() -> String {
        let x0 = x(period.lowerBound) - dayWidth / 2
        let x1 = x(period.upperBound) + dayWidth / 2
        let bottom = panelTop(measures.count) - Self.panelGap
        return
            "<g aria-hidden=\"true\"><rect class=\"period\" x=\"\(f(x0))\" y=\"\(f(Self.laneTop - 14))\" width=\"\(f(x1 - x0))\" "
            + "height=\"\(f(bottom - Self.laneTop + 14))\"/>"
            + "<text class=\"period-label\" x=\"\(f(x1 - 3))\" y=\"\(f(Self.laneTop - 4))\" text-anchor=\"end\">this period</text></g>\n"
    }

    /// Ruptures (triangles), repairs (a full repair is a filled circle with a tick, a partial one a
    /// half-filled circle), missed appointments (crosses), cancellations (small hollow diamonds).
    private func eventLane() -> String {
        let y = Self.laneTop + Self.laneHeight / 2
        var anyMark = false
        var out =
            "<g class=\"lane\">\n<text class=\"panel-name\" x=\"8\" y=\"\(f(y + 4))\" aria-hidden=\"true\">Events</text>\n"
        out +=
            "<line class=\"lane-rule\" x1=\"\(f(Self.left))\" x2=\"\(f(Self.width - Self.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" aria-hidden=\"true\"/>\n"
        for (index, point) in points.enumerated() {
            var marks: [(label: String, shape: String)] = []
            if let rupture = point.rupture {
                let unresolved = rupture.resolution != .full
                marks.append(
                    (
                        "\(point.date): \(ReportText.rupture(rupture))",
                        "<path class=\"rupture\(unresolved ? " open-rupture" : "")\" d=\"M0,-7 L7,5 L-7,5 Z\"/>"
                    ))
            }
            if let repair = point.repair {
                marks.append(("\(point.date): \(repair.rawValue) repair of a rupture", Self.repairShape(repair)))
            }
            switch point.attendance {
            case .noShow, .lateCancel:
                marks.append(
                    (
                        "\(point.date): missed appointment (\(ReportText.attendance(point.attendance)))",
                        "<path class=\"missed\" d=\"M-5,-5 L5,5 M-5,5 L5,-5\"/>"
                    ))
            case .cancelled:
                marks.append(
                    (
                        "\(point.date): cancelled with notice",
                        "<path class=\"cancelled\" d=\"M0,-4.5 L4.5,0 L0,4.5 L-4.5,0 Z\"/>"
                    ))
            case .attended:
                break
            }
            anyMark = anyMark || !marks.isEmpty
            for (offset, mark) in marks.enumerated() {
                let dx = (Double(offset) - Double(marks.count - 1) / 2) * 15
                out +=
                    "<g transform=\"translate(\(f(x(index) + dx)),\(f(y)))\" role=\"img\" aria-label=\"\(HTMLEscaping.attribute(mark.label))\">"
                    + "<title>\(HTMLEscaping.text(mark.label))</title>\(mark.shape)</g>\n"
            }
        }
        if !anyMark {
            out +=
                "<text class=\"lane-empty\" x=\"\(f(Self.left + 6))\" y=\"\(f(y - 4))\">no ruptures, repairs or missed appointments</text>\n"
        }
        return out + "</g>\n"
    }

    static func repairShape(_ repair: Repair) -> String {
        switch repair {
        case .full:
            return "<circle class=\"repair full\" r=\"6.5\"/><path class=\"tick\" d=\"M-3.2,0 L-1,3 L3.5,-3\"/>"
        case .partial:
            return
                "<circle class=\"repair partial\" r=\"6\"/><path class=\"repair-half\" d=\"M0,-6 A6,6 0 0 0 0,6 Z\"/>"
        }
    }

    /// A risk item's score above its lowest: a large filled circle with an exclamation mark.
    static let riskShape =
        "<circle class=\"risk-mark\" r=\"7\"/><path class=\"risk-bang\" d=\"M0,-4.2 L0,1.2 M0,3.2 L0,4.2\"/>"

    private func panel(_ column: MeasureColumn, top: Double, patternID: String) -> String {
        let spec = column.spec
        let band = bands.first { $0.measure == spec.name }
        let bandValues = band?.points.flatMap { [$0.low, $0.high] } ?? []
        let domain = Self.domain(for: spec, values: points.compactMap { $0.measures[column.index] } + bandValues)
        func y(_ value: Double) -> Double {
            top + Self.panelHeight
                * (1 - (value - domain.lowerBound) / max(domain.upperBound - domain.lowerBound, 1e-9))
        }
        let x0 = Self.left
        let x1 = Self.width - Self.right
        var out = "<g class=\"panel\">\n"
        if let band { out += expectedBandLayer(band, y: y) }
        out += "<g aria-hidden=\"true\">"
        out +=
            "<text class=\"panel-name\" x=\"8\" y=\"\(f(top + 14))\">\(HTMLEscaping.text(spec.name.uppercased()))</text>"
        if spec.isRiskItem {
            // A risk screen: a low score is no reassurance, so the panel never says "lower is better".
            out += "<text class=\"panel-note risk-note\" x=\"8\" y=\"\(f(top + 28))\">risk screen:</text>"
            out +=
                "<text class=\"panel-note risk-note\" x=\"8\" y=\"\(f(top + 40))\">\(ReportText.number(spec.range.lowerBound)) does not</text>"
            out += "<text class=\"panel-note risk-note\" x=\"8\" y=\"\(f(top + 52))\">rule risk out</text>"
        } else {
            out +=
                "<text class=\"panel-note\" x=\"8\" y=\"\(f(top + 28))\">\(spec.better == .higher ? "higher" : "lower") is better</text>"
        }
        if let cutoff = spec.cutoff, domain.contains(cutoff) {
            // Hatch the side of concern, so it reads without colour.
            let concernTop = spec.better == .higher ? y(cutoff) : top
            let concernBottom = spec.better == .higher ? top + Self.panelHeight : y(cutoff)
            out +=
                "<rect x=\"\(f(x0))\" y=\"\(f(concernTop))\" width=\"\(f(x1 - x0))\" height=\"\(f(max(concernBottom - concernTop, 0)))\" fill=\"url(#\(patternID))\" class=\"concern\"/>"
        }
        out +=
            "<rect class=\"frame\" x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(x1 - x0))\" height=\"\(f(Self.panelHeight))\"/>"
        for tick in [domain.lowerBound, domain.upperBound] {
            out +=
                "<text class=\"tick-label\" x=\"\(f(x0 - 6))\" y=\"\(f(y(tick) + 3.5))\" text-anchor=\"end\">\(ReportText.number(tick))</text>"
        }
        if let cutoff = spec.cutoff, domain.contains(cutoff) {
            out +=
                "<line class=\"cutoff\" x1=\"\(f(x0))\" x2=\"\(f(x1))\" y1=\"\(f(y(cutoff)))\" y2=\"\(f(y(cutoff)))\"/>"
            out +=
                "<text class=\"cutoff-label\" x=\"\(f(x1 + 4))\" y=\"\(f(y(cutoff) + 3.5))\">cutoff \(ReportText.number(cutoff))</text>"
        }
        // The line joins consecutive scores; a session without a score breaks it.
        var segments: [[String]] = [[]]
        for (index, point) in points.enumerated() {
            if let value = point.measures[column.index] {
                segments[segments.count - 1].append("\(f(x(index))),\(f(y(value)))")
            } else if !segments[segments.count - 1].isEmpty {
                segments.append([])
            }
        }
        for segment in segments where segment.count > 1 {
            out += "<polyline class=\"series\" points=\"\(segment.joined(separator: " "))\"/>"
        }
        out += "</g>\n"
        for (index, point) in points.enumerated() {
            guard let value = point.measures[column.index] else { continue }
            let concern = spec.cutoff.map { spec.better == .higher ? value < $0 : value >= $0 } ?? false
            var label = "\(spec.name.uppercased()) \(ReportText.number(value)) on \(point.date)"
            if let session = point.session { label += ", session \(session)" }
            if let cutoff = spec.cutoff {
                label +=
                    concern
                    ? (spec.better == .higher ? ", below the cutoff of " : ", at or above the cutoff of ")
                        + ReportText.number(cutoff) : ""
            }
            if spec.isRiskItem, value > spec.range.lowerBound {
                label += ": risk item endorsed"
                out +=
                    "<g class=\"risk-point\" transform=\"translate(\(f(x(index))),\(f(y(value))))\" role=\"img\" "
                    + "aria-label=\"\(HTMLEscaping.attribute(label))\"><title>\(HTMLEscaping.text(label))</title>\(Self.riskShape)</g>\n"
                continue
            }
            out +=
                "<circle class=\"point\(concern ? " concern-point" : "")\" cx=\"\(f(x(index)))\" cy=\"\(f(y(value)))\" r=\"3.6\" "
                + "role=\"img\" aria-label=\"\(HTMLEscaping.attribute(label))\"><title>\(HTMLEscaping.text(label))</title></circle>\n"
        }
        return out + "</g>\n"
    }

    /// The expected range as a shaded area behind everything else of the panel, through the
    /// dates of the attended sessions it gives a range for.
    private func expectedBandLayer(_ band: ExpectedBand, y: (Double) -> Double) -> String {
        let upper = band.points.map { "\(f(x($0.date))),\(f(y($0.high)))" }
        let lower = band.points.map { "\(f(x($0.date))),\(f(y($0.low)))" }
        guard upper.count > 1 else { return "" }
        let label = "\(band.measure.uppercased()) \(band.label)"
        return
            "<polygon class=\"expected-band\" points=\"\((upper + lower.reversed()).joined(separator: " "))\" role=\"img\" "
            + "aria-label=\"\(HTMLEscaping.attribute(label))\"><title>\(HTMLEscaping.text(label))</title></polygon>\n"
    }

    /// Session numbers and dates under the last panel (a label too close to the previous one is
    /// left out), then the gaps in attendance as labelled brackets.
    private func axis() -> String {
        let top = panelTop(measures.count) - Self.panelGap
        var out = "<g class=\"axis\" aria-hidden=\"true\">"
        var lastLabel = -Double.infinity
        for (index, point) in points.enumerated() where x(index) - lastLabel >= Self.labelSpacing {
            lastLabel = x(index)
            out +=
                "<line class=\"tick-mark\" x1=\"\(f(x(index)))\" x2=\"\(f(x(index)))\" y1=\"\(f(top))\" y2=\"\(f(top + 3))\"/>"
            out +=
                "<text x=\"\(f(x(index)))\" y=\"\(f(top + 14))\" text-anchor=\"middle\">\(point.session.map { "#\($0)" } ?? "")</text>"
            out +=
                "<text x=\"\(f(x(index)))\" y=\"\(f(top + 27))\" text-anchor=\"middle\" class=\"date\">\(Self.shortDate(point.date))</text>"
        }
        out +=
            "<text x=\"8\" y=\"\(f(top + 14))\">Session</text><text x=\"8\" y=\"\(f(top + 27))\" class=\"date\">Date</text>"
        out += "</g>\n"
        let y = top + 36
        for gap in gaps {
            let x0 = x(gap.from)
            let x1 = x(gap.to)
            let label =
                gap.open
                ? "\(gap.days) days since the last attended session" : "\(gap.days) days without an attended session"
            let short = "\(gap.days) days"
            // The label fits in the bracket, or the short one does, or it sits just after it.
            let fits = Double(label.count) * 5.2 + 8 <= x1 - x0
            let shortFits = Double(short.count) * 5.2 + 8 <= x1 - x0
            out +=
                "<g class=\"gap\" role=\"img\" aria-label=\"\(HTMLEscaping.attribute("Gap in attendance: \(label), \(gap.from) to \(gap.to)"))\">"
                + "<path class=\"gap-bracket\" d=\"M\(f(x0)),\(f(y - 4)) L\(f(x0)),\(f(y)) L\(f(x1)),\(f(y)) L\(f(x1)),\(f(y - 4))\"/>"
                + "<text class=\"gap-label\" x=\"\(f(fits || shortFits ? (x0 + x1) / 2 : x1 + 4))\" y=\"\(f(y + 11))\" "
                + "text-anchor=\"\(fits || shortFits ? "middle" : "start")\">\(fits ? label : short)</text></g>\n"
        }
        return out
    }

    /// Spans of more than `gapDays` without an attended session: between two attended sessions,
    /// or from the last one to the end of the period (`open`).
    var gaps: [(from: Day, to: Day, days: Int, open: Bool)] {
        let attended = points.filter { $0.attendance == .attended }.map(\.date)
        var gaps: [(from: Day, to: Day, days: Int, open: Bool)] = []
        for (from, to) in zip(attended, attended.dropFirst()) where from.days(to: to) > Self.gapDays {
            gaps.append((from, to, from.days(to: to), false))
        }
        if let last = attended.last, last.days(to: period.upperBound) > Self.gapDays {
            gaps.append((last, period.upperBound, last.days(to: period.upperBound), true))
        }
        return gaps
    }

    /// A scale that shows the movement: the measure's whole range when it is short (a 0–3 item),
    /// else the scores and the cutoff with a margin, on round numbers, within the valid range.
    static func domain(for spec: MeasureSpec, values: [Double]) -> ClosedRange<Double> {
        let range = spec.range
        guard range.upperBound - range.lowerBound > 10, let low = values.min(), let high = values.max() else {
            return range
        }
        let lo = min(low, spec.cutoff ?? low)
        let hi = max(high, spec.cutoff ?? high)
        let span = max(hi - lo, (range.upperBound - range.lowerBound) * 0.15)
        let rough = span / 3
        let magnitude = pow10(floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let lower = max(range.lowerBound, (((lo - step / 2) / step).rounded(.down)) * step)
        let upper = min(range.upperBound, (((hi + step / 2) / step).rounded(.up)) * step)
        return lower...max(upper, lower + step)
    }

    static func shortDate(_ day: Day) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = day.components
        return "\(c.day) \(months[c.month - 1])"
    }

    /// Coordinates with at most one decimal, so output is compact and stable.
    func f(_ value: Double) -> String { Self.coordinate(value) }

    /// `f`: a whole number as an integer, otherwise the tenths written out digit by digit, which
    /// is what `String(Double)` gives for them (its shortest form of k / 10 is k / 10) without its
    /// general algorithm; a chart writes several per point.
    static func coordinate(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let rounded = tenths / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        guard abs(tenths) < 1e15 else { return String(rounded) }
        let magnitude = Int(abs(tenths))
        return (tenths < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    /// `coordinate` as it was written first, for tests that compare the two.
    static func coordinateByDescription(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

private func pow10(_ exponent: Double) -> Double {
    var result = 1.0
    if exponent >= 0 {
        for _ in 0..<Int(exponent) { result *= 10 }
    } else {
        for _ in 0..<Int(-exponent) { result /= 10 }
    }
    return result
}

private func log10(_ value: Double) -> Double {
    // Only the integer part matters here (choosing a power of ten), so count digits.
    var exponent = 0.0
    var v = value
    while v >= 10 {
        v /= 10
        exponent += 1
    }
    while v < 1, v > 0 {
        v *= 10
        exponent -= 1
    }
    return exponent
}

private func floor(_ value: Double) -> Double { value.rounded(.down) }
