/// An iterative JSON parser over a `ByteInput`: containers live on an explicit stack bounded
/// by `maxDepth`, so 100,000 nested `[` is an error at the 65th, not a stack overflow.
struct JSONParser {
    var input: ByteInput
    let limits: DocumentLimits
    var line = 1
    /// In characters (UTF-8 lead bytes), like libyaml.
    var column = 1
    /// JSON Lines: a line break may not occur inside a value.
    var lineMode = false
    /// The item being read, as events; scalars' decoded bytes are in its `bytes`.
    let tape = ItemTape()
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
        // Compact JSON has no whitespace here: one comparison, then the next token.
        if input.pos < input.buffer.count, input.buffer[input.pos] > 0x20 { return }
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

    /// Parses one value into `tape` as events. With `streamsRootArray`, each element of a root
    /// array goes to `deliver` as it completes (an empty root array delivers nothing); any other
    /// root value is delivered whole.
    mutating func parseValue(streamsRootArray: Bool, deliver: (ItemEvents) throws -> Void) throws {
        var stack: [Bool] = []  // the open containers, true for an object
        nextValue: while true {
            try skipInsideValue()
            let start = mark
            itemNodes += 1
            if itemNodes > (streamsRootArray ? limits.maxNodes : limits.maxDocumentNodes) {
                throw streamsRootArray
                    ? DocumentError("more than \(limits.maxNodes) values in one item", at: start)
                    : DocumentError("more than \(limits.maxDocumentNodes) values in one document", at: start)
            }
            let first = try peek()
            switch first ?? 0 {
            case UInt8(ascii: "["):
                guard stack.count < limits.maxDepth else {
                    throw DocumentError("nesting deeper than \(limits.maxDepth) levels", at: start)
                }
                advance()
                try skipInsideValue()
                let streamed = streamsRootArray && stack.isEmpty  // its elements are the items
                if try peek() == UInt8(ascii: "]") {
                    advance()
                    if streamed { return }
                    tape.appendEvent(ItemEvent(.sequenceStart, mark: start))
                    tape.appendEvent(ItemEvent(.sequenceEnd, mark: start))
                } else {
                    if !streamed { tape.appendEvent(ItemEvent(.sequenceStart, mark: start)) }
                    stack.append(false)
                    continue nextValue
                }
            case UInt8(ascii: "{"):
                guard stack.count < limits.maxDepth else {
                    throw DocumentError("nesting deeper than \(limits.maxDepth) levels", at: start)
                }
                advance()
                try skipInsideValue()
                tape.appendEvent(ItemEvent(.mappingStart, mark: start))
                if try peek() == UInt8(ascii: "}") {
                    advance()
                    tape.appendEvent(ItemEvent(.mappingEnd, mark: start))
                } else {
                    try parseKey()
                    stack.append(true)
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                try parseString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try parseNumber()
            case UInt8(ascii: "t"):
                try parseLiteral("true")
            case UInt8(ascii: "f"):
                try parseLiteral("false")
            case UInt8(ascii: "n"):
                try parseLiteral("null")
            default:
                throw unexpected(first, "expected a JSON value")
            }

            // A value is complete: close containers as far as the input says.
            while true {
                guard !stack.isEmpty else {
                    if streamsRootArray { itemNodes = 0 }
                    try tape.deliver(deliver)
                    return
                }
                let top = stack.count - 1
                if !stack[top] && streamsRootArray && top == 0 {
                    itemNodes = 1  // the root array's own bracket stays counted
                    try tape.deliver(deliver)
                }

                try skipInsideValue()
                let b = try peek()
                if stack[top] {
                    if b == UInt8(ascii: ",") {
                        advance()
                        try skipInsideValue()
                        try parseKey()
                        continue nextValue
                    }
                    guard b == UInt8(ascii: "}") else { throw unexpected(b, "expected ',' or '}' in object") }
                    tape.appendEvent(ItemEvent(.mappingEnd, mark: mark))
                    advance()
                    stack.removeLast()
                } else {
                    if b == UInt8(ascii: ",") {
                        advance()
                        continue nextValue
                    }
                    guard b == UInt8(ascii: "]") else { throw unexpected(b, "expected ',' or ']' in array") }
                    let end = mark
                    advance()
                    stack.removeLast()
                    if streamsRootArray && stack.isEmpty { return }
                    tape.appendEvent(ItemEvent(.sequenceEnd, mark: end))
                }
            }
        }
    }

    /// A key string and the colon after it.
    mutating func parseKey() throws {
        let b = try peek()
        guard b == UInt8(ascii: "\"") else { throw unexpected(b, "expected a string key in object") }
        try parseString()
        try skipInsideValue()
        let colon = try peek()
        guard colon == UInt8(ascii: ":") else { throw unexpected(colon, "expected ':' after object key") }
        advance()
    }

    mutating func parseLiteral(_ word: StaticString) throws {
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
        let begin = tape.count
        tape.append(expected)
        tape.appendScalar(from: begin, mark: start, isPlain: true)
    }

    @inline(__always)
    func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == UInt8(ascii: "_") || b >= 0x80
    }

    // MARK: Numbers

    mutating func parseNumber() throws {
        let start = mark
        let begin = tape.count
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
            try takeDigits(start: start, begin: begin)
        }
        if try peek() == UInt8(ascii: ".") {
            try take()
            guard let b = try peek(), isDigit(b) else {
                throw unexpected(try peek(), "invalid number, expected a digit after '.'")
            }
            try takeDigits(start: start, begin: begin)
        }
        if let e = try peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            try take()
            if let s = try peek(), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { try take() }
            guard let b = try peek(), isDigit(b) else {
                throw unexpected(try peek(), "invalid number, expected a digit in the exponent")
            }
            try takeDigits(start: start, begin: begin)
        }
        if let b = try peek(), isWordByte(b) || b == UInt8(ascii: ".") {
            throw unexpected(b, "invalid number")
        }
        try checkScalarLength(tape.count - begin, start: start)
        tape.appendScalar(from: begin, mark: start, isPlain: true)
    }

    @inline(__always)
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    @inline(__always)
    mutating func take() throws {
        tape.append(input.buffer[input.pos])
        advance()
    }

    mutating func takeDigits(start: Mark, begin: Int) throws {
        while let b = try peek(), isDigit(b) {
            try take()
            let count = tape.count - begin
            if count > limits.maxScalarBytes { try checkScalarLength(count, start: start) }
        }
    }

    func checkScalarLength(_ count: Int, start: Mark) throws {
        if count > limits.maxScalarBytes {
            throw DocumentError("scalar longer than \(limits.maxScalarBytes) bytes", at: start)
        }
    }
}
