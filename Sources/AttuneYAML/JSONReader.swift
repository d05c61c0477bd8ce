/// Reads JSON and JSON Lines into the same located, untyped nodes as `YAMLReader`.
///
/// Hand-written rather than Foundation's `JSONSerialization` because rules need positions
/// (line:column of every value), text-preserving numbers (`0.10` stays `"0.10"`), duplicate
/// keys kept for the consumer to judge, streaming over a large root array, and the same
/// limits as YAML. Strict RFC 8259: no comments, no trailing commas, UTF-8 validated.
///
/// ```swift
/// try JSONReader.forEachItem(in: .file(path: "sessions.json"), limits: .records) { session in … }
/// try JSONReader.forEachLine(in: .file(path: "sessions.jsonl"), limits: .records) { session in … }
/// let config = try JSONReader.document(in: .bytes(bytes), limits: .records)
/// ```
public enum JSONReader {
    /// Streams the items of one JSON text: each element of a root array as soon as it is
    /// complete, or a root object (or scalar) as one item. Syntax errors throw `DocumentError`
    /// after the preceding items were delivered.
    public static func forEachItem(in source: DocumentSource, limits: DocumentLimits, _ body: (Node) throws -> Void)
        throws
    {
        try forEachItemEvents(in: source, limits: limits, { try body($0.node()) })
    }

    /// `forEachItem` handing over each item's events, for readers that decode them straight.
    public static func forEachItemEvents(
        in source: DocumentSource, limits: DocumentLimits, _ body: (ItemEvents) throws -> Void
    ) throws {
        try ByteInput.withInput(source) { input in
            var parser = JSONParser(input: input, limits: limits)
            try parser.skipBOM()
            try parser.skipWhitespace(acrossLines: true)
            try parser.parseValue(streamsRootArray: true, deliver: body)
            try parser.expectEnd()
        }
    }

    /// JSON Lines: one value per line, blank lines skipped; each line's value is an item, and
    /// a line holding an array yields its elements. A value must end on the line it starts
    /// on, so an error on line N is reported on line N.
    public static func forEachLine(in source: DocumentSource, limits: DocumentLimits, _ body: (Node) throws -> Void)
        throws
    {
        try forEachLineEvents(in: source, limits: limits, { try body($0.node()) })
    }

    /// `forEachLine` handing over each item's events, for readers that decode them straight.
    public static func forEachLineEvents(
        in source: DocumentSource, limits: DocumentLimits, _ body: (ItemEvents) throws -> Void
    ) throws {
        try ByteInput.withInput(source) { input in
            var parser = JSONParser(input: input, limits: limits)
            parser.lineMode = true
            try parser.skipBOM()
            while true {
                try parser.skipWhitespace(acrossLines: true)
                guard try parser.peek() != nil else { return }
                try parser.parseValue(streamsRootArray: true, deliver: body)
                try parser.skipWhitespace(acrossLines: false)
                guard let b = try parser.peek() else { return }
                guard b == 0x0A || b == 0x0D else {
                    throw parser.unexpected(b, "expected the end of the line after the JSON value")
                }
            }
        }
    }

    /// One whole JSON value, of any kind.
    public static func document(in source: DocumentSource, limits: DocumentLimits) throws -> Node {
        try ByteInput.withInput(source) { input in
            var parser = JSONParser(input: input, limits: limits)
            try parser.skipBOM()
            try parser.skipWhitespace(acrossLines: true)
            var node: Node?
            try parser.parseValue(streamsRootArray: false) { node = $0.node() }
            try parser.expectEnd()
            return node!
        }
    }
}
