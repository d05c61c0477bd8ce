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
        try ByteInput.withInput(source) { input in
            var parser = JSONParser(input: input, limits: limits)
            try parser.skipBOM()
            try parser.skipWhitespace(acrossLines: true)
            _ = try parser.parseValue(streamsRootArray: true, deliver: body)
            try parser.expectEnd()
        }
    }

    /// JSON Lines: one value per line, blank lines skipped; each line's value is an item, and
    /// a line holding an array yields its elements. A value must end on the line it starts
    /// on, so an error on line N is reported on line N.
    public static func forEachLine(in source: DocumentSource, limits: DocumentLimits, _ body: (Node) throws -> Void)
        throws
    {
        try ByteInput.withInput(source) { input in
            var parser = JSONParser(input: input, limits: limits)
            parser.lineMode = true
            try parser.skipBOM()
            while true {
                try parser.skipWhitespace(acrossLines: true)
                guard try parser.peek() != nil else { return }
                _ = try parser.parseValue(streamsRootArray: true, deliver: body)
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
            let node = try parser.parseValue(streamsRootArray: false) { _ in }
            try parser.expectEnd()
            return node!
        }
    }
}

/// An iterative JSON parser over a `ByteInput`: containers live on an explicit stack bounded
/// by `maxDepth`, so 100,000 nested `[` is an error at the 65th, not a stack overflow.
struct JSONParser {
    struct Frame {
        var isObject: Bool
        var mark: Mark
        var items: [Node] = []
        var pairs: [Node.Pair] = []
        var key: Node?
    }

    var input: ByteInput
    let limits: DocumentLimits
    var line = 1
    /// In characters (UTF-8 lead bytes), like libyaml.
    var column = 1
    /// JSON Lines: a line break may not occur inside a value.
    var lineMode = false
    var scratch: [UInt8] = []
    /// Values in the item being built (reset when an item is delivered), against `limits.maxNodes`.
    var itemNodes = 0

    init(input: ByteInput, limits: DocumentLimits) {
        self.input = input
        self.limits = limits
    }

    var mark: Mark { Mark(line: line, column: column) }

    // MARK: Bytes

    @inline(__always)
    mutating func peek() throws -> UInt8? {
        if input.pos < input.buffer.count { return input.buffer[input.pos] }
        return try input.ensure(1) ? input.buffer[input.pos] : nil
    }

    /// Consumes one ASCII byte that is not a line break.
    @inline(__always)
    mutating func advance() {
        input.pos += 1
        column += 1
    }

    mutating func skipBOM() throws {
        if try input.ensure(3), input.buffer[input.pos] == 0xEF, input.buffer[input.pos + 1] == 0xBB,
            input.buffer[input.pos + 2] == 0xBF
        {
            input.pos += 3  // like libyaml, the BOM takes no column
        }
    }

    /// Consumes LF, CR LF or a lone CR as one line break.
    mutating func consumeLineBreak() throws {
        let b = input.buffer[input.pos]
        input.pos += 1
        if b == 0x0D, try peek() == 0x0A { input.pos += 1 }
        line += 1
        column = 1
    }

    mutating func skipWhitespace(acrossLines: Bool) throws {
        while let b = try peek() {
            switch b {
            case 0x20, 0x09:
                advance()
            case 0x0A, 0x0D:
                guard acrossLines else { return }
                try consumeLineBreak()
            default:
                return
            }
        }
    }

    /// Whitespace between the tokens of a value; in JSON Lines a line break there is an error.
    @inline(__always)
    mutating func skipInsideValue() throws {
        try skipWhitespace(acrossLines: !lineMode)
        if lineMode, let b = try peek(), b == 0x0A || b == 0x0D {
            throw DocumentError(
                "unexpected end of line inside a JSON value (JSON Lines holds one value per line)", at: mark)
        }
    }

    mutating func expectEnd() throws {
        try skipWhitespace(acrossLines: true)
        if let b = try peek() {
            throw unexpected(b, "unexpected content after the JSON value")
        }
    }

