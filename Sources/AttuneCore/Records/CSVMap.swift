import AttuneYAML

/// How the columns of one system's CSV export become session record fields (`--csv-map`).
///
/// A map names, for each column it uses, the record field (or measure) it fills, and optionally
/// a value map, a date format or a list separator; `overrides` set fields from conditions on
/// other columns; `defaults` fill fields the export lacks. docs/records.md has the full format.
///
/// ```yaml
/// date_format: dd/MM/yyyy
/// columns:
///   Client ID: client
///   Clinician: therapist
///   Appt Date: date
///   Status: {field: attendance, values: {Attended: attended, DNA: no-show}}
///   SRS total: srs
/// overrides:
///   - when: {Canceled: "2"}
///     set: {attendance: no-show}
/// ```
///
/// ```swift
/// let map = try CSVMap.load(path: "map.yaml", vocabulary: ruleSet.vocabulary)
/// ```
public struct CSVMap: Sendable {
    /// What a column fills.
    public enum Target: Sendable, Hashable, CustomStringConvertible {
        /// A record field, `rupture.` fields dotted: `attendance`, `rupture.type`.
        case field(String)
        /// A measure of the vocabulary (`measures.srs`, or just `srs`).
        case measure(String)
        /// Never read (columns with names, contact data, internal ids).
        case ignore

        public var description: String {
            switch self {
            case .field(let name): return name
            case .measure(let name): return "measures.\(name)"
            case .ignore: return "ignore"
            }
        }
    }

    public struct Column: Sendable {
        public var name: String
        public var target: Target
        /// Cell text → record text; a nil value means "no value" (the field is left empty).
        public var values: [String: String?]
        public var dateFormat: CSVDateFormat?
        /// Separator of list cells (`tags`, `rupture.markers`).
        public var split: String
        public var location: SourceLocation?

        public init(
            name: String, target: Target, values: [String: String?] = [:], dateFormat: CSVDateFormat? = nil,
            split: String = ";", location: SourceLocation? = nil
        ) {
            self.name = name
            self.target = target
            self.values = values
            self.dateFormat = dateFormat
            self.split = split
            self.location = location
        }
    }

    /// When every named column holds the given text, set these fields (after the columns are read).
    public struct Override: Sendable {
        public var when: [(column: String, value: String)]
        public var set: [(target: Target, value: String)]
        public var location: SourceLocation?

        public init(
            when: [(column: String, value: String)], set: [(target: Target, value: String)],
            location: SourceLocation? = nil
        ) {
            self.when = when
            self.set = set
            self.location = location
        }
    }

    /// What to do with header columns the map does not name.
    public enum Unmapped: String, Sendable, CaseIterable {
        case ignore, error
    }

    public var delimiter: UInt8?
    /// The decimal separator of measure cells: `.` or `,` (`18,5` in many European exports).
    public var decimalComma = false
    public var dateFormat: CSVDateFormat
    public var columns: [Column]
    public var overrides: [Override]
    public var defaults: [(target: Target, value: String)]
    public var unmapped: Unmapped
    /// The map file, for messages.
    public var file: String?

    public init(
        delimiter: UInt8? = nil, dateFormat: CSVDateFormat = .iso, columns: [Column] = [], overrides: [Override] = [],
        defaults: [(target: Target, value: String)] = [], unmapped: Unmapped = .ignore, file: String? = nil
    ) {
        self.delimiter = delimiter
        self.dateFormat = dateFormat
        self.columns = columns
        self.overrides = overrides
        self.defaults = defaults
        self.unmapped = unmapped
        self.file = file
    }

    /// The map could not be read; every problem, located in the map file.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var diagnostics: [Diagnostic]
        public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    /// A record field a CSV column can fill: a field of the record that is not a mapping, or a
    /// field of its `rupture` (`rupture.type`); measures are columns of their own.
    public enum FieldColumn: Sendable, Hashable {
        case record(RecordField)
        case rupture(RuptureField)

        public var name: String {
            switch self {
            case .record(let field): return field.name
            case .rupture(let field): return "\(RecordField.rupture.name).\(field.name)"
            }
        }

        public var declaration: RecordFieldDeclaration {
            switch self {
            case .record(let field): return field.declaration
            case .rupture(let field): return field.declaration
            }
        }
    }

    /// The fields CSV columns can fill, in record order (then the rupture's).
    public static let fieldColumns: [FieldColumn] =
        RecordField.allCases.filter { !$0.declaration.type.isMapping }.map(FieldColumn.record)
        + RuptureField.allCases.map(FieldColumn.rupture)
    /// Their names, as a CSV header writes them.
    public static let fields = fieldColumns.map(\.name)
    static let dateFields = fieldColumns.filter { $0.declaration.type == .date }.map(\.name)
    static let listFields = Set(fieldColumns.filter(\.declaration.type.isList).map(\.name))
    static let keys = ["delimiter", "decimal", "date_format", "columns", "overrides", "defaults", "unmapped"]
    static let columnKeys = ["field", "measure", "values", "date_format", "split"]
    /// Bounds on a map's size: far above any real export's, far below what would slow reading.
    public static let maxOverrides = 1_000
    public static let maxValues = 10_000

