/// The HTML report's one inline stylesheet: a sober clinical document on screen, A4 on paper
/// with each therapist starting a new page, a running header naming the therapist and numbered
/// pages (CSS page-margin boxes, which Chromium draws since version 131). Severity is carried by words and symbols as well as
/// colour, and the fills step from black to white so they survive a greyscale printer.
///
/// ```swift
/// html += "<style>" + HTMLStyle.css + "</style>"
/// ```
import AttuneCore

package enum HTMLStyle {
    package static let css = """
        :root {
          --ink: #1d232b; --muted: #5a6470; --rule: #c9ced4; --paper: #ffffff; --wash: #f4f5f7;
          --critical: #111111; --high: #a4262c; --medium: #e0a526; --low: #2e5f8f; --info: #6b7480;
          --good: #2f6b3a; --chart-line: #33404d;
        }
        * { box-sizing: border-box; }
        html { background: var(--wash); }
        body {
          margin: 0 auto; max-width: 1000px; padding: 32px 40px 48px; background: var(--paper); color: var(--ink);
          font: 15px/1.45 "Source Sans 3", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
          -webkit-print-color-adjust: exact; print-color-adjust: exact;
        }
        h1, h2, h3, h4 { margin: 0; font-weight: 600; line-height: 1.2; }
        h1 { font-size: 26px; letter-spacing: -0.01em; }
        h2 { font-size: 20px; }
        h3 { font-size: 17px; }
        h4 { font-size: 15px; display: inline; }
        p { margin: 0; }
        .confidential {
          font-size: 11px; letter-spacing: 0.12em; text-transform: uppercase; color: var(--muted);
          border-bottom: 1px solid var(--rule); padding-bottom: 6px; margin-bottom: 14px;
          display: flex; justify-content: space-between;
        }
        .report-header .period { font-size: 17px; margin-top: 2px; color: var(--muted); }
        .meta { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 14px 0 0; font-size: 13px; }
        .meta div { display: flex; gap: 6px; }
        .meta dt { color: var(--muted); }
        .meta dd { margin: 0; font-weight: 600; }
        .census { display: flex; gap: 0; list-style: none; padding: 0; margin: 16px 0 0; border: 1px solid var(--rule); }
        .census li { flex: 1; padding: 8px 12px; border-left: 1px solid var(--rule); font-size: 12px; color: var(--muted); }
        .census li:first-child { border-left: 0; }
        .census .n { display: block; font-size: 20px; font-weight: 600; color: var(--ink); }
        .filters { margin-top: 10px; font-size: 13px; font-style: italic; }
        .warning { margin-top: 10px; padding: 8px 12px; border-left: 4px solid #b45309; background: #fff7ed; font-size: 13px; }
        section { margin-top: 30px; }
        .section-title { border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin-bottom: 12px;
          display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
        .section-title .sub { font-size: 14px; font-weight: 400; color: var(--muted); }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
        th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin-top: 12px; font-size: 12px; color: var(--muted); align-items: center; }
        .legend .badge { margin-right: 4px; }
        .legend > span { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
        .id { white-space: nowrap; }
        ul.reasons { margin: 0; padding: 0; list-style: none; }
        ul.reasons li { margin: 0 0 2px; }

        .badge {
          display: inline-block; min-width: 76px; padding: 1px 7px; border: 1.5px solid; border-radius: 3px;
          font-size: 11px; font-weight: 700; letter-spacing: 0.06em; text-transform: uppercase; text-align: center;
          white-space: nowrap; vertical-align: 1px;
        }
        .sev-critical.badge { background: var(--critical); border-color: var(--critical); color: #fff; }
        .sev-high.badge { background: var(--high); border-color: var(--high); color: #fff; }
        .sev-medium.badge { background: var(--medium); border-color: #8a6410; color: #1d1d1d; }
        .sev-low.badge { background: #fff; border-color: var(--low); color: var(--low); }
        .sev-info.badge { background: #fff; border-color: var(--info); border-style: dashed; color: var(--info); }
        .status { display: inline-block; font-size: 11px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase;
          padding: 1px 6px; border-radius: 3px; white-space: nowrap; vertical-align: 1px; }
        .status-new { border: 1.5px solid var(--ink); }
        .status-ongoing { color: var(--muted); border: 1.5px dotted var(--muted); }
        .status-closed { color: var(--good); border: 1.5px solid var(--good); }

        .therapist > .section-title h2 { font-size: 22px; }
        .client { margin: 18px 0 26px; padding-top: 12px; border-top: 1px solid var(--rule); }
        .client:first-of-type { border-top: 0; padding-top: 0; }
        .client-head { display: flex; align-items: baseline; gap: 12px; margin-bottom: 8px; }
        .client-head .sub { font-size: 13px; color: var(--muted); }
        .finding { margin: 0 0 10px; padding: 8px 12px 10px 14px; border-left: 4px solid var(--rule); background: #fafbfc; }
        .finding.sev-critical { border-left: 9px double var(--critical); }
        .finding.sev-high { border-left: 7px solid var(--high); }
        .finding.sev-medium { border-left: 5px solid var(--medium); }
        .finding.sev-low { border-left: 3px solid var(--low); }
        .finding.sev-info { border-left: 2px dashed var(--info); }
        .finding-owner { display: none; font-size: 11px; font-weight: 600; color: var(--muted); margin-bottom: 2px; }
        .finding-head { display: flex; align-items: baseline; gap: 8px; flex-wrap: wrap; }
        .finding .message { margin-top: 4px; }
        .finding .when { margin-top: 3px; font-size: 13px; color: var(--muted); }
        .finding .when b { color: var(--ink); font-weight: 600; }
        .notes { margin: 6px 0 0; padding: 6px 10px; list-style: none; border: 1px dashed var(--muted); font-size: 13px; }
        .notes li span { font-weight: 600; }
        .questions { margin-top: 7px; font-size: 14px; }
        .questions p { font-size: 11px; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); font-weight: 600; }
        .questions ul { margin: 2px 0 0; padding-left: 20px; }
        .questions li { margin: 1px 0; }
        .questions li::marker { content: "? "; font-weight: 700; color: var(--muted); }

        figure.trajectory { margin: 12px 0 0; }
        figure.trajectory .figure-title { display: none; font-weight: 600; font-size: 13px; margin-bottom: 4px; }
        figure.trajectory figcaption { font-size: 12px; color: var(--muted); margin-top: 2px; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 11px; }
        svg.chart text { fill: var(--muted); }
        svg.chart .panel-name { fill: var(--ink); font-weight: 700; font-size: 12px; }
        svg.chart .panel-note { font-size: 10px; }
        svg.chart .frame { fill: none; stroke: var(--rule); }
        svg.chart .concern { stroke: none; }
        svg.chart .expected-band { fill: #d6e4f0; stroke: #9db8cf; stroke-width: 0.8; }
        figure.trajectory .band-key { display: inline-block; width: 14px; height: 8px; background: #d6e4f0; border: 1px solid #9db8cf; }
        svg.chart .hatch-line { stroke: #d5d9de; stroke-width: 2.2; }
        svg.chart .cutoff { stroke: var(--ink); stroke-width: 1; stroke-dasharray: 5 3; }
        svg.chart .cutoff-label { font-size: 10px; fill: var(--ink); }
        svg.chart .series { fill: none; stroke: var(--chart-line); stroke-width: 1.6; }
        svg.chart .point { fill: #fff; stroke: var(--chart-line); stroke-width: 1.5; }
        svg.chart .point.concern-point { fill: var(--chart-line); }
        svg.chart .period { fill: #eef1f4; }
        svg.chart .period-label { font-size: 10px; font-style: italic; }
        svg.chart .lane-empty { font-size: 10px; font-style: italic; }
        svg.chart .lane-rule { stroke: var(--rule); stroke-dasharray: 2 3; }
        svg.chart .rupture { fill: #fff; stroke: var(--high); stroke-width: 1.6; }
        svg.chart .rupture.open-rupture { fill: var(--high); }
        svg.chart .repair { fill: #fff; stroke: var(--good); stroke-width: 1.6; }
        svg.chart .repair.full { fill: var(--good); }
        svg.chart .repair-half { fill: var(--good); stroke: none; }
        svg.chart .tick { fill: none; stroke: #fff; stroke-width: 2; }
        svg.chart .risk-mark { fill: var(--critical); stroke: #fff; stroke-width: 1; }
        svg.chart .risk-bang { stroke: #fff; stroke-width: 2.2; }
        svg.chart .risk-note { fill: var(--ink); font-weight: 600; }
        svg.chart .tick-mark { stroke: var(--muted); }
        svg.chart .gap-bracket { fill: none; stroke: var(--ink); stroke-width: 1.2; }
        svg.chart text.gap-label { fill: var(--ink); font-size: 10px; font-weight: 600; }
        svg.chart .missed { stroke: var(--ink); stroke-width: 2.2; }
        svg.chart .cancelled { fill: #fff; stroke: var(--muted); stroke-width: 1.3; }
        svg.chart .axis .date { font-size: 10px; }
        svg.legend-icon { width: 16px; height: 16px; vertical-align: -3px; }

        details.sessions { margin-top: 6px; font-size: 13px; }
        details.sessions summary { color: var(--muted); cursor: pointer; }
        .caseload { margin-top: 14px; }
        .quiet { margin-top: 20px; color: var(--muted); }
        .data-quality ul { margin: 6px 0; padding-left: 20px; font-size: 13px; }
        .data-quality code { font-size: 12px; }
        .report-footer { margin-top: 36px; padding-top: 8px; border-top: 1px solid var(--rule); font-size: 11px; color: var(--muted); }

        @page {
          size: A4; margin: 16mm 13mm 16mm;
          @top-left { content: "Weekly supervision review"; font: 8pt sans-serif; color: #5a6470; }
          @top-right { content: "Confidential · pseudonymised records"; font: 8pt sans-serif; color: #5a6470; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; color: #5a6470; }
        }
        @media print {
          html { background: none; }
          body { max-width: none; padding: 0; font-size: 10pt; }
          .therapist { break-before: page; page-break-before: always; margin-top: 0; }
          .data-quality { break-before: page; page-break-before: always; }
          .finding, figure.trajectory, .client-head, tr { break-inside: avoid; page-break-inside: avoid; }
          .client-head, h2, h3, figure.trajectory .figure-title { break-after: avoid; page-break-after: avoid; }
          figure.trajectory .figure-title, .finding-owner { display: block; }
          .client-head + .finding .finding-owner { display: none; }
          details.sessions { display: none; }
          .finding { background: none; }
        }
        """

    /// The name of the printed pages of the therapist at `index` in the review.
    static func pageName(_ index: Int) -> String { "therapist-\(index + 1)" }

    /// A named page per therapist, whose running header names the therapist (CSS has no other
    /// way to carry a heading into the page margin that Chromium supports).
    static func printPages(_ review: Review) -> String {
        var out = ""
        for (index, therapist) in review.therapists.enumerated() {
            out +=
                "@page \(pageName(index)) { @top-left { content: \(string("Therapist \(therapist.id) · weekly supervision review")); "
                + "font: 600 8pt sans-serif; color: #1d232b; } }\n"
        }
        return out
    }

    /// A quoted CSS string that nothing inside can end early (nor the style element around it).
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || " -_.,:".unicodeScalars.contains(scalar)
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return out + "\""
    }
}