    func describe(_ b: UInt8?) -> String {
        guard let b else { return "end of input" }
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b == 0x20 { return "' '" }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x\(hex.count < 2 ? "0" + hex : hex)"
    }

    func unexpected(_ b: UInt8?, _ message: String) -> DocumentError {
        DocumentError("\(message), found \(describe(b))", at: mark)
    }

    // MARK: Values

    /// Parses one value. With `streamsRootArray`, the elements of a root array and any other
    /// root value go to `deliver` as they complete and nil is returned; otherwise the value is returned.
    mutating func parseValue(streamsRootArray: Bool, deliver: (Node) throws -> Void) throws -> Node? {
        var stack: [Frame] = []
        nextValue: while true {
            try skipInsideValue()
            let start = mark
            itemNodes += 1
            if itemNodes > (streamsRootArray ? limits.maxNodes : limits.maxDocumentNodes) {
                throw streamsRootArray
                    ? DocumentError("more than \(limits.maxNodes) values in one item", at: start)
                    : DocumentError("more than \(limits.maxDocumentNodes) values in one document", at: start)
            }
            var node: Node
            let first = try peek()
            switch first ?? 0 {
            case UInt8(ascii: "["):
                guard stack.count < limits.maxDepth else {
                    throw DocumentError("nesting deeper than \(limits.maxDepth) levels", at: start)
                }
                advance()
                try skipInsideValue()
                if try peek() == UInt8(ascii: "]") {
                    advance()
                    if streamsRootArray && stack.isEmpty { return nil }  // an empty root array: no items
                    node = Node(.sequence([]), mark: start)
                } else {
                    stack.append(Frame(isObject: false, mark: start))
                    continue nextValue
                }
            case UInt8(ascii: "{"):
                guard stack.count < limits.maxDepth else {
                    throw DocumentError("nesting deeper than \(limits.maxDepth) levels", at: start)
                }
                advance()
                try skipInsideValue()
                if try peek() == UInt8(ascii: "}") {
                    advance()
                    node = Node(.mapping([]), mark: start)
                } else {
                    let key = try parseKey()
                    stack.append(Frame(isObject: true, mark: start, key: key))
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                node = try parseString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                node = try parseNumber()
            case UInt8(ascii: "t"):
                node = try parseLiteral("true")
            case UInt8(ascii: "f"):
                node = try parseLiteral("false")
            case UInt8(ascii: "n"):
                node = try parseLiteral("null")
            default:
                throw unexpected(first, "expected a JSON value")
            }

            // Attach the finished value, closing containers as far as the input says.
            while true {
                guard !stack.isEmpty else {
                    if streamsRootArray {
                        itemNodes = 0
                        try deliver(node)
                        return nil
                    }
                    return node
                }
                let top = stack.count - 1
                if stack[top].isObject {
                    stack[top].pairs.append(Node.Pair(key: stack[top].key!, value: node))
                    stack[top].key = nil
                } else if streamsRootArray && top == 0 {
                    itemNodes = 1  // the root array's own bracket stays counted
                    try deliver(node)
                } else {
                    stack[top].items.append(node)
                }

                try skipInsideValue()
                let b = try peek()
                if stack[top].isObject {
                    if b == UInt8(ascii: ",") {
                        advance()
                        try skipInsideValue()
                        stack[top].key = try parseKey()
                        continue nextValue
                    }
                    guard b == UInt8(ascii: "}") else { throw unexpected(b, "expected ',' or '}' in object") }
                    advance()
                    let frame = stack.removeLast()
                    node = Node(.mapping(frame.pairs), mark: frame.mark)
                } else {
                    if b == UInt8(ascii: ",") {
                        advance()
                        continue nextValue
                    }
                    guard b == UInt8(ascii: "]") else { throw unexpected(b, "expected ',' or ']' in array") }
                    advance()
                    let frame = stack.removeLast()
                    if streamsRootArray && stack.isEmpty { return nil }
                    node = Node(.sequence(frame.items), mark: frame.mark)
                }
            }
        }
    }

    /// A key string and the colon after it.
    mutating func parseKey() throws -> Node {
        let b = try peek()
        guard b == UInt8(ascii: "\"") else { throw unexpected(b, "expected a string key in object") }
        let key = try parseString()
        try skipInsideValue()
        let colon = try peek()
        guard colon == UInt8(ascii: ":") else { throw unexpected(colon, "expected ':' after object key") }
        advance()
        return key
    }

    mutating func parseLiteral(_ word: StaticString) throws -> Node {
        let start = mark
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        for i in 0..<count {
            guard try peek() == expected[i] else {
                throw DocumentError("invalid literal, expected '\(word)'", at: start)
            }
            advance()
        }
        if let b = try peek(), isWordByte(b) {
            throw DocumentError("invalid literal, expected '\(word)'", at: start)
        }
        return Node(.scalar(word.description, .plain), mark: start)
    }

    @inline(__always)
    func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "_") || b >= 0x80
    }

    // MARK: Numbers

    mutating func parseNumber() throws -> Node {
        let start = mark
        scratch.removeAll(keepingCapacity: true)
        if try peek() == UInt8(ascii: "-") { try take() }
        guard let first = try peek(), isDigit(first) else {
            throw unexpected(try peek(), "invalid number, expected a digit")
        }
        if first == UInt8(ascii: "0") {
            try take()
            if let b = try peek(), isDigit(b) {
                throw DocumentError("invalid number, leading zeros are not allowed", at: mark)
            }
        } else {
            try takeDigits(start: start)
        }
        if try peek() == UInt8(ascii: ".") {
            try take()
            guard let b = try peek(), isDigit(b) else {
                throw unexpected(try peek(), "invalid number, expected a digit after '.'")
            }
            try takeDigits(start: start)
        }
        if let e = try peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            try take()
            if let s = try peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { try take() }
            guard let b = try peek(), isDigit(b) else {
                throw unexpected(try peek(), "invalid number, expected a digit in the exponent")
            }
            try takeDigits(start: start)
        }
        if let b = try peek(), isWordByte(b) || b == UInt8(ascii: ".") {
            throw unexpected(b, "invalid number")
        }
        try checkScalarLength(scratch.count, start: start)
        return Node(.scalar(String(decoding: scratch, as: UTF8.self), .plain), mark: start)
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    mutating func take() throws {
        scratch.append(input.buffer[input.pos])
        advance()
    }

    mutating func takeDigits(start: Mark) throws {
        while let b = try peek(), isDigit(b) {
            try take()
            if scratch.count > limits.maxScalarBytes { try checkScalarLength(scratch.count, start: start) }
        }
    }

    func checkScalarLength(_ count: Int, start: Mark) throws {
        if count > limits.maxScalarBytes {
            throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: start)
        }
    }

    // MARK: Strings

    /// A string, decoded. Runs of plain bytes are scanned in the buffer and copied in bulk;
    /// a string that lies in one chunk and has no escapes becomes a String straight from the buffer.
    mutating func parseString() throws -> Node {
        let start = mark
        advance()  // the opening quote
        scratch.removeAll(keepingCapacity: true)
        var usesScratch = false

        while true {
            // Scan a run of unescaped, valid characters within the current window.
            var i = input.pos
            var characters = 0
            var stop: UInt8 = 0  // 0: window ended or a multi-byte sequence needs more bytes
            let runStart = i
            var invalid = false
            input.buffer.withUnsafeBufferPointer { buf in
                let end = buf.count
                while i < end {
                    let b = buf[i]
                    if b < 0x80 {
                        if b == 0x22 || b == 0x5C || b < 0x20 {
                            stop = b == 0 ? 0xFF : b
                            return
                        }
                        i += 1
                        characters += 1
                        continue
                    }
                    let length = Self.utf8SequenceLength(buf, at: i, end: end)
                    if length < 0 {
                        invalid = true
                        return
                    }
                    if length == 0 { return }  // incomplete at the window's end
                    i += length
                    characters += 1
                }
            }

            let runLength = i - runStart
            if (usesScratch ? scratch.count : 0) + runLength > limits.maxScalarBytes {
                throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: start)
            }
            if stop == 0x22 && !usesScratch {
                let text = String(decoding: input.buffer[runStart..<i], as: UTF8.self)
                input.pos = i + 1
                column += characters + 1
                return Node(.scalar(text, .quoted), mark: start)
            }
            scratch.append(contentsOf: input.buffer[runStart..<i])
            usesScratch = true
            input.pos = i
            column += characters

            if invalid {
                throw DocumentError("invalid UTF-8 in string", at: mark)
            }
            switch stop {
            case 0x22:
                advance()
                return Node(.scalar(String(decoding: scratch, as: UTF8.self), .quoted), mark: start)
            case 0x5C:
                try parseEscape()
                if scratch.count > limits.maxScalarBytes {
                    throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: start)
                }
            case 0:
                // The window ended, possibly inside a multi-byte character.
                guard try input.ensure(1) else {
                    throw DocumentError("unterminated string", at: start)
                }
                let lead = input.buffer[input.pos]
                if lead >= 0x80 {
                    guard try input.takeUTF8Sequence(into: &scratch) else {
                        throw DocumentError("invalid UTF-8 in string", at: mark)
                    }
                    column += 1
                }
            default:
                let message =
                    stop == 0x0A || stop == 0x0D
                    ? "unterminated string (a line break must be escaped as \\n)"
                    : "control character in string (must be escaped)"
                throw DocumentError(message, at: mark)
            }
        }
    }

    /// The length of the valid UTF-8 sequence starting with a non-ASCII byte at `i`:
    /// 2...4, 0 when the window ends before it does, -1 when it is invalid (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF).
    static func utf8SequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let b0 = buf[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return -1
        }
        for k in 1..<length {
            guard i + k < end else { return 0 }
            let b = buf[i + k]
            if k == 1 {
                guard b >= low && b <= high else { return -1 }
            } else {
                guard b >= 0x80 && b <= 0xBF else { return -1 }
            }
        }
        return length
    }

    /// Decodes the escape at the backslash into `scratch`.
    mutating func parseEscape() throws {
        let escapeMark = mark
        guard try input.ensure(2) else { throw DocumentError("unterminated string", at: escapeMark) }
        let c = input.buffer[input.pos + 1]
        let simple: UInt8?
        switch c {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            throw DocumentError("invalid escape '\\\(describe(c).trimmingQuotes)' in string", at: escapeMark)
        }
        if let simple {
            scratch.append(simple)
            input.pos += 2
            column += 2
            return
        }
        var scalar = try parseHex4(escapeMark)
        if scalar >= 0xDC00 && scalar <= 0xDFFF {
            throw DocumentError("unpaired surrogate in \\u escape", at: escapeMark)
        }
        if scalar >= 0xD800 && scalar <= 0xDBFF {
            guard try input.ensure(2), input.buffer[input.pos] == 0x5C, input.buffer[input.pos + 1] == UInt8(ascii: "u")
            else {
                throw DocumentError("unpaired surrogate in \\u escape", at: escapeMark)
            }
            let lowMark = mark
            let low = try parseHex4(lowMark)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw DocumentError("unpaired surrogate in \\u escape", at: escapeMark)
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        appendUTF8(scalar)
    }

    /// Reads `\uXXXX` at the current position (the backslash) and returns XXXX.
    mutating func parseHex4(_ escapeMark: Mark) throws -> UInt32 {
        guard try input.ensure(6) else {
            throw DocumentError("invalid \\u escape, expected four hex digits", at: escapeMark)
        }
        var value: UInt32 = 0
        for k in 2..<6 {
            let h = input.buffer[input.pos + k]
            let digit: UInt8
            switch h {
            case 0x30...0x39: digit = h - 0x30
            case 0x41...0x46: digit = h - 0x41 + 10
            case 0x61...0x66: digit = h - 0x61 + 10
            default: throw DocumentError("invalid \\u escape, expected four hex digits", at: escapeMark)
            }
            value = value << 4 | UInt32(digit)
        }
        input.pos += 6
        column += 6
        return value
    }

    mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}

extension String {
    fileprivate var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}
