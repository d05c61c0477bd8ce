import AttuneYAML

/// The encodings records arrive in: the three document formats, and CSV exports.
///
/// CSV is a record format rather than a document format because a CSV row means nothing
/// without a header (or a `CSVMap`) that says which column is which field.
///
/// ```swift
/// RecordFormat.forPath("export.csv")                  // .csv
/// RecordFormat.sniff(Array("client,therapist\n".utf8)) // .csv
/// ```
public enum RecordFormat: String, Sendable, CaseIterable {
    case yaml
    case json
    case jsonl
    case csv

    public init(_ format: DocumentFormat) {
        switch format {
        case .yaml: self = .yaml
        case .json: self = .json
        case .jsonl: self = .jsonl
        }
    }

    /// The extensions `forPath` knows, for messages that say what a folder was searched for
    /// (a unit test checks the two agree).
    public static let fileExtensions = ["yaml", "yml", "json", "jsonl", "ndjson", "csv"]

    /// By extension (case-insensitive): `.yaml .yml .json .jsonl .ndjson .csv`; nil otherwise.
    public static func forPath(_ path: String) -> RecordFormat? {
        if let format = DocumentFormat.forPath(path) { return RecordFormat(format) }
        return path.lowercased().hasSuffix(".csv") ? .csv : nil
    }

    /// Classifies a prefix of standard input. JSON and JSON Lines as `DocumentFormat.sniff`
    /// says; otherwise CSV when the first non-blank line looks like a header (a `,` `;` or tab
    /// separated line with no `key: value` and no YAML indicator at its start); otherwise YAML.
    public static func sniff(_ prefix: [UInt8]) -> RecordFormat {
        let document = DocumentFormat.sniff(prefix)
        guard document == .yaml else { return RecordFormat(document) }
        var i = 0
        if prefix.count >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { i = 3 }
        while i < prefix.count, prefix[i] == 0x20 || prefix[i] == 0x09 || prefix[i] == 0x0A || prefix[i] == 0x0D {
            i += 1
        }
        let end = prefix[i...].firstIndex { $0 == 0x0A || $0 == 0x0D } ?? prefix.count
        let line = prefix[i..<end]
        guard let first = line.first, !"-#%[{?&*!|>'".utf8.contains(first) else { return .yaml }
        let text = String(decoding: line, as: UTF8.self)
        if text.contains(": ") || text.hasSuffix(":") || text.hasPrefix("---") { return .yaml }
        return line.contains(UInt8(ascii: ",")) || line.contains(UInt8(ascii: ";")) || line.contains(0x09)
            ? .csv : .yaml
    }
}
