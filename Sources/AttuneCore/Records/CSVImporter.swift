import AttuneYAML

/// Turns the rows of a CSV export into session records, by a `CSVMap` or, without one, by a
/// header whose column names are record fields (`client`, `rupture.type`, `srs` or `measures.srs`).
///
/// Each data row becomes the same located node a YAML record would be, so the one
/// `RecordDecoder` validates every format alike; its messages gain the row number and column
/// name (`export.csv:7:23: error: 'DNS' is not a valid attendance … (row 7, column 'Status')`).
/// A header that cannot be understood is an error for the whole file.
///
/// ```swift
/// let importer = CSVImporter(map: map, decoder: RecordDecoder(vocabulary: vocabulary))
/// try importer.read(.file(path: "export.csv"), name: "export.csv") { record, diagnostics in … }
/// ```
public struct CSVImporter: Sendable {
    public let map: CSVMap?
    public let decoder: RecordDecoder

    public init(map: CSVMap?, decoder: RecordDecoder) {
        self.map = map
        self.decoder = decoder
    }

    /// The header could not be matched to record fields; nothing of the file was read.
    public struct HeaderError: Error, Sendable {
        public var diagnostics: [Diagnostic]
    }

    /// The columns of one file, resolved against the header.
    struct Layout {
        var names: [String]
        /// Header index → the column it fills (only columns that are read), with its value map
        /// keyed by lowercased text for the case-insensitive lookup.
        var columns: [(index: Int, column: CSVMap.Column, lowercased: [String: String?])]
        /// Per override, its conditions as header indices.
        var conditions: [[(index: Int, value: String)]]
        var overrides = OverrideIndex([])
    }

    /// Overrides grouped by the columns their conditions name, each group a table from those
    /// cells' text to the overrides it satisfies: a row costs one lookup per group rather than
    /// one comparison per override (10,000 overrides on a 50,000-row export took minutes).
    struct OverrideIndex {
        private var groups: [(columns: [Int], overrides: [[String]: [Int]])] = []

        init(_ conditions: [[(index: Int, value: String)]]) {
            var groupOf: [[Int]: Int] = [:]
            for (position, override) in conditions.enumerated() where !override.isEmpty {
                let sorted = override.sorted { $0.index < $1.index }
                let columns = sorted.map(\.index)
                let group =
                    groupOf[columns]
                    ?? {
                        groups.append((columns, [:]))
                        groupOf[columns] = groups.count - 1
                        return groups.count - 1
                    }()
                groups[group].overrides[sorted.map(\.value), default: []].append(position)
            }
        }

        /// Positions of the overrides whose every condition the row meets, in map order.
        func matches(_ cells: [CSVCell]) -> [Int] {
            var found: [Int] = []
            for group in groups {
                if let positions = group.overrides[group.columns.map { cells[$0].value }] { found += positions }
            }
            return groups.count > 1 ? found.sorted() : found
        }
    }

    /// Reads `source`, calling `body` once per data row with the record (nil when the row has
    /// errors) and the row's diagnostics. Throws `DocumentError` for unreadable CSV and
    /// `HeaderError` for a header that does not match.
    public func read(_ source: DocumentSource, name: String, _ body: (SessionRecord?, [Diagnostic]) throws -> Void)
        throws
    {
        var layout: Layout?
        try CSVReader.forEachRow(in: source, delimiter: map?.delimiter, limits: .records) { row in
            guard let layout else {
                layout = try resolve(header: row, file: name)
                return
            }
            var diagnostics: [Diagnostic] = []
            let record = convert(row, layout: layout, file: name, diagnostics: &diagnostics)
            try body(record, diagnostics)
        }
    }

    // MARK: Header

    func resolve(header row: CSVRow, file: String) throws(HeaderError) -> Layout {
        var errors: [Diagnostic] = []
        let names = row.cells.map { $0.text.csvTrimmed }
        func locate(_ index: Int) -> SourceLocation { SourceLocation(file: file, mark: row.cells[index].mark) }
        var indexByName: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if indexByName[name] != nil {
                errors.append(.error(.invalidValue, "column '\(name)' appears twice in the header", at: locate(index)))
            } else {
                indexByName[name] = index
            }
        }
        let headerNames = names.filter { !$0.isEmpty }
        var layout = Layout(names: names, columns: [], conditions: [])

