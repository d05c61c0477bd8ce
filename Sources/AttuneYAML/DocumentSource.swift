/// Where a document's bytes come from.
///
/// A file is read as a stream (fixed-size chunks handed to libyaml and to the JSON and CSV readers),
/// so a 100 MB record file is never held whole in memory nor as one node tree. `bytes` exists
/// for embedded rule packs, standard input and tests.
///
/// ```swift
/// try YAMLReader.forEachItem(in: .file(path: "sessions.yaml"), limits: .records) { item in … }
/// try JSONReader.document(in: .bytes(Array(#"{"a": 1}"#.utf8)), limits: .records)
/// ```
public enum DocumentSource: Sendable {
    /// Opened when read (and once only, for every pass over it).
    case file(path: String)
    /// Opened already: a regular file read by offset, or a stream (standard input, a FIFO).
    case opened(InputFile)
    case bytes([UInt8])
}

/// The three record encodings, chosen by extension or, when there is none, by sniffing.
///
/// Sniffing looks only at a prefix so that standard input can be classified before it is read.
///
/// ```swift
/// let format = DocumentFormat.forPath(path) ?? DocumentFormat.sniff(firstKilobyte)
/// ```
public enum DocumentFormat: String, Sendable, CaseIterable {
    case yaml
    case json
    case jsonl

    /// Classifies a prefix of a document. After a BOM and whitespace, `[` or `{` means JSON,
    /// except that a first line holding one complete object followed by a line starting with
    /// `{` means JSON Lines (a pretty-printed JSON object never closes on its first line).
    /// Anything else is YAML, which is also the answer for an empty prefix.
    public static func sniff(_ prefix: [UInt8]) -> DocumentFormat {
        var i = 0
        let n = prefix.count
        if n >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { i = 3 }
        while i < n, isSpace(prefix[i]) { i += 1 }
        guard i < n else { return .yaml }
        let first = prefix[i]
        guard first == UInt8(ascii: "[") || first == UInt8(ascii: "{") else { return .yaml }
        guard first == UInt8(ascii: "{") else { return .json }

        // Does the first line hold exactly one complete object?
        var depth = 0
        var inString = false
        var escaped = false
        var closed = false
        var j = i
        while j < n, prefix[j] != UInt8(ascii: "\n") {
            let b = prefix[j]
            if closed {
                if b != 0x20, b != 0x09, b != 0x0D { return .json }
            } else if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { closed = true }
            }
            j += 1
        }
        guard closed, j < n else { return .json }
        j += 1
        while j < n, isSpace(prefix[j]) { j += 1 }
        return j < n && prefix[j] == UInt8(ascii: "{") ? .jsonl : .json
    }

    /// The format implied by a file name's extension (case-insensitive), or nil when the
    /// extension says nothing and the caller should sniff. `.ndjson` is accepted as JSON Lines.
    public static func forPath(_ path: String) -> DocumentFormat? {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "yaml", "yml": return .yaml
        case "json": return .json
        case "jsonl", "ndjson": return .jsonl
        default: return nil
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }
}