    /// The target a name stands for: a field, `measures.X`, a measure name, `ignore`; nil if none.
    public static func target(named name: String, vocabulary: Vocabulary) -> Target? {
        if name == "ignore" || name.hasPrefix("x-") { return .ignore }
        if fields.contains(name) { return .field(name) }
        if name.hasPrefix("measures."), vocabulary.measureIndex(String(name.dropFirst(9))) != nil {
            return .measure(String(name.dropFirst(9)))
        }
        if vocabulary.measureIndex(name) != nil { return .measure(name) }
        return nil
    }

    /// Every name a target can be written as, for did-you-mean.
    static func targetNames(_ vocabulary: Vocabulary) -> [String] {
        fields + vocabulary.measureNames + vocabulary.measureNames.map { "measures.\($0)" } + ["ignore"]
    }

    public static func load(path: String, vocabulary: Vocabulary) throws(LoadError) -> CSVMap {
        try decode(.file(path: path), file: path, vocabulary: vocabulary)
    }

    public static func decode(_ source: DocumentSource, file: String, vocabulary: Vocabulary) throws(LoadError)
        -> CSVMap
    {
        let roots: [Node]
        do {
            roots = try YAMLReader.documents(in: source, limits: .rules)
        } catch let error as DocumentError {
            throw LoadError(diagnostics: [
                .error(.yamlSyntax, error.message, at: SourceLocation(file: file, mark: error.mark))
            ])
        } catch {
            throw LoadError(diagnostics: [
                .error(
                    .invalidValue, "cannot read the CSV map: \(error)",
                    at: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        guard roots.count == 1, let root = roots.first else {
            throw LoadError(diagnostics: [
                .error(
                    .invalidValue,
                    "a CSV map is one YAML document with a 'columns' mapping",
                    at: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
        var reader = ScalarReader(file: file)
        var map = CSVMap(file: file)
        guard let pairs = reader.pairs(root, field: "a CSV map") else {
            throw LoadError(diagnostics: reader.diagnostics)
        }
        var sawColumns = false
        for (key, pair) in pairs {
            let value = pair.value
            switch key {
            case "delimiter":
                guard let text = reader.scalar(value, field: "delimiter") else { continue }
                switch text {
                case ",", ";", "|": map.delimiter = text.utf8.first
                case "tab", "\t": map.delimiter = 0x09
                default:
                    reader.error(.invalidValue, "delimiter must be ',', ';', '|' or 'tab', found '\(text)'", at: value)
                }
            case "decimal":
                guard let text = reader.scalar(value, field: "decimal") else { continue }
                guard text == "." || text == "," else {
                    reader.error(.invalidValue, "decimal must be '.' or ',', found '\(text)'", at: value)
                    continue
                }
                map.decimalComma = text == ","
            case "date_format":
                map.dateFormat = dateFormat(value, &reader) ?? map.dateFormat
            case "columns":
                sawColumns = true
                guard let columns = reader.pairs(value, field: "columns") else { continue }
                for (name, column) in columns {
                    if let decoded = decodeColumn(name, column.value, key: column.key, vocabulary, &reader) {
                        map.columns.append(decoded)
                    }
                }
            case "overrides":
                guard let items = value.sequenceItems else {
                    reader.error(
                        .invalidValue, "overrides must be a list of {when: {column: text}, set: {field: value}}",
                        at: value)
                    continue
                }
                guard items.count <= maxOverrides else {
                    reader.error(
                        .invalidValue,
                        "overrides has \(items.count) entries; a CSV map has at most \(maxOverrides)", at: value)
                    continue
                }
                for item in items {
                    if let override = decodeOverride(item, vocabulary, &reader) { map.overrides.append(override) }
                }
            case "defaults":
                guard let defaults = reader.pairs(value, field: "defaults") else { continue }
                for (name, entry) in defaults {
                    guard let target = settableTarget(name, at: entry.key, vocabulary, &reader),
                        let text = reader.scalar(entry.value, field: "the default for \(name)")
                    else { continue }
                    map.defaults.append((target, text))
                }
            case "unmapped":
                map.unmapped = reader.enumeration(value, field: "unmapped", as: Unmapped.self) ?? map.unmapped
            default:
                reader.error(
                    .unknownKey, "unknown key '\(key)' in a CSV map" + Suggestion.phrase(for: key, in: keys),
                    at: pair.key)
            }
        }
        if !sawColumns { reader.error(.missingKey, "a CSV map needs 'columns': column name → record field", at: root) }
        var seen: [Target: String] = [:]
        for column in map.columns where column.target != .ignore {
            if let other = seen[column.target] {
                reader.diagnostics.append(
                    .error(
                        .invalidValue,
                        "columns '\(other)' and '\(column.name)' both fill \(column.target)",
                        at: column.location ?? SourceLocation(file: file, line: 1, column: 1)))
            }
            seen[column.target] = column.name
        }
        guard reader.diagnostics.isEmpty else { throw LoadError(diagnostics: reader.diagnostics) }
        return map
    }

    private static func dateFormat(_ node: Node, _ reader: inout ScalarReader) -> CSVDateFormat? {
        guard let text = reader.scalar(node, field: "date_format") else { return nil }
        do {
            return try CSVDateFormat(text)
        } catch {
            reader.error(.invalidValue, error.description, at: node)
            return nil
        }
    }

    private static func settableTarget(
        _ name: String, at node: Node, _ vocabulary: Vocabulary, _ reader: inout ScalarReader
    ) -> Target? {
        guard let target = target(named: name, vocabulary: vocabulary), target != .ignore else {
            reader.error(
                .invalidValue,
                "'\(name)' is not a record field or measure"
                    + Suggestion.phrase(for: name, in: targetNames(vocabulary)), at: node)
            return nil
        }
        return target
    }

    private static func decodeColumn(
        _ name: String, _ node: Node, key: Node, _ vocabulary: Vocabulary, _ reader: inout ScalarReader
    ) -> Column? {
        let location = reader.location(key)
        if let text = node.scalarText {
            guard let target = target(named: text, vocabulary: vocabulary) else {
                reader.error(
                    .invalidValue,
                    "'\(text)' is not a record field, a measure or 'ignore'"
                        + Suggestion.phrase(for: text, in: targetNames(vocabulary)), at: node)
                return nil
            }
            return Column(name: name, target: target, location: location)
        }
        guard let pairs = reader.pairs(node, field: "column '\(name)'") else { return nil }
        var column = Column(name: name, target: .ignore, location: location)
        var sawTarget = false
        for (key, pair) in pairs {
            let value = pair.value
            switch key {
            case "field", "measure":
                guard let text = reader.scalar(value, field: key) else { continue }
                sawTarget = true
                let name = key == "measure" && !text.hasPrefix("measures.") ? "measures." + text : text
                guard let target = target(named: name, vocabulary: vocabulary) else {
                    reader.error(
                        .invalidValue,
                        "'\(text)' is not a record field" + (key == "measure" ? " or measure" : "")
                            + Suggestion.phrase(for: text, in: targetNames(vocabulary)), at: value)
                    continue
                }
                column.target = target
            case "values":
                guard let entries = reader.pairs(value, field: "values") else { continue }
                guard entries.count <= maxValues else {
                    reader.error(
                        .invalidValue,
                        "values of column '\(name)' has \(entries.count) entries; a column has at most \(maxValues)",
                        at: value)
                    continue
                }
                for (from, entry) in entries {
                    if entry.value.isNull {
                        column.values[from] = .some(nil)
                    } else if let to = reader.scalar(entry.value, field: "the value for '\(from)'") {
                        column.values[from] = to
                    }
                }
            case "date_format":
                column.dateFormat = dateFormat(value, &reader)
            case "split":
                if let text = reader.string(value, field: "split") { column.split = text }
            default:
                reader.error(
                    .unknownKey,
                    "unknown key '\(key)' for column '\(name)'" + Suggestion.phrase(for: key, in: columnKeys),
                    at: pair.key)
            }
        }
        if !sawTarget { reader.error(.missingKey, "column '\(name)' needs 'field' (or 'measure')", at: node) }
        if column.dateFormat != nil, !(column.target.fieldName.map { dateFields.contains($0) } ?? false) {
            reader.error(
                .invalidValue, "date_format applies only to \(dateFields.joined(separator: " and "))", at: node)
        }
        return column
    }

    private static func decodeOverride(_ node: Node, _ vocabulary: Vocabulary, _ reader: inout ScalarReader)
        -> Override?
    {
        guard let pairs = reader.pairs(node, field: "an override") else { return nil }
        var override = Override(when: [], set: [], location: reader.location(node))
        var sawWhen = false
        var sawSet = false
        for (key, pair) in pairs {
            switch key {
            case "when":
                sawWhen = true
                guard let conditions = reader.pairs(pair.value, field: "when") else { continue }
                for (column, entry) in conditions {
                    if let text = reader.scalar(entry.value, field: "the text of column '\(column)'") {
                        override.when.append((column, text))
                    }
                }
            case "set":
                sawSet = true
                guard let settings = reader.pairs(pair.value, field: "set") else { continue }
                for (name, entry) in settings {
                    guard let target = settableTarget(name, at: entry.key, vocabulary, &reader),
                        let text = reader.scalar(entry.value, field: "the value of \(name)")
                    else { continue }
                    override.set.append((target, text))
                }
            default:
                reader.error(
                    .unknownKey,
                    "unknown key '\(key)' in an override" + Suggestion.phrase(for: key, in: ["when", "set"]),
                    at: pair.key)
            }
        }
        if !sawWhen || !sawSet || override.when.isEmpty || override.set.isEmpty {
            reader.error(.missingKey, "an override needs 'when' (column: text) and 'set' (field: value)", at: node)
        }
        return override
    }
}

extension CSVMap.Target {
    /// The record field name of a `.field` target.
    var fieldName: String? {
        if case .field(let name) = self { return name }
        return nil
    }
}