        if let map {
            let mapFileSuffix = map.file.map { " (in \($0))" } ?? ""
            for column in map.columns {
                guard let index = indexByName[column.name] else {
                    errors.append(
                        .error(
                            .invalidValue,
                            "the header has no column '\(column.name)' named in the CSV map"
                                + (column.location.map { " at \($0)" } ?? mapFileSuffix)
                                + Suggestion.phrase(for: column.name, in: headerNames),
                            at: SourceLocation(file: file, mark: row.mark)))
                    continue
                }
                if column.target != .ignore { layout.columns.append((index, column, column.lowercasedValues)) }
            }
            if map.unmapped == .error {
                let mapped = Set(map.columns.map(\.name))
                for (index, name) in names.enumerated()
                where !name.isEmpty && !mapped.contains(name) && !name.hasPrefix("x-") {
                    errors.append(
                        .error(
                            .invalidValue,
                            "column '\(name)' is not in the CSV map (unmapped: error); map it or set it to ignore",
                            at: locate(index)))
                }
            }
            for override in map.overrides {
                var conditions: [(index: Int, value: String)] = []
                for (column, value) in override.when {
                    guard let index = indexByName[column] else {
                        errors.append(
                            .error(
                                .invalidValue,
                                "the header has no column '\(column)' used by an override"
                                    + (override.location.map { " at \($0)" } ?? mapFileSuffix)
                                    + Suggestion.phrase(for: column, in: headerNames),
                                at: SourceLocation(file: file, mark: row.mark)))
                        continue
                    }
                    conditions.append((index, value))
                }
                layout.conditions.append(conditions)
            }
            layout.overrides = OverrideIndex(layout.conditions)
        } else {
            var filled: [CSVMap.Target: String] = [:]
            for (index, name) in names.enumerated() where !name.isEmpty {
                guard let target = CSVMap.target(named: name, vocabulary: decoder.vocabulary) else {
                    errors.append(
                        .error(
                            .invalidValue,
                            "unknown column '\(name)'"
                                + Suggestion.phrase(for: name, in: CSVMap.targetNames(decoder.vocabulary))
                                + "; map it with --csv-map, or name it x-\(name) to leave it out", at: locate(index)))
                    continue
                }
                guard target != .ignore else { continue }
                if let other = filled[target] {
                    errors.append(
                        .error(.invalidValue, "columns '\(other)' and '\(name)' both fill \(target)", at: locate(index))
                    )
                }
                filled[target] = name
                layout.columns.append((index, CSVMap.Column(name: name, target: target), [:]))
            }
            // An export in its own words: one error that says it needs a map, not one per column.
            if layout.columns.isEmpty, errors.contains(where: { $0.message.hasPrefix("unknown column") }) {
                let shown =
                    headerNames.prefix(6).map { "'\($0)'" }.joined(separator: ", ")
                    + (headerNames.count > 6 ? ", …" : "")
                errors = [
                    .error(
                        .invalidValue,
                        "no column of the header (\(shown)) names a record field (client, therapist, date, attendance, "
                            + "a measure such as srs): this export needs a map; give one with --csv-map map.yaml, naming the column "
                            + "for each field (docs/records.md, 'The CSV map'; Examples/csv/map.yaml is one)",
                        at: SourceLocation(file: file, mark: row.mark))
                ]
            }
        }
        guard errors.isEmpty else { throw HeaderError(diagnostics: errors) }
        return layout
    }

    // MARK: Rows

    /// The record of one data row, or nil with its errors in `diagnostics`.
    func convert(_ row: CSVRow, layout: Layout, file: String, diagnostics: inout [Diagnostic]) -> SessionRecord? {
        let rowSuffix = " (row \(row.number))"
        guard row.cells.count == layout.names.count else {
            diagnostics.append(
                .error(
                    .invalidValue,
                    "this row has \(row.cells.count) cell\(row.cells.count == 1 ? "" : "s"), the header has \(layout.names.count)"
                        + rowSuffix, at: SourceLocation(file: file, mark: row.mark)))
            return nil
        }
        var values: [CSVMap.Target: Node] = [:]
        /// Where each value came from, for messages.
        var origins: [Mark: String] = [:]
        var failed = false

        for (index, column, lowercased) in layout.columns {
            let cell = row.cells[index]
            origins[cell.mark] = "column '\(column.name)'"
            guard let text = column.mappedValue(cell.value, lowercased: lowercased), !text.isEmpty else { continue }
            guard
                let node = node(
                    text, for: column.target, column: column, at: cell.mark, file: file,
                    suffix: " (row \(row.number), column '\(column.name)')",
                    diagnostics: &diagnostics)
            else {
                failed = true
                continue
            }
            values[column.target] = node
        }
        if let map {
            for position in layout.overrides.matches(row.cells) {
                let (override, conditions) = (map.overrides[position], layout.conditions[position])
                let mark = row.cells[conditions[0].index].mark
                for (target, text) in override.set {
                    guard
                        let value = node(
                            text, for: target, column: nil, at: mark, file: file, suffix: rowSuffix,
                            diagnostics: &diagnostics)
                    else {
                        failed = true
                        continue
                    }
                    values[target] = value
                }
            }
            let defaultMark = Mark(line: row.mark.line, column: 0)
            origins[defaultMark] = "a default of the CSV map"
            for (target, text) in map.defaults where values[target] == nil {
                guard
                    let value = node(
                        text, for: target, column: nil, at: defaultMark, file: file, suffix: rowSuffix,
                        diagnostics: &diagnostics)
                else {
                    failed = true
                    continue
                }
                values[target] = value
            }
        }
        guard !failed else { return nil }

        let recordNode = assemble(values, at: row.mark)
        var decoded: [Diagnostic] = []
        let record = decoder.decode(recordNode, file: file, diagnostics: &decoded)
        for var diagnostic in decoded {
            let mark = Mark(line: diagnostic.location.line, column: diagnostic.location.column)
            // The record node shares its mark with the first cell: its own messages are about the row.
            let aboutRow =
                mark == row.mark
                && (diagnostic.message.hasPrefix("missing required field")
                    || diagnostic.message.hasPrefix(RecordField.nextAppointment.name))
            if !aboutRow, let origin = origins[mark] {
                diagnostic.message += " (row \(row.number), \(origin))"
            } else {
                diagnostic.message += rowSuffix
            }
            diagnostics.append(diagnostic)
        }
        return record
    }

    /// The node for one value: a date in the column's format becomes ISO text; a list is split.
    private func node(
        _ text: String, for target: CSVMap.Target, column: CSVMap.Column?, at mark: Mark, file: String, suffix: String,
        diagnostics: inout [Diagnostic]
    ) -> Node? {
        guard case .field(let field) = target else {
            let number = map?.decimalComma == true ? String(text.map { $0 == "," ? "." : $0 }) : text
            return Node(.scalar(number, .quoted), mark: mark)
        }
        if CSVMap.dateFields.contains(field) {
            let format = column?.dateFormat ?? map?.dateFormat ?? .iso
            guard let day = format.day(from: text) else {
                let expected = format == .iso ? "YYYY-MM-DD" : "the format \(format)"
                diagnostics.append(
                    .error(
                        .invalidValue,
                        "'\(ScalarReader.shown(text))' is not a valid \(field); expected a date in \(expected)"
                            + suffix,
                        at: SourceLocation(file: file, mark: mark)))
                return nil
            }
            return Node(.scalar(day.description, .quoted), mark: mark)
        }
        if CSVMap.listFields.contains(field) {
            let separator = column?.split ?? ";"
            let items = text.csvSplit(separator).map(\.csvTrimmed).filter { !$0.isEmpty }
            return Node(.sequence(items.map { Node(.scalar($0, .quoted), mark: mark) }), mark: mark)
        }
        return Node(.scalar(text, .quoted), mark: mark)
    }

    /// The record mapping, shaped like a YAML record: fields, then `measures` and `rupture` sub-mappings.
    private func assemble(_ values: [CSVMap.Target: Node], at mark: Mark) -> Node {
        var pairs: [Node.Pair] = []
        var rupture: [Node.Pair] = []
        func key(_ name: String, _ node: Node) -> Node { Node(.scalar(name, .quoted), mark: node.mark) }
        for column in CSVMap.fieldColumns {
            guard let value = values[.field(column.name)] else { continue }
            switch column {
            case .record(let field): pairs.append(Node.Pair(key: key(field.name, value), value: value))
            case .rupture(let field): rupture.append(Node.Pair(key: key(field.name, value), value: value))
            }
        }
        var measures: [Node.Pair] = []
        for name in decoder.vocabulary.measureNames {
            if let value = values[.measure(name)] { measures.append(Node.Pair(key: key(name, value), value: value)) }
        }
        if let first = measures.first {
            pairs.append(
                Node.Pair(
                    key: key(RecordField.measures.name, first.value),
                    value: Node(.mapping(measures), mark: first.value.mark)))
        }
        if let first = rupture.first {
            pairs.append(
                Node.Pair(
                    key: key(RecordField.rupture.name, first.value),
                    value: Node(.mapping(rupture), mark: first.value.mark)))
        }
        return Node(.mapping(pairs), mark: mark)
    }
}

