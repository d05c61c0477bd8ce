/// Writes session records in any record format, such that reading them back gives the same
/// records: every string is quoted where its format could read it as something else.
///
/// Used to convert between formats and by the tests that hold each format to the same meaning.
/// One record a line in JSON (inside `[` `]` lines), JSON Lines (after one blank line), CSV
/// (after the header) and YAML `.flowLines` (inside `[` `]` lines), so the n-th record starts at
/// line n + 1, column 1 in each: the same records give the same evidence locations.
///
/// ```swift
/// let writer = RecordWriter(vocabulary: ruleSet.vocabulary)
/// let csv = writer.write(records, as: .csv)
/// ```
public struct RecordWriter: Sendable {
    public enum YAMLStyle: Sendable {
        /// A block sequence of block mappings: what people write.
        case block
        /// A flow sequence with one flow mapping a line.
        case flowLines
    }

    public let vocabulary: Vocabulary
    public var yamlStyle: YAMLStyle

    public init(vocabulary: Vocabulary, yamlStyle: YAMLStyle = .flowLines) {
        self.vocabulary = vocabulary
        self.yamlStyle = yamlStyle
    }

    public func write(_ records: [SessionRecord], as format: RecordFormat) -> String {
        switch format {
        case .yaml:
            switch yamlStyle {
            case .block: return records.isEmpty ? "[]\n" : records.map(yamlBlock).joined()
            case .flowLines:
                return "[\n" + records.map { fields($0, json: false).flow }.joined(separator: ",\n") + "\n]\n"
            }
        case .json: return "[\n" + records.map { fields($0, json: true).json }.joined(separator: ",\n") + "\n]\n"
        case .jsonl: return "\n" + records.map { fields($0, json: true).json + "\n" }.joined()
        case .csv: return csv(records)
        }
    }

    // MARK: Fields

    /// A record's fields in record order, values already written as text of the target format.
    struct Fields {
        var pairs: [(key: String, value: Value)]
        indirect enum Value {
            case text(String)
            case list([String])
            case mapping([(key: String, value: Value)])
        }

        var flow: String { "{" + pairs.map { "\($0.key): \(Self.flow($0.value))" }.joined(separator: ", ") + "}" }
        var json: String { "{" + pairs.map { "\"\($0.key)\": \(Self.flow($0.value))" }.joined(separator: ", ") + "}" }

        static func flow(_ value: Value) -> String {
            switch value {
            case .text(let text): return text
            case .list(let items): return "[" + items.joined(separator: ", ") + "]"
            case .mapping(let pairs):
                return "{" + pairs.map { "\($0.key): \(flow($0.value))" }.joined(separator: ", ") + "}"
            }
        }
    }

    /// Strings quoted for the format, numbers as they are, dates plain in YAML and quoted in
    /// JSON; top-level JSON keys are quoted by `Fields.json`, nested ones here.
    func fields(_ record: SessionRecord, json: Bool) -> Fields {
        func quote(_ text: String) -> String { json ? jsonText(text) : yamlText(text) }
        func key(_ name: String) -> String { json ? "\"\(name)\"" : name }
        func written(_ scalar: Scalar) -> Fields.Value {
            switch scalar {
            case .text(let text): return .text(quote(text))
            case .number(let number): return .text(String(number))
            case .date(let day): return .text(json ? "\"\(day)\"" : day.description)
            case .list(let items): return .list(items.map { quote($0) })
            }
        }
        var pairs: [(key: String, value: Fields.Value)] = []
        for field in RecordField.allCases {
            switch field {
            case .measures where !record.measures.isEmpty:
                let measures = zip(record.measures.indices, record.measures.values).map { index, value in
                    (key: key(vocabulary.measures[Int(index)].name), value: Fields.Value.text(Value.format(value)))
                }
                pairs.append((field.name, .mapping(measures)))
            case .rupture:
                guard let rupture = record.rupture else { continue }
                let fields = RuptureField.allCases.compactMap { ruptureField in
                    Self.scalar(ruptureField, of: rupture).map { (key: key(ruptureField.name), value: written($0)) }
                }
                pairs.append((field.name, .mapping(fields)))
            default:
                if let scalar = Self.scalar(field, of: record) { pairs.append((field.name, written(scalar))) }
            }
        }
        return Fields(pairs: pairs)
    }

