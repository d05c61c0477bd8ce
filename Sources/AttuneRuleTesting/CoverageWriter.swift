import AttuneCore

/// Writes a `CoverageReport` (`attune test --coverage`): text for the terminal, JSON for tools,
/// and Cobertura XML or LCOV, which CI systems display against the rule YAML files' lines (each
/// condition and branch of a rule counts as a branch on the line of its key).
///
/// ```swift
/// let xml = CoverageWriter().render(report, as: .cobertura)
/// ```
public struct CoverageWriter: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, cobertura, lcov
    }

    public init() {}

    public func render(_ report: CoverageReport, as format: Format) -> String {
        switch format {
        case .text: return text(report)
        case .json: return json(report)
        case .cobertura: return cobertura(report)
        case .lcov: return lcov(report)
        }
    }

    public static func percentText(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? "\(Int(tenths)).0%" : "\(tenths)%"
    }

    // MARK: Text

    private static func rightAligned(_ text: String, width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private func text(_ report: CoverageReport) -> String {
        var lines = [
            "Rule coverage: \(Self.percentText(report.percent)) (\(report.covered) of \(report.total) outcomes exercised by the tests)"
        ]
        let width = report.rules.map(\.rule.count).max() ?? 0
        for entry in report.rules {
            let pad = String(repeating: " ", count: width - entry.rule.count)
            var line =
                "  \(entry.rule)\(pad)  \(Self.rightAligned(Self.percentText(entry.percent), width: 6))  (\(entry.covered)/\(entry.total))"
            let parameters = entry.parameters
            if !parameters.isEmpty {
                line +=
                    "  params: "
                    + parameters.map { "\($0.name) \($0.covered ? "covered" : "NOT covered")" }.joined(separator: ", ")
            }
            lines.append(line)
            for item in entry.items where !item.missing.isEmpty {
                lines.append("      \(item.location): " + Self.gap(item))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What no test did, in words.
    static func gap(_ item: CoverageReport.Item) -> String {
        switch item.kind {
        case .condition:
            let subject = item.text == item.key ? item.key : "\(item.key): `\(item.text)`"
            return "\(subject) never \(item.missing.joined(separator: " or ")) in a test"
        case .branch:
            return "\(item.key) branch '\(item.text)'" + (item.parameter.map { " (\($0))" } ?? "")
                + " never taken: \(item.doc)"
        }
    }

    // MARK: JSON

    private func json(_ report: CoverageReport) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("schema")
        writer.string("attune.coverage/1")
        Self.counts(report.covered, report.total, report.percent, &writer)
        writer.key("rules")
        writer.beginArray()
        for entry in report.rules {
            writer.beginObject()
            writer.key("rule")
            writer.string(entry.rule)
            writer.key("file")
            writer.string(entry.location.file)
            writer.key("line")
            writer.integer(entry.location.line)
            Self.counts(entry.covered, entry.total, entry.percent, &writer)
            writer.key("parameters")
            writer.beginObject()
            for parameter in entry.parameters {
                writer.key(parameter.name)
                writer.bool(parameter.covered)
            }
            writer.endObject()
            writer.key("items")
            writer.beginArray()
            for item in entry.items {
                writer.beginObject()
                writer.key("kind")
                writer.string(item.kind.rawValue)
                writer.key("key")
                writer.string(item.key)
                writer.key("text")
                writer.string(item.text)
                writer.key("parameter")
                writer.string(item.parameter)
                writer.key("line")
                writer.integer(item.location.line)
                writer.key("outcomes")
                writer.beginObject()
                for outcome in item.outcomes {
                    writer.key(outcome.name)
                    writer.integer(outcome.hits)
                }
                writer.endObject()
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.newline()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func counts(_ covered: Int, _ total: Int, _ percent: Double, _ writer: inout JSONWriter) {
        writer.key("covered")
        writer.integer(covered)
        writer.key("total")
        writer.integer(total)
        writer.key("percent")
        writer.number((percent * 10).rounded() / 10)
    }

    // MARK: Line formats

    /// Per file, per line: hits (all outcomes' counts added up) and the outcomes on that line.
    struct Line {
        var number: Int
        var hits = 0
        var outcomes: [Int] = []
        var covered: Int { outcomes.filter { $0 > 0 }.count }
    }

    static func files(_ report: CoverageReport) -> [(file: String, rules: [CoverageReport.RuleEntry], lines: [Line])] {
        var order: [String] = []
        var byFile: [String: [CoverageReport.RuleEntry]] = [:]
        for entry in report.rules {
            if byFile[entry.location.file] == nil { order.append(entry.location.file) }
            byFile[entry.location.file, default: []].append(entry)
        }
        return order.map { file in
            var lines: [Int: Line] = [:]
            for item in byFile[file]!.flatMap(\.items) where item.location.file == file {
                var line = lines[item.location.line] ?? Line(number: item.location.line)
                for outcome in item.outcomes {
                    line.hits += outcome.hits
                    line.outcomes.append(outcome.hits)
                }
                lines[item.location.line] = line
            }
            return (file, byFile[file]!, lines.values.sorted { $0.number < $1.number })
        }
    }

    private func cobertura(_ report: CoverageReport) -> String {
        let files = Self.files(report)
        let allLines = files.flatMap(\.lines)
        func rates(_ lines: [Line]) -> String {
            let covered = lines.filter { $0.hits > 0 }.count
            let outcomes = lines.reduce(0) { $0 + $1.outcomes.count }
            let hit = lines.reduce(0) { $0 + $1.covered }
            return "line-rate=\"\(Self.rate(covered, lines.count))\" branch-rate=\"\(Self.rate(hit, outcomes))\""
        }
        let outcomes = allLines.reduce(0) { $0 + $1.outcomes.count }
        let hit = allLines.reduce(0) { $0 + $1.covered }
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">",
            "<coverage \(rates(allLines)) lines-covered=\"\(allLines.filter { $0.hits > 0 }.count)\" lines-valid=\"\(allLines.count)\""
                + " branches-covered=\"\(hit)\" branches-valid=\"\(outcomes)\" complexity=\"0\" version=\"attune\" timestamp=\"0\">",
            "  <sources><source>.</source></sources>",
            "  <packages>",
            "    <package name=\"rules\" \(rates(allLines)) complexity=\"0\">",
            "      <classes>",
        ]
        for file in files {
            let name = file.rules.map(\.rule).joined(separator: ",")
            out.append(
                "        <class name=\"\(JUnitWriter.escape(name))\" filename=\"\(JUnitWriter.escape(file.file))\" \(rates(file.lines)) complexity=\"0\">"
            )
            out.append("          <methods/>")
            out.append("          <lines>")
            for line in file.lines {
                let percent = Int((Double(line.covered) * 100 / Double(max(1, line.outcomes.count))).rounded())
                out.append(
                    "            <line number=\"\(line.number)\" hits=\"\(line.hits)\" branch=\"true\""
                        + " condition-coverage=\"\(percent)% (\(line.covered)/\(line.outcomes.count))\"/>")
            }
            out.append("          </lines>")
            out.append("        </class>")
        }
        out += ["      </classes>", "    </package>", "  </packages>", "</coverage>"]
        return out.joined(separator: "\n") + "\n"
    }

    static func rate(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "1" }
        let value = (Double(part) / Double(whole) * 10_000).rounded() / 10_000
        return value == value.rounded() ? String(Int(value)) : String(value)
    }

    private func lcov(_ report: CoverageReport) -> String {
        var out: [String] = []
        for file in Self.files(report) {
            out.append("TN:attune")
            out.append("SF:\(file.file)")
            for entry in file.rules { out.append("FN:\(entry.location.line),\(entry.rule)") }
            for entry in file.rules { out.append("FNDA:\(entry.covered > 0 ? 1 : 0),\(entry.rule)") }
            out.append("FNF:\(file.rules.count)")
            out.append("FNH:\(file.rules.filter { $0.covered > 0 }.count)")
            for line in file.lines {
                for (position, hits) in line.outcomes.enumerated() {
                    out.append("BRDA:\(line.number),0,\(position),\(hits > 0 ? String(hits) : "-")")
                }
            }
            out.append("BRF:\(file.lines.reduce(0) { $0 + $1.outcomes.count })")
            out.append("BRH:\(file.lines.reduce(0) { $0 + $1.covered })")
            for line in file.lines { out.append("DA:\(line.number),\(line.hits)") }
            out.append("LF:\(file.lines.count)")
            out.append("LH:\(file.lines.filter { $0.hits > 0 }.count)")
            out.append("end_of_record")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