extension CSVMap.Column {
    /// A cell's text through the value map: exact match first, then ignoring case (in
    /// `lowercased`, from `lowercasedValues`); nil means "no value".
    func mappedValue(_ text: String, lowercased: [String: String?]) -> String? {
        if let mapped = values[text] { return mapped }
        if !lowercased.isEmpty, let mapped = lowercased[text.lowercased()] { return mapped }
        return text
    }

    /// The value map keyed by lowercased text, built once per file rather than searched per
    /// cell; when two entries differ only in case, the first in sorted order wins.
    var lowercasedValues: [String: String?] {
        var table: [String: String?] = [:]
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where table[key.lowercased()] == nil {
            table[key.lowercased()] = value
        }
        return table
    }
}

extension CSVCell {
    /// The cell's value: quoted text as written, unquoted text without the padding spreadsheets add.
    var value: String { quoted ? text : text.csvTrimmed }
}

extension String {
    /// Split at every exact occurrence of `separator`, byte for byte: String's own comparison
    /// is by canonical equivalence, under which the Greek question mark (U+037E) is a `;`.
    func csvSplit(_ separator: String) -> [String] {
        let bytes = Array(utf8)
        let mark = Array(separator.utf8)
        guard !mark.isEmpty else { return [self] }
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + mark.count <= bytes.count {
            if bytes[i..<i + mark.count].elementsEqual(mark) {
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                i += mark.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    /// Without leading and trailing spaces and tabs (spreadsheets pad cells).
    var csvTrimmed: String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return String(self[first...last])
    }
}