    /// A field's value before a format writes it; nil when the record leaves the field out.
    enum Scalar {
        case text(String)
        case number(Int)
        case date(Day)
        case list([String])
    }

    static func scalar(_ field: RecordField, of record: SessionRecord) -> Scalar? {
        switch field {
        case .client: return .text(record.client)
        case .therapist: return .text(record.therapist)
        case .episode: return .text(record.episode)
        case .date: return .date(record.date)
        case .session: return record.session.map(Scalar.number)
        case .attendance: return .text(record.attendance.rawValue)
        case .measures, .rupture: return nil  // mappings, which `fields` writes
        case .repair: return record.repair.map { .text($0.rawValue) }
        case .tags: return record.tags.isEmpty ? nil : .list(record.tags)
        case .nextAppointment: return record.nextAppointment.map(Scalar.date)
        case .episodeEnd: return record.episodeEnd.map { .text($0.rawValue) }
        case .notes: return record.notes.map(Scalar.text)
        }
    }

    static func scalar(_ field: RuptureField, of rupture: Rupture) -> Scalar? {
        switch field {
        case .type: return .text(rupture.type.rawValue)
        case .markers: return rupture.markers.isEmpty ? nil : .list(rupture.markers)
        case .intensity: return rupture.intensity.map(Scalar.number)
        case .resolution: return .text(rupture.resolution.rawValue)
        case .reportedBy: return rupture.reportedBy.map { .text($0.rawValue) }
        }
    }

    // MARK: YAML

    func yamlBlock(_ record: SessionRecord) -> String {
        var out = ""
        for (index, pair) in fields(record, json: false).pairs.enumerated() {
            out += (index == 0 ? "- " : "  ") + pair.key + ":"
            switch pair.value {
            case .text(let text): out += " " + text + "\n"
            case .list(let items): out += "\n" + items.map { "    - \($0)\n" }.joined()
            case .mapping(let pairs): out += "\n" + pairs.map { "    \($0.key): \(Fields.flow($0.value))\n" }.joined()
            }
        }
        return out
    }

    /// Plain when the text can only be read as itself (letters, digits, `-` `_` `.` inside,
    /// starting with a letter); double-quoted with escapes otherwise. The decoder types by
    /// field, so `NO` or `0012` would read back right even plain; quoting keeps other tools honest.
    func yamlText(_ text: String) -> String {
        let safe =
            text.utf8.first.map { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } ?? false
            && text.utf8.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b == 0x2D || b == 0x5F
                    || b == 0x2E
            }
            && !["null", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
        return safe ? text : jsonText(text)
    }

    // MARK: JSON

    /// A JSON string literal, which is also a valid YAML double-quoted scalar.
    func jsonText(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF
                {
                    // Escaped: YAML rejects raw C0/C1 controls, and libyaml would treat U+2028/9 as breaks.
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: CSV

    /// The header names record fields (`rupture.type`, `measures.srs`), so no map is needed to read it back.
    /// Lists are joined with `;`, the importer's default separator.
    func csv(_ records: [SessionRecord]) -> String {
        let measureNames = vocabulary.measureNames
        let header = CSVMap.fields + measureNames.map { "measures.\($0)" }
        var out = header.joined(separator: ",") + "\n"
        for record in records {
            var cells = CSVMap.fieldColumns.map { column -> String in
                let scalar: Scalar? =
                    switch column {
                    case .record(let field): Self.scalar(field, of: record)
                    case .rupture(let field): record.rupture.flatMap { Self.scalar(field, of: $0) }
                    }
                switch scalar {
                case .text(let text)?: return text
                case .number(let number)?: return String(number)
                case .date(let day)?: return day.description
                case .list(let items)?: return items.joined(separator: ";")
                case nil: return ""
                }
            }
            for index in measureNames.indices { cells.append(record.measures[index].map(Value.format) ?? "") }
            out += cells.map(csvCell).joined(separator: ",") + "\n"
        }
        return out
    }

    func csvCell(_ text: String) -> String {
        let needsQuotes = text.utf8.contains {
            $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3B || $0 == 0x09 || $0 == 0x20
        }
        guard needsQuotes else { return text }
        var out = "\""
        for scalar in text.unicodeScalars {  // by scalar: a quote followed by a combining mark is still a quote
            if scalar == "\"" { out += "\"" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }
}
